"""Every bad request is a 400 problem that says what was wrong and where; never a 500."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.mock_server.conftest import NEW_CUSTOMER, assert_problem, conforms

BAD_REQUEST = {
    "type": "https://docs.nterprise.com/api/problem/BadRequest",
    "title": "Bad Request",
    "status": 400,
    "detail": "Invalid request",
}


def test_a_violation_is_reported_with_the_spec_values_location_and_pointer(client: TestClient) -> None:
    response = client.post(
        "/customers", json={"label": 7, "allowed_statuses": [{"status": "Open", "category": "NOPE"}]}
    )

    conforms(response, "POST", "/customers")
    body = assert_problem(response, 400)
    assert {key: body[key] for key in BAD_REQUEST} == BAD_REQUEST
    assert [(v["location"], v["pointer"]) for v in body["violations"]] == [
        ("body", "/allowed_statuses/0/category"),
        ("body", "/label"),
    ]
    assert all(v["message"] for v in body["violations"])


def test_missing_required_members_are_reported(client: TestClient) -> None:
    body = assert_problem(client.post("/customers", json={}), 400)

    messages = " ".join(v["message"] for v in body["violations"])
    assert "label" in messages and "allowed_statuses" in messages


def test_an_invalid_email_is_reported_at_its_pointer(client: TestClient) -> None:
    response = client.post("/customers/cus-0001/contacts", json={"label": "x", "name": "y", "email": "not-an-email"})

    body = assert_problem(response, 400)
    assert body["violations"] == [
        {"location": "body", "pointer": "/email", "message": body["violations"][0]["message"]}
    ]
    assert "email" in body["violations"][0]["message"]


def test_patterns_follow_ecma_262_so_a_trailing_newline_does_not_match(client: TestClient) -> None:
    statuses = [{"status": "Open\n", "category": "PENDING"}]

    body = assert_problem(client.post("/customers", json={**NEW_CUSTOMER, "allowed_statuses": statuses}), 400)

    assert body["violations"][0]["pointer"] == "/allowed_statuses/0/status"


def test_unique_items_are_enforced(client: TestClient) -> None:
    statuses = [{"status": "Open", "category": "PENDING"}] * 2

    assert_problem(client.post("/customers", json={**NEW_CUSTOMER, "allowed_statuses": statuses}), 400)


@pytest.mark.parametrize(
    "content, content_type, message",
    [
        (b'{"label": ', "application/json", "not valid JSON"),
        (b"\xff\xfe{}", "application/json", "not valid UTF-8"),
        (b'{"label": NaN, "allowed_statuses": []}', "application/json", "not valid JSON"),
        (b'{"label": "\\ud800", "allowed_statuses": []}', "application/json", "surrogate"),
        (b"label=Acme", "application/x-www-form-urlencoded", "must be application/json"),
        (b'{"label": "Acme", "allowed_statuses": []}', "text/plain", "must be application/json"),
        (b'{"label": "Acme", "allowed_statuses": []}', None, "must be application/json"),
        (b"", "application/json", "body is required"),
        (b"[]", "application/json", "object"),
    ],
)
def test_unreadable_bodies_are_400_problems(
    client: TestClient, content: bytes, content_type: str | None, message: str
) -> None:
    headers = {"content-type": content_type} if content_type else {}

    response = client.post("/customers", content=content, headers=headers)

    conforms(response, "POST", "/customers")
    body = assert_problem(response, 400)
    assert message in body["violations"][0]["message"]


def test_json_media_type_with_parameters_is_accepted(client: TestClient) -> None:
    import json

    response = client.post(
        "/customers",
        content=json.dumps(NEW_CUSTOMER).encode(),
        headers={"content-type": "application/json; charset=utf-8"},
    )

    assert response.status_code == 200


def test_a_body_over_one_mebibyte_is_refused_by_its_content_length(client: TestClient) -> None:
    response = client.post("/customers", content=b" " * (1024 * 1024 + 1), headers={"content-type": "application/json"})

    body = assert_problem(response, 400)
    assert "larger than 1 MiB" in body["violations"][0]["message"]


def test_a_streamed_body_over_one_mebibyte_is_refused_without_content_length(shared_app: Any) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b" " * 65536

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=shared_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as async_client:

            async def stream() -> Any:
                for chunk in chunks():
                    yield chunk

            return await async_client.post("/customers", content=stream(), headers={"content-type": "application/json"})

    response = asyncio.run(send())

    assert "content-length" not in response.request.headers
    body = assert_problem(response, 400)
    assert "larger than 1 MiB" in body["violations"][0]["message"]
