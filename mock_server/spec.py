"""Read the OpenAPI document once into plain, fully resolved operation records.

This is the only module that parses YAML or follows `$ref`; everything else works on `ApiSpec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
JSON_MEDIA_TYPE = "application/json"


class SpecError(Exception):
    """The OpenAPI document cannot be read or is not something the mock can serve."""


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: str  # "path" | "query" | "header" | "cookie"
    required: bool
    schema: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    status: int
    media_type: str | None
    schema: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # template, e.g. /customers/{customer_id}
    parameters: tuple[Parameter, ...]
    body_schema: dict[str, Any] | None
    body_required: bool
    responses: dict[int, ResponseSpec]

    @property
    def success(self) -> ResponseSpec | None:
        """The first documented 2xx: what the operation answers when all goes well."""
        statuses = sorted(status for status in self.responses if 200 <= status < 300)
        return self.responses[statuses[0]] if statuses else None

    def params_in(self, location: str) -> tuple[Parameter, ...]:
        return tuple(param for param in self.parameters if param.location == location)


@dataclass(frozen=True, slots=True)
class ApiSpec:
    operations: tuple[Operation, ...]
    server_url: str
    document: dict[str, Any] = field(repr=False)

    def operation(self, operation_id: str) -> Operation:
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation
        raise KeyError(operation_id)


def load_spec(path: Path) -> ApiSpec:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"cannot read the spec {str(path)!r}: {_reason(exc)}") from None
    try:
        document = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise SpecError(f"the spec {str(path)!r} is not valid YAML: {_one_line(exc)}") from None
    return parse_spec(document, origin=str(path))


def parse_spec(document: Any, origin: str = "the spec") -> ApiSpec:
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise SpecError(f"{origin} is not an OpenAPI 3.x document (no `openapi: 3.x` at the top)")
    paths = document.get("paths")
    if not isinstance(paths, dict) or not paths:
        raise SpecError(f"{origin} has no paths to serve")
    resolver = _Resolver(document, origin)
    operations = tuple(
        _operation(resolver, path, method, path_item)
        for path, path_item in paths.items()
        for method in HTTP_METHODS
        if isinstance(path_item, dict) and method in path_item
    )
    if not operations:
        raise SpecError(f"{origin} declares no operations")
    servers = document.get("servers") or [{}]
    server_url = str(servers[0].get("url", "")).rstrip("/") if isinstance(servers[0], dict) else ""
    return ApiSpec(operations=operations, server_url=server_url, document=document)


def _operation(resolver: _Resolver, path: str, method: str, path_item: dict[str, Any]) -> Operation:
    raw = resolver.resolve(path_item[method])
    where = f"{method.upper()} {path}"
    if not isinstance(raw, dict):
        raise SpecError(f"{resolver.origin}: {where} is not an operation object")
    parameters = _parameters(resolver, path_item.get("parameters", []), raw.get("parameters", []))
    body_schema, body_required = _request_body(resolver, raw.get("requestBody"))
    responses = {
        int(status): _response(resolver, int(status), status_spec)
        for status, status_spec in (raw.get("responses") or {}).items()
        if str(status).isdigit()
    }
    return Operation(
        operation_id=str(raw.get("operationId") or f"{method}{path}"),
        method=method.upper(),
        path=path,
        parameters=parameters,
        body_schema=body_schema,
        body_required=body_required,
        responses=responses,
    )


def _parameters(resolver: _Resolver, shared: list[Any], own: list[Any]) -> tuple[Parameter, ...]:
    # Operation-level parameters override path-level ones with the same name and location.
    merged: dict[tuple[str, str], Parameter] = {}
    for raw_param in [*shared, *own]:
        param = resolver.resolve(raw_param)
        location = str(param.get("in"))
        merged[(param["name"], location)] = Parameter(
            name=str(param["name"]),
            location=location,
            required=bool(param.get("required", location == "path")),
            schema=param.get("schema") or {},
        )
    return tuple(merged.values())


def _request_body(resolver: _Resolver, raw: Any) -> tuple[dict[str, Any] | None, bool]:
    if raw is None:
        return None, False
    body = resolver.resolve(raw)
    content = body.get("content") or {}
    media = content.get(JSON_MEDIA_TYPE) or next(iter(content.values()), {})
    return media.get("schema") or {}, bool(body.get("required", False))


def _response(resolver: _Resolver, status: int, raw: Any) -> ResponseSpec:
    response = resolver.resolve(raw)
    content = response.get("content") or {}
    if not content:
        return ResponseSpec(status=status, media_type=None, schema=None)
    media_type, media = next(iter(content.items()))
    return ResponseSpec(status=status, media_type=media_type, schema=(media or {}).get("schema"))


class _Resolver:
    """Replaces every local `$ref` by the object it names (the same object for the same name)."""

    def __init__(self, document: dict[str, Any], origin: str) -> None:
        self.document = document
        self.origin = origin
        self._done: dict[str, Any] = {}
        self._in_progress: set[str] = set()

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return self._follow(str(node["$ref"]))
        return {key: self.resolve(value) for key, value in node.items()}

    def _follow(self, ref: str) -> Any:
        if ref in self._done:
            return self._done[ref]
        if not ref.startswith("#/"):
            raise SpecError(f"{self.origin}: only local references are supported, found {ref!r}")
        if ref in self._in_progress:
            raise SpecError(f"{self.origin}: recursive reference {ref!r} is not supported")
        target: Any = self.document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                raise SpecError(f"{self.origin}: reference {ref!r} points nowhere")
            target = target[part]
        self._in_progress.add(ref)
        resolved = self.resolve(target)
        self._in_progress.discard(ref)
        self._done[ref] = resolved
        return resolved


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
