"""Facts the checks and scenarios compare against, read straight from the OpenAPI document.

The suite reads the spec on its own (it never asks the mock), so a misreading of the spec on one side
cannot hide itself on the other. Nothing here is typed in by hand: change the spec, and these follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROBLEM_MEDIA_TYPE = "application/problem+json"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Undeclared methods the suite probes with (unsupported_method, allow_header_conformance): only safe ones,
# since an undeclared unsafe method may be an extension that writes (a bulk DELETE /customers).
PROBE_METHODS = ("trace", "options")


class SpecError(Exception):
    """The OpenAPI document cannot be read or lacks what the suite needs."""


@dataclass(frozen=True)
class ProblemTemplate:
    """The fixed members the spec documents for one error status."""

    status: int
    type: str
    title: str
    detail: str


@dataclass(frozen=True)
class LimitBounds:
    name: str
    minimum: int
    maximum: int


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    statuses: frozenset[int]
    # Set on list operations: the `_embedded` member holding the items, and the limit/cursor parameters.
    page_items_key: str | None = None
    page_max_items: int | None = None
    limit: LimitBounds | None = None
    cursor_parameter: str | None = None
    # Set on operations that answer one resource: the body member that carries its id.
    id_property: str | None = None
    body_schema: Mapping[str, Any] | None = None
    # The success status whose JSON body `body_schema` documents, and whether that body is a HAL resource.
    body_status: int | None = None
    is_hal: bool = False

    @property
    def paginates(self) -> bool:
        return self.page_items_key is not None


@dataclass(frozen=True)
class Expectations:
    operations: dict[str, Operation]
    problems: dict[int, ProblemTemplate]
    raw: Mapping[str, Any] = field(repr=False)
    # (source, target) operationIds of the spec's OpenAPI links: what stateful sequences chain through.
    links: frozenset[tuple[str, str]] = frozenset()

    @property
    def path_parameter_names(self) -> frozenset[str]:
        return frozenset(name for op in self.operations.values() for name in re.findall(r"{([^}]+)}", op.path))

    def operation_at(self, method: str, path: str) -> Operation | None:
        for operation in self.operations.values():
            if operation.method == method.upper() and operation.path == path:
                return operation
        return None

    def item_operation_for(self, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The single-item GET operation whose path template matches `path`, with the path parameters."""
        for operation in self.operations.values():
            if operation.method != "GET" or operation.id_property is None:
                continue
            params = match_path_template(operation.path, path)
            if params is not None:
                return operation, params
        return None


def match_path_template(template: str, path: str) -> dict[str, str] | None:
    names = re.findall(r"{([^}]+)}", template)
    pattern = re.escape(template)
    for name in names:
        pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{_group(name)}>[^/]+)")
    found = re.fullmatch(pattern, path.rstrip("/") or "/")
    if found is None:
        return None
    return {name: found.group(_group(name)) for name in names}


def _group(name: str) -> str:
    return "p_" + re.sub(r"\W", "_", name)


