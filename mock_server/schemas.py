"""OpenAPI 3.0 schemas as JSON Schema validators with the semantics the API's clients have.

* `nullable: true` admits `null` (unless an `enum` leaves it out, as OpenAPI 3.0.3 clarifies).
* `readOnly` members are ignored in requests (accepted, never required, never stored).
* `pattern` is matched with ECMA-262 semantics, the regex dialect OpenAPI prescribes: `$` is the end of the
  input (Python's `$` also accepts a trailing newline). The Rust validator has these semantics natively;
  `ecma_regex` gives the same to Python code (the fake data generator).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import jsonschema_rs

# Keywords that document a schema but never constrain a value.
_ANNOTATIONS = frozenset({"example", "examples", "deprecated", "description", "title", "xml", "externalDocs"})


def to_json_schema(schema: Mapping[str, Any], *, for_request: bool) -> dict[str, Any]:
    """A Draft 4 JSON Schema equivalent to an OpenAPI 3.0 schema object."""
    converted: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS or key.startswith("x-") or key in ("nullable", "readOnly", "writeOnly", "discriminator"):
            continue
        if key == "properties":
            converted[key] = {name: _property(sub, for_request) for name, sub in value.items()}
        elif key in ("items", "not", "additionalProperties") and isinstance(value, Mapping):
            converted[key] = to_json_schema(value, for_request=for_request)
        elif key in ("allOf", "anyOf", "oneOf"):
            converted[key] = [to_json_schema(sub, for_request=for_request) for sub in value]
        elif key == "required" and for_request:
            properties = schema.get("properties") or {}
            converted[key] = [name for name in value if not (properties.get(name) or {}).get("readOnly")]
        else:
            converted[key] = value
    if schema.get("nullable") and None in schema.get("enum", [None]):
        # OpenAPI 3.0.3 clarifies that `nullable` does not widen an `enum` that leaves out null.
        converted = {"anyOf": [converted, {"type": "null"}]}
    if converted.get("required") == []:
        del converted["required"]
    return converted


def _property(schema: Mapping[str, Any], for_request: bool) -> dict[str, Any]:
    if for_request and schema.get("readOnly"):
        return {}  # whatever a client sends here is dropped, so it is never wrong
    return to_json_schema(schema, for_request=for_request)


@lru_cache(maxsize=512)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """Compile an ECMA-262 pattern for Python `re`: unescaped `$` outside a class becomes `\\Z`."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
        index += 1
    return re.compile("".join(out), re.ASCII)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*\Z")

# Lenient where RFCs are lenient in practice: any `local@domain.tld` is an email, any `scheme:rest` a URI.
_FORMATS: dict[str, Callable[[str], bool]] = {
    "email": lambda value: bool(_EMAIL.match(value)),
    "uri": lambda value: bool(_URI.match(value)),
}


def compile_validator(schema: Mapping[str, Any], *, for_request: bool) -> jsonschema_rs.Validator:
    """A reusable validator (ECMA-262 regexes, formats checked); build it once, call `iter_errors` per value."""
    return jsonschema_rs.Draft4Validator(
        to_json_schema(schema, for_request=for_request), formats=_FORMATS, validate_formats=True
    )


def accepts_any_string(schema: Mapping[str, Any]) -> bool:
    """True when every string is valid, so a path segment needs no validation at all."""
    meaningful = {key for key in schema if key not in _ANNOTATIONS and not key.startswith("x-")}
    return meaningful <= {"type"} and schema.get("type") in (None, "string")


def json_pointer(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def short_message(error: jsonschema_rs.ValidationError, limit: int = 200) -> str:
    message = " ".join(error.message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"
