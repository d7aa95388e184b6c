"""CORS: any origin by default (no credentials), listed origins with credentials, preflights answered, off on demand."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from mock_server import create_app
from tests.mock_server.conftest import NEW_CUSTOMER, assert_problem

APP_ORIGIN = "http://localhost:5173"
PREFLIGHT = {
    "Origin": APP_ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


@pytest.fixture(scope="module")
def credentialed_client() -> TestClient:
    return TestClient(create_app(cors_origins=(APP_ORIGIN,)), base_url="http://testserver")


def test_a_preflight_allows_the_method_and_the_headers_asked_for(client: TestClient) -> None:
    response = client.options("/customers", headers=PREFLIGHT)

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"].split(", ")
    assert response.headers["access-control-allow-headers"] == "authorization, content-type"
    assert "access-control-allow-credentials" not in response.headers
    assert response.content == b""


def test_a_preflight_needs_no_token_even_when_auth_is_required() -> None:
    client = TestClient(create_app(require_auth=True))

    assert client.options("/customers/cus-0001", headers=PREFLIGHT).status_code == 204
    assert_problem(client.get("/customers/cus-0001", headers={"Origin": APP_ORIGIN}), 401)


def test_answers_to_any_origin_carry_the_wildcard_and_expose_the_mock_headers(client: TestClient) -> None:
    response = client.post("/customers", json=NEW_CUSTOMER, headers={"Origin": "http://elsewhere.test:3000"})

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "Preference-Applied" in response.headers["access-control-expose-headers"]


def test_problem_answers_carry_cors_headers_too(client: TestClient) -> None:
    response = client.get("/customers/nobody", headers={"Origin": APP_ORIGIN})

    assert_problem(response, 404)
    assert response.headers["access-control-allow-origin"] == "*"


def test_a_listed_origin_is_echoed_with_credentials(credentialed_client: TestClient) -> None:
    preflight = credentialed_client.options("/customers", headers=PREFLIGHT)
    response = credentialed_client.get("/customers/cus-0001", headers={"Origin": APP_ORIGIN})

    for answer in (preflight, response):
        assert answer.headers["access-control-allow-origin"] == APP_ORIGIN
        assert answer.headers["access-control-allow-credentials"] == "true"
        assert answer.headers["vary"] == "Origin"


def test_other_origins_still_get_the_wildcard_without_credentials(credentialed_client: TestClient) -> None:
    response = credentialed_client.get("/customers/cus-0001", headers={"Origin": "http://other.test"})

    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


def test_requests_without_origin_get_no_cors_headers(client: TestClient) -> None:
    response = client.get("/customers/cus-0001")

    assert not [name for name in response.headers if name.startswith("access-control-")]


def test_no_cors_answers_no_cors_headers_and_preflights_are_405() -> None:
    client = TestClient(create_app(cors=False))

    preflight = client.options("/customers", headers=PREFLIGHT)
    response = client.get("/customers/cus-0001", headers={"Origin": APP_ORIGIN})

    assert_problem(preflight, 405)
    assert not [name for name in preflight.headers if name.startswith("access-control-")]
    assert "access-control-allow-origin" not in response.headers


def test_an_options_request_that_is_no_preflight_reaches_the_api(client: TestClient) -> None:
    response = client.options("/customers", headers={"Origin": APP_ORIGIN})

    assert_problem(response, 405)
    assert response.headers["access-control-allow-origin"] == "*"


def test_a_preflight_advertises_only_methods_some_route_accepts(client: TestClient) -> None:
    response = client.options("/customers", headers=PREFLIGHT)

    # The spec has GET, POST, PUT and DELETE operations; no route accepts PATCH.
    assert response.headers["access-control-allow-methods"] == "GET, HEAD, POST, PUT, DELETE"
