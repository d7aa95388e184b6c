from __future__ import annotations

import pytest

from contract_tests.checks import problem_body_conforms
from tests.contract_tests.factories import case, problem, response

PROBLEM = "application/problem+json"


def check(status: int, body: object = None, **kwargs: object) -> object:
    return problem_body_conforms(None, response(status, body, **kwargs), case("GET", "/customers/{customer_id}"))


@pytest.mark.parametrize("status", [400, 404])
def test_documented_problem_passes(status: int) -> None:
    assert check(status, problem(status), content_type=PROBLEM) is None


def test_problem_with_extension_members_and_charset_passes() -> None:
    body = problem(400, violations=[{"pointer": "/label", "message": "required"}])
    assert check(400, body, content_type=f"{PROBLEM}; charset=utf-8") is None


def test_undocumented_error_status_needs_only_the_rfc_members() -> None:
    assert check(405, {"title": "Method Not Allowed", "status": 405}, content_type=PROBLEM) is None


def test_success_is_not_judged() -> None:
    assert check(200, {"anything": 1}) is True


@pytest.mark.parametrize(
    ("status", "body", "kwargs", "message"),
    [
        pytest.param(
            404, problem(404), {}, "404 response has 'application/json'; expected 'application/problem+json'", id="json"
        ),
        pytest.param(
            500,
            None,
            {"content_type": None, "raw": b"boom"},
            "500 response has no Content-Type; expected 'application/problem+json'",
            id="no-content-type",
        ),
        pytest.param(
            404,
            None,
            {"content_type": PROBLEM},
            "404 problem has an empty body; expected a JSON object with type, title, status, detail",
            id="empty",
        ),
        pytest.param(
            404,
            [1],
            {"content_type": PROBLEM},
            "404 problem has a body that is not a JSON object; expected a JSON object with type, title, status, detail",
            id="array",
        ),
        pytest.param(
            404,
            problem(404, status=400),
            {"content_type": PROBLEM},
            "404 problem has status 400; expected 404",
            id="status-differs",
        ),
        pytest.param(
            404,
            problem(404, status="404"),
            {"content_type": PROBLEM},
            "404 problem has status '404'; expected 404",
            id="status-string",
        ),
        pytest.param(
            404,
            problem(404, title="Not found"),
            {"content_type": PROBLEM},
            "404 problem has title 'Not found'; expected 'Not Found'",
            id="title",
        ),
        pytest.param(
            400,
            {k: v for k, v in problem(400).items() if k != "type"},
            {"content_type": PROBLEM},
            "400 problem has no type; expected 'https://docs.nterprise.com/api/problem/BadRequest'",
            id="no-type",
        ),
        pytest.param(
            404,
            problem(404, detail="Customer 42 not found"),
            {"content_type": PROBLEM},
            "404 problem has detail 'Customer 42 not found'; expected 'Resource not found'",
            id="detail",
        ),
    ],
)
def test_broken_problem_fails_with_one_line(status: int, body: object, kwargs: dict, message: str) -> None:
    with pytest.raises(AssertionError) as failure:
        check(status, body, **kwargs)
    assert str(failure.value) == message
