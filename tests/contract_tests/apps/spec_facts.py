"""What the reference implementation reads from the spec: problem bodies, request schemas, `limit` bounds.

Read here on its own, never through the mock's or the suite's spec code, so a mistake there cannot repeat here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError

from customers_spec import SPEC_PATH


@dataclass(frozen=True)
class Violation:
    location: str
    pointer: str
    message: str


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def resolve(node: Any) -> Any:
    """`node` with every local `$ref` replaced by its target (the spec has no cycles)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = spec()
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return resolve(target)
        return {key: resolve(value) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(value) for value in node]
    return node


@cache
def problem_templates() -> dict[int, dict[str, Any]]:
    """HTTP status → the problem body the spec documents for it (each member has exactly one enum value)."""
    templates = {}
    for response in spec()["components"]["responses"].values():
        schema = resolve(response["content"]["application/problem+json"]["schema"])
        body = {name: schema["properties"][name]["enum"][0] for name in ("type", "title", "status", "detail")}
        templates[int(body["status"])] = body
    return templates


@cache
def limit_bounds() -> tuple[int, int]:
    schema = spec()["components"]["parameters"]["Limit"]["schema"]
    return int(schema["minimum"]), int(schema["maximum"])


def request_schema(name: str) -> dict[str, Any]:
    return _as_json_schema(resolve(spec()["components"]["schemas"][name]))


def _as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema → JSON Schema: `nullable` becomes a null alternative."""
    if isinstance(node, list):
        return [_as_json_schema(value) for value in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") and "type" in converted:
        converted["type"] = [converted["type"], "null"]
    return converted


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    # ECMA-262 `$` never matches before a trailing newline, Python's does: anchor at the true end.
    if isinstance(instance, str) and not re.search(re.sub(r"(?<!\\)\$$", r"\\Z", pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _is_email(instance: object) -> bool:
    return not isinstance(instance, str) or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", instance) is not None


_FORMATS = jsonschema.FormatChecker(formats=())
_FORMATS.checks("email")(_is_email)
_Validator = jsonschema.validators.extend(jsonschema.Draft4Validator, {"pattern": _ecma_pattern})


def violations(schema: dict[str, Any], body: Any, *, ecma_patterns: bool = True) -> list[Violation]:
    validator_class = _Validator if ecma_patterns else jsonschema.Draft4Validator
    found = validator_class(schema, format_checker=_FORMATS).iter_errors(body)
    return [Violation("body", _pointer(error.absolute_path), error.message) for error in found]


def _pointer(path: Iterable[object]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)
