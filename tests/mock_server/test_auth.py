"""`--require-auth`: 401 without a bearer token, 403 for the fixtures' forbidden tokens, off by default."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from customers_fixtures import FIXTURES_DIR
from mock_server import create_app
from mock_server.dataset import DatasetError
from tests.mock_server.conftest import NEW_CUSTOMER, assert_problem, conforms


@pytest.fixture(scope="module")
def guarded() -> TestClient:
    return TestClient(create_app(require_auth=True), base_url="http://testserver")


def test_auth_is_off_by_default(client: TestClient) -> None:
    assert client.get("/customers/cus-0001").status_code == 200


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token abc",
        "Bearer two words",
        "Bearer ä".encode("latin-1"),
    ],
)
def test_no_bearer_token_is_the_spec_401_problem(guarded: TestClient, authorization: str | bytes | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}

    response = guarded.get("/customers/cus-0001", headers=headers)

    body = assert_problem(response, 401)
    assert body["detail"] == "You are not authorized to access this resource"
    assert response.headers["www-authenticate"].startswith("Bearer")
    conforms(response, "GET", "/customers/{customer_id}")


@pytest.mark.parametrize("token", ["forbidden-token", "expired-token"])
def test_a_forbidden_token_is_the_spec_403_problem(guarded: TestClient, token: str) -> None:
    response = guarded.post("/customers", json=NEW_CUSTOMER, headers={"Authorization": f"Bearer {token}"})

    assert_problem(response, 403)
    conforms(response, "POST", "/customers")


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_any_other_bearer_token_is_let_in(guarded: TestClient, scheme: str) -> None:
    response = guarded.get("/customers/cus-0001", headers={"Authorization": f"{scheme} eyJhbGciOi.x-y_z~+/=="})

    assert response.status_code == 200


def test_refused_requests_change_nothing(guarded: TestClient) -> None:
    before = guarded.get("/__mock__/state").json()

    guarded.delete("/customers/cus-0001")
    guarded.post("/customers", json=NEW_CUSTOMER, headers={"Authorization": "Bearer forbidden-token"})

    assert guarded.get("/__mock__/state").json() == before


def test_controls_need_no_token(guarded: TestClient) -> None:
    assert guarded.get("/__mock__/health").status_code == 200
    assert guarded.post("/__mock__/reset").status_code == 204


def test_forbidden_tokens_come_from_the_fixtures_folder(tmp_path: Path) -> None:
    (tmp_path / "customers.yaml").write_text((FIXTURES_DIR / "customers.yaml").read_text(encoding="utf-8"))
    (tmp_path / "auth.yaml").write_text("forbidden_tokens: [intern]\n", encoding="utf-8")
    client = TestClient(create_app(fixtures_dir=tmp_path, require_auth=True))

    assert_problem(client.get("/customers", headers={"Authorization": "Bearer intern"}), 403)
    assert client.get("/customers", headers={"Authorization": "Bearer forbidden-token"}).status_code == 200


def test_a_bad_auth_file_is_a_fixtures_error(tmp_path: Path) -> None:
    (tmp_path / "customers.yaml").write_text((FIXTURES_DIR / "customers.yaml").read_text(encoding="utf-8"))
    (tmp_path / "auth.yaml").write_text("forbidden_tokens: intern\n", encoding="utf-8")

    with pytest.raises(DatasetError, match="auth.yaml: forbidden_tokens must be a list of non-empty strings"):
        create_app(fixtures_dir=tmp_path, require_auth=True)
