"""Unknown paths, wrong methods and crashes still answer with problem bodies."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from mock_server import create_app
from tests.mock_server.conftest import assert_problem


@pytest.mark.parametrize("path", ["/", "/nothing", "/customers/cus-0001/nothing", "/customers/", "/customers/a/b/c/d"])
def test_unknown_paths_are_404_problems_with_the_spec_template(client: TestClient, path: str) -> None:
    body = assert_problem(client.get(path), 404)

    assert body == {
        "type": "https://docs.nterprise.com/api/problem/NotFound",
        "title": "Not Found",
        "status": 404,
        "detail": "Resource not found",
    }


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("PATCH", "/customers", "GET, POST, HEAD"),
        ("DELETE", "/customers", "GET, POST, HEAD"),
        ("POST", "/customers/cus-0001", "GET, PUT, DELETE, HEAD"),
        ("PUT", "/customers/cus-0001/parts", "GET, HEAD"),
        ("OPTIONS", "/customers/cus-0001/contacts", "GET, POST, HEAD"),
    ],
)
def test_a_method_the_spec_does_not_document_is_a_405_problem_with_allow(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)

    body = assert_problem(response, 405)
    assert response.headers["allow"] == allowed
    assert body["type"] == "about:blank"
    assert body["title"] == "Method Not Allowed"
    assert allowed in body["detail"]


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    get = client.get("/customers/cus-0001")
    head = client.head("/customers/cus-0001")

    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]


def test_percent_encoded_ids_stay_one_path_segment(client: TestClient) -> None:
    assert_problem(client.get("/customers/cus-0001%2Fcontacts"), 404)
    assert client.get("/customers/cus%2D0001").json()["customer_id"] == "cus-0001"


def test_an_unexpected_failure_is_a_500_problem() -> None:
    app = create_app()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    app.state.store.get = broken
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/customers/cus-0001")

    assert assert_problem(response, 500) == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "Internal Server Error",
    }


def test_the_app_mounts_under_a_prefix() -> None:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    outer = Starlette(routes=[Mount("/api", app=create_app())])
    with TestClient(outer) as client:
        body = client.get("/api/customers/cus-0001").json()

    assert body["_links"]["self"]["href"] == "http://testserver/api/customers/cus-0001"
