"""Terminal feedback: one line per request (method, target, status, ms) and a line saying why a request was refused."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from starlette.testclient import TestClient

from mock_server import create_app
from tests.mock_server.live import live_mock

LOGGER = "customers_mock.access"


class Lines:
    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self._caplog = caplog

    def __call__(self) -> list[str]:
        return [record.getMessage() for record in self._caplog.records if record.name == LOGGER]


@pytest.fixture
def lines(caplog: pytest.LogCaptureFixture) -> Lines:
    caplog.set_level(logging.INFO, logger=LOGGER)
    return Lines(caplog)


def test_one_line_per_request_with_method_target_status_and_ms(client: TestClient, lines: Lines) -> None:
    client.get("/customers/cus-0001")
    client.get("/customers?limit=2")
    client.delete("/customers/nobody")

    logged = lines()
    assert len(logged) == 3
    assert re.fullmatch(r"GET /customers/cus-0001 200 \d+\.\dms", logged[0])
    assert re.fullmatch(r"GET /customers\?limit=2 200 \d+\.\dms", logged[1])
    assert re.fullmatch(r"DELETE /customers/nobody 404 \d+\.\dms", logged[2])


def test_a_request_that_fails_validation_gets_a_line_saying_why(client: TestClient, lines: Lines) -> None:
    client.post("/customers?limit=1", json={"label": 5})

    logged = lines()
    assert re.fullmatch(r"POST /customers\?limit=1 400 \d+\.\dms", logged[0])
    assert logged[1] == (
        '  -> 400 POST /customers?limit=1 refused: body /: "allowed_statuses" is a required property; '
        'body /label: 5 is not of type "string"'
    )


def test_refusals_for_auth_prefer_and_state_are_explained_too(lines: Lines) -> None:
    client = TestClient(create_app(require_auth=True))

    client.get("/customers")
    client.get("/customers", headers={"Authorization": "Bearer t", "Prefer": "code=999"})
    client.put("/__mock__/state", json=[])

    refusals = [line for line in lines() if line.startswith("  -> ")]
    assert refusals == [
        "  -> 401 GET /customers refused: no Authorization header (expected: Bearer <token>)",
        "  -> 400 GET /customers refused: header /prefer: code=999 is not an HTTP status: use e.g. code=404",
        "  -> 400 PUT /__mock__/state refused: body /: state: the top level must map collection names to lists "
        "of records",
    ]


def test_forced_answers_are_not_refusals(client: TestClient, lines: Lines) -> None:
    client.get("/customers/cus-0001", headers={"Prefer": "code=404"})

    logged = lines()
    assert len(logged) == 1 and " 404 " in logged[0]


def test_no_access_log_means_no_middleware_at_all(lines: Lines) -> None:
    client = TestClient(create_app(access_log=False))

    client.get("/customers/cus-0001")

    assert lines() == []


def test_the_cli_prints_the_lines_and_no_access_log_silences_them() -> None:
    with live_mock() as mock:
        httpx.post(f"{mock.url}/customers", json={"label": ""}, timeout=10)
        output = mock.stop()
    with live_mock("--no-access-log") as quiet:
        httpx.get(f"{quiet.url}/customers/cus-0001", timeout=10)
        quiet_output = quiet.stop()

    assert re.search(r"^POST /customers 400 \d+\.\dms$", output, re.MULTILINE)
    assert '  -> 400 POST /customers refused: body /: "allowed_statuses" is a required property' in output
    assert "GET /customers" not in quiet_output