def load_spec(path: str | Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError(f"cannot read the spec {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"the spec {path} is not valid YAML or JSON: {str(exc).splitlines()[0]}") from None
    if not isinstance(raw, dict) or not str(raw.get("openapi", "")).startswith("3.") or "paths" not in raw:
        raise SpecError(f"the spec {path} is not an OpenAPI 3.x document with paths")
    return raw


def expectations_from_file(path: str | Path) -> Expectations:
    return derive(load_spec(path))


_BY_DOCUMENT: dict[int, tuple[Mapping[str, Any], Expectations]] = {}


def expectations_for(raw: Mapping[str, Any]) -> Expectations:
    """Derive once per loaded document (checks call this for every response)."""
    cached = _BY_DOCUMENT.get(id(raw))
    if cached is not None and cached[0] is raw:
        return cached[1]
    derived = derive(raw)
    _BY_DOCUMENT[id(raw)] = (raw, derived)
    return derived


def derive(raw: Mapping[str, Any]) -> Expectations:
    resolver = _Resolver(raw)
    operations: dict[str, Operation] = {}
    problems: dict[int, ProblemTemplate] = {}
    links: set[tuple[str, str]] = set()
    for path, method, spec_operation, parameters in _iter_operations(raw, resolver):
        operation_id = spec_operation.get("operationId") or f"{method.upper()} {path}"
        documented = spec_operation.get("responses") or {}
        responses = {str(code): resolver.deref(value) for code, value in documented.items()}
        statuses = frozenset(int(code) for code in responses if code.isdigit())
        for code, response in responses.items():
            for link in (response.get("links") or {}).values() if isinstance(response, Mapping) else ():
                target = resolver.deref(link).get("operationId") if isinstance(resolver.deref(link), Mapping) else None
                if isinstance(target, str):
                    links.add((operation_id, target))
            template = _problem_template(code, response, resolver)
            if template is not None:
                problems[template.status] = template
        body_status = next((int(code) for code in ("200", "201") if code in responses), None)
        ok_schema = _json_schema(responses.get(str(body_status)) or {}, resolver)
        operations[operation_id] = Operation(
            operation_id=operation_id,
            method=method.upper(),
            path=path,
            statuses=statuses,
            body_schema=ok_schema,
            body_status=body_status if ok_schema is not None else None,
            is_hal="_links" in resolver.properties(ok_schema or {}),
            **_page_facts(ok_schema, parameters, resolver),
            id_property=_id_property(path, ok_schema, resolver),
        )
    if not operations:
        raise SpecError("the spec documents no operations")
    return Expectations(operations=operations, problems=problems, raw=raw, links=frozenset(links))


class _Resolver:
    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    def deref(self, value: Any) -> Any:
        seen = 0
        while isinstance(value, Mapping) and "$ref" in value:
            ref = str(value["$ref"])
            if not ref.startswith("#/") or seen > 32:
                raise SpecError(f"unsupported or circular reference {ref!r} in the spec")
            target: Any = self.raw
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, Mapping) or part not in target:
                    raise SpecError(f"the spec references {ref!r}, which does not exist")
                target = target[part]
            value = target
            seen += 1
        return value

    def properties(self, schema: Any) -> dict[str, Any]:
        """Properties of an object schema, merging `allOf` branches."""
        schema = self.deref(schema)
        if not isinstance(schema, Mapping):
            return {}
        merged = {name: self.deref(value) for name, value in (schema.get("properties") or {}).items()}
        for branch in schema.get("allOf") or []:
            merged.update(self.properties(branch))
        return merged


def _iter_operations(raw: Mapping[str, Any], resolver: _Resolver) -> Iterator[tuple[str, str, dict[str, Any], list]]:
    for path, item in (raw.get("paths") or {}).items():
        item = resolver.deref(item)
        if not isinstance(item, Mapping):
            continue
        shared = [resolver.deref(p) for p in item.get("parameters") or []]
        for method in HTTP_METHODS:
            spec_operation = item.get(method)
            if isinstance(spec_operation, Mapping):
                own = [resolver.deref(p) for p in spec_operation.get("parameters") or []]
                yield path, method, dict(spec_operation), shared + own


def _problem_template(code: str, response: Any, resolver: _Resolver) -> ProblemTemplate | None:
    media = (response.get("content") or {}).get(PROBLEM_MEDIA_TYPE) if isinstance(response, Mapping) else None
    if not code.isdigit() or not isinstance(media, Mapping):
        return None
    members = resolver.properties(media.get("schema") or {})

    def single(name: str) -> Any:
        values = members.get(name, {}).get("enum") or []
        return values[0] if len(values) == 1 else None

    values = {name: single(name) for name in ("type", "title", "detail", "status")}
    if any(value is None for value in values.values()):
        return None
    return ProblemTemplate(status=int(code), type=values["type"], title=values["title"], detail=values["detail"])


def _json_schema(response: Any, resolver: _Resolver) -> Mapping[str, Any] | None:
    content = (response or {}).get("content") or {}
    for media_type, media in content.items():
        if media_type.split(";")[0].strip().endswith("json") and isinstance(media, Mapping):
            schema = resolver.deref(media.get("schema"))
            return schema if isinstance(schema, Mapping) else None
    return None


def _page_facts(schema: Mapping[str, Any] | None, parameters: list, resolver: _Resolver) -> dict[str, Any]:
    embedded = resolver.properties(schema or {}).get("_embedded")
    arrays = {
        name: value for name, value in resolver.properties(embedded or {}).items() if value.get("type") == "array"
    }
    if len(arrays) != 1:
        return {}
    ((items_key, array_schema),) = arrays.items()
    limit = cursor = None
    for parameter in parameters:
        if not isinstance(parameter, Mapping) or parameter.get("in") != "query":
            continue
        param_schema = resolver.deref(parameter.get("schema") or {})
        if param_schema.get("type") == "integer" and "maximum" in param_schema:
            limit = LimitBounds(parameter["name"], int(param_schema.get("minimum", 1)), int(param_schema["maximum"]))
        elif param_schema.get("type") == "string":
            cursor = parameter["name"]
    return {
        "page_items_key": items_key,
        "page_max_items": array_schema.get("maxItems"),
        "limit": limit,
        "cursor_parameter": cursor,
    }


def _id_property(path: str, schema: Mapping[str, Any] | None, resolver: _Resolver) -> str | None:
    """The body member naming the resource, when the path ends in a parameter the body also carries."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if not (last.startswith("{") and last.endswith("}")):
        return None
    name = last[1:-1]
    return name if name in resolver.properties(schema or {}) else None
