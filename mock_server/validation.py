"""Validate a request's path, query and body against its operation; collect every violation.

Validators are compiled once per operation at start-up. A location with nothing to check costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.types import Receive

from mock_server.json_input import UnusableJson, decode_json
from mock_server.problems import ProblemError, Violation
from mock_server.schemas import accepts_any_string, compile_validator, json_pointer, short_message
from mock_server.spec import Operation, Parameter

MAX_BODY_BYTES = 1024 * 1024
_INTEGER = re.compile(r"-?[0-9]+\Z")
_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


@dataclass(frozen=True, slots=True)
class ValidRequest:
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any  # the writable part of the JSON body, or None when the operation takes none


def bad_request(*violations: Violation) -> ProblemError:
    return ProblemError(400, violations)


async def read_body(receive: Receive, headers: Mapping[bytes, bytes], limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, refusing more than `limit` bytes whether or not `Content-Length` announced them."""
    declared = headers.get(b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise bad_request(_too_large(limit))
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise bad_request(_too_large(limit))
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _too_large(limit: int) -> Violation:
    size = f"{limit // (1024 * 1024)} MiB" if limit % (1024 * 1024) == 0 else f"{limit} bytes"
    return Violation("body", "", f"the body is larger than {size}")


class _ParameterCheck:
    def __init__(self, parameter: Parameter) -> None:
        self.name = parameter.name
        self.location = parameter.location
        self.required = parameter.required
        self.kind = _kind(parameter.schema)
        self.default = parameter.schema.get("default")
        self.validator = (
            None if accepts_any_string(parameter.schema) else compile_validator(parameter.schema, for_request=True)
        )

    def check(self, raw: str | list[str] | None, violations: list[Violation]) -> Any:
        if raw is None:
            if self.required:
                violations.append(Violation(self.location, f"/{self.name}", f"{self.name!r} is required"))
            return self.default
        value = _coerce(raw, self.kind)
        if self.validator is not None:
            for error in self.validator.iter_errors(value):
                pointer = f"/{self.name}" + json_pointer(error.instance_path)
                violations.append(Violation(self.location, pointer, short_message(error)))
        return value


class RequestValidator:
    def __init__(self, operation: Operation) -> None:
        self._path = tuple(_ParameterCheck(param) for param in operation.params_in("path"))
        self._query = tuple(_ParameterCheck(param) for param in operation.params_in("query"))
        self._query_names = frozenset(check.name for check in self._query)
        self._body_schema = operation.body_schema
        self._body_required = operation.body_required
        self._body_validator = (
            None if operation.body_schema is None else compile_validator(operation.body_schema, for_request=True)
        )
        self.takes_body = operation.body_schema is not None
        # Nothing to check (an item GET with a free-form id): skip straight to the answer.
        self._trivial = (
            not self._query
            and not self.takes_body
            and all(check.validator is None and check.kind == "string" for check in self._path)
        )

    def validate(
        self, path: Mapping[str, str], query_string: bytes, content_type: str | None, body: bytes
    ) -> ValidRequest:
        if self._trivial:
            return ValidRequest(path=dict(path), query={}, body=None)
        violations: list[Violation] = []
        path_values = {check.name: check.check(path.get(check.name), violations) for check in self._path}
        query_values = self._check_query(query_string, violations)
        body_value = self._check_body(content_type, body, violations) if self.takes_body else None
        if violations:
            raise bad_request(*violations)
        return ValidRequest(path=path_values, query=query_values, body=body_value)

    def _check_query(self, query_string: bytes, violations: list[Violation]) -> dict[str, Any]:
        if not self._query:
            return {}
        if not query_string:
            return self._from({}, violations)
        given = parse_qs(query_string.decode("latin-1"), keep_blank_values=True)
        return self._from({name: values for name, values in given.items() if name in self._query_names}, violations)

    def _from(self, given: dict[str, list[str]], violations: list[Violation]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for check in self._query:
            raw = given.get(check.name)
            if raw is not None and len(raw) > 1 and check.kind != "array":
                violations.append(Violation("query", f"/{check.name}", f"{check.name!r} is given more than once"))
                continue
            value = check.check(raw if check.kind == "array" or raw is None else raw[0], violations)
            if value is not None:
                values[check.name] = value
        return values

    def _check_body(self, content_type: str | None, body: bytes, violations: list[Violation]) -> Any:
        if not body:
            if self._body_required:
                violations.append(Violation("body", "", "a JSON request body is required"))
            return None
        if not _is_json(content_type):
            violations.append(
                Violation(
                    "header", "/content-type", f"the body must be application/json, not {content_type or 'untyped'}"
                )
            )
            return None
        try:
            document = decode_json(body)
        except UnusableJson as error:
            violations.append(Violation("body", error.pointer, error.message))
            return None
        assert self._body_validator is not None
        for error in sorted(
            self._body_validator.iter_errors(document), key=lambda err: [str(part) for part in err.instance_path]
        ):
            violations.append(Violation("body", json_pointer(error.instance_path), short_message(error)))
        return _writable_part(self._body_schema or {}, document)


def _writable_part(schema: Mapping[str, Any], document: Any) -> Any:
    """Drop what a client may not set: readOnly members and members the schema does not declare."""
    properties = schema.get("properties")
    if not isinstance(document, dict) or not properties:
        return document
    return {
        name: value
        for name, value in document.items()
        if name in properties and not (properties[name] or {}).get("readOnly")
    }


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def _kind(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    return kind if isinstance(kind, str) else "string"


def _coerce(raw: str | list[str], kind: str) -> Any:
    """Read a path or query string as the type the schema wants; leave it a string when it is not one."""
    if isinstance(raw, list):
        return raw
    if kind == "integer" and _INTEGER.match(raw):
        return int(raw)
    if kind == "number" and _NUMBER.match(raw):
        return float(raw) if any(mark in raw for mark in ".eE") else int(raw)
    if kind == "boolean" and raw in ("true", "false"):
        return raw == "true"
    return raw
