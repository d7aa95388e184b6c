"""Problem bodies: every error answer is an RFC 7807 problem with the members the spec fixes for its status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import schemathesis

from contract_tests.checks._http import NO_BODY, excerpt, expectations_of, json_body, media_type
from contract_tests.expectations import PROBLEM_MEDIA_TYPE, ProblemTemplate

if TYPE_CHECKING:
    from schemathesis import Case, CheckContext, Response


@schemathesis.check
def problem_body_conforms(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    status = response.status_code
    if status < 400:
        return True
    received_type = media_type(response)
    if received_type != PROBLEM_MEDIA_TYPE:
        shown = f"'{received_type}'" if received_type else "no Content-Type"
        raise AssertionError(f"{status} response has {shown}; expected '{PROBLEM_MEDIA_TYPE}'")
    body = json_body(response)
    if not isinstance(body, Mapping):
        shown = "an empty body" if body is NO_BODY and not response.content else "a body that is not a JSON object"
        raise AssertionError(f"{status} problem has {shown}; expected a JSON object with type, title, status, detail")
    template = expectations_of(case).problems.get(status)
    check_problem_members(status, body, template)
    return None


def check_problem_members(status: int, body: Mapping[str, Any], template: ProblemTemplate | None) -> None:
    if not _same_number(body.get("status"), status):
        raise AssertionError(f"{status} problem has {_member('status', body)}; expected {status}")
    if template is None:
        # The spec documents no problem for this status: only the RFC 7807 invariants apply.
        return
    for member in ("title", "type", "detail"):
        expected = getattr(template, member)
        if body.get(member) != expected:
            raise AssertionError(f"{status} problem has {_member(member, body)}; expected '{expected}'")


def _same_number(value: Any, expected: int) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == expected


def _member(name: str, body: Mapping[str, Any]) -> str:
    if name not in body:
        return f"no {name}"
    value = body[name]
    return f"{name} '{value}'" if isinstance(value, str) else f"{name} {excerpt(value)}"
