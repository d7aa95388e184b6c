"""RFC 7807 problem bodies: templates read from the spec, one exception type, one renderer.

Handlers raise `ProblemError`; only this module turns it into bytes on the wire.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from mock_server.spec import ApiSpec

PROBLEM_MEDIA_TYPE = "application/problem+json"
TEMPLATE_MEMBERS = ("type", "title", "status", "detail")


@dataclass(frozen=True, slots=True)
class Violation:
    location: str  # "path" | "query" | "header" | "body"
    pointer: str  # JSON pointer into that location
    message: str

    def as_json(self) -> dict[str, str]:
        return {"location": self.location, "pointer": self.pointer, "message": self.message}


class ProblemError(Exception):
    """Answer the request with the problem body for `status`."""

    def __init__(
        self,
        status: int,
        violations: Iterable[Violation] = (),
        headers: Mapping[str, str] | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(status)
        self.status = status
        self.violations = tuple(violations)
        self.headers = dict(headers or {})
        self.detail = detail


class ProblemCatalog:
    """The problem body for every status: the spec's template when it documents one, `about:blank` otherwise."""

    def __init__(self, templates: Mapping[int, Mapping[str, Any]]) -> None:
        self._templates = {status: dict(template) for status, template in templates.items()}

    @classmethod
    def from_spec(cls, spec: ApiSpec) -> ProblemCatalog:
        templates: dict[int, dict[str, Any]] = {}
        for operation in spec.operations:
            for status, response in operation.responses.items():
                template = _template_from_schema(response.schema)
                if template is not None and response.media_type == PROBLEM_MEDIA_TYPE:
                    templates.setdefault(status, template)
        return cls(templates)

    def documents(self, status: int) -> bool:
        return status in self._templates

    def body(self, error: ProblemError) -> dict[str, Any]:
        template = self._templates.get(error.status)
        if template is None:
            body: dict[str, Any] = {
                "type": "about:blank",
                "title": _phrase(error.status),
                "status": error.status,
                "detail": error.detail or _phrase(error.status),
            }
        else:
            body = dict(template)
        if error.violations:
            body["violations"] = [violation.as_json() for violation in error.violations]
        return body

    def render(self, error: ProblemError) -> bytes:
        return json.dumps(self.body(error), ensure_ascii=False, separators=(",", ":")).encode()


def _template_from_schema(schema: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """`{type, title, status, detail}` when each member is pinned to exactly one value by an `enum`."""
    if not schema:
        return None
    properties = schema.get("properties") or {}
    template: dict[str, Any] = {}
    for member in TEMPLATE_MEMBERS:
        enum = (properties.get(member) or {}).get("enum")
        if not isinstance(enum, list) or len(enum) != 1:
            return None
        template[member] = enum[0]
    # The spec types `status` as a number; serve it as an integer when it is one (400, not 400.0).
    status = template["status"]
    if isinstance(status, float) and status.is_integer():
        template["status"] = int(status)
    return template


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
