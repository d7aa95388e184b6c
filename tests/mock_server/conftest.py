"""Shared fixtures: the default mock reset before each test, a client on it, and a spec-side judge of responses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from starlette.applications import Starlette
from starlette.testclient import TestClient

from customers_spec import SPEC_PATH
from mock_server import create_app

# The spec, read by Schemathesis rather than by the mock, judges what the mock answers.
SPEC = schemathesis.openapi.from_path(SPEC_PATH)
PROBLEM_TYPES = {
    400: "https://docs.nterprise.com/api/problem/BadRequest",
    404: "https://docs.nterprise.com/api/problem/NotFound",
    409: "https://docs.nterprise.com/api/problem/Conflict",
    423: "https://docs.nterprise.com/api/problem/Locked",
}
NEW_CUSTOMER: dict[str, Any] = {
    "label": "Globex Cold Storage",
    "allowed_statuses": [{"status": "Open", "category": "PENDING"}, {"status": "Done", "category": "COMPLETE"}],
}


def conforms(response: httpx.Response, method: str, path_template: str) -> None:
    """Fails unless the response is documented for that operation and valid against the spec."""
    SPEC[path_template][method].validate_response(response)


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if status in PROBLEM_TYPES:
        assert body["type"] == PROBLEM_TYPES[status]
    return body


@pytest.fixture(scope="session")
def shared_app() -> Starlette:
    return create_app(seed=1)


@pytest.fixture
def client(shared_app: Starlette) -> Iterator[TestClient]:
    """A client on the default mock, reset to its fixtures before each test."""
    shared_app.state.mock.reset()
    with TestClient(shared_app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture(params=["memory", "sqlite"])
def any_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    """A client on a fresh mock, once per store: a behaviour users rely on must hold with either."""
    store = "memory" if request.param == "memory" else f"sqlite:{tmp_path / 'state.db'}"
    app = create_app(seed=1, store=store)
    with TestClient(app, base_url="http://testserver") as client:
        yield client
    app.state.store.close()


def customer_count(client: TestClient) -> int:
    health: dict[str, Any] = client.get("/__mock__/health").json()
    count: int = health["records"]["customers"]
    return count


def create_customer(client: TestClient, **fields: Any) -> dict[str, Any]:
    response = client.post("/customers", json={**NEW_CUSTOMER, **fields})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def walk(client: TestClient, url: str) -> list[dict[str, Any]]:
    """Every page from `url` to the end, following `_links.next`."""
    pages = []
    next_url: str | None = url
    while next_url is not None:
        response = client.get(next_url)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        next_url = pages[-1]["_links"].get("next", {}).get("href")
        assert len(pages) < 1000, "the walk does not end"
    return pages
