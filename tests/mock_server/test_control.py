"""`/__mock__`: health, reset to the fixtures, dump and load the whole state; a bad state is refused whole."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.mock_server.conftest import NEW_CUSTOMER, assert_problem, conforms, create_customer, walk


def state(client: TestClient) -> dict[str, Any]:
    response = client.get("/__mock__/state")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def test_health_says_ok_and_counts_the_records(client: TestClient) -> None:
    response = client.get("/__mock__/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": "InMemoryStore", "records": {"customers": 32}}


def test_reset_brings_back_the_fixtures(client: TestClient) -> None:
    fixtures = state(client)
    create_customer(client)
    client.delete("/customers/cus-0001")
    client.post("/customers/cus-0002/contacts", json={"name": "Sam", "label": "Ops", "email": "sam@x.io"})

    response = client.post("/__mock__/reset")

    assert response.status_code == 204 and response.content == b""
    assert state(client) == fixtures
    assert client.get("/customers/cus-0001").status_code == 200


def test_the_state_is_nested_like_the_fixture_files(client: TestClient) -> None:
    document = state(client)

    [first, *_] = document["customers"]
    assert first["customer_id"] == "cus-0001" and first["contacts"][0]["contact_id"] == "con-0001-1"
    assert [customer.get("locked") for customer in document["customers"]].count(True) >= 1
    assert "_links" not in first and "total_programs" not in first  # stored data only, nothing derived


def test_a_dumped_state_loads_back_and_is_served_the_same(client: TestClient) -> None:
    created = create_customer(client, label="Saved For Later")
    saved = state(client)
    client.post("/__mock__/reset")
    assert client.get(f"/customers/{created['customer_id']}").status_code == 404

    response = client.put("/__mock__/state", json=saved)

    assert response.status_code == 204
    assert client.get(f"/customers/{created['customer_id']}").json() == created
    assert state(client) == saved


def test_a_loaded_state_replaces_everything_and_is_served_valid(client: TestClient) -> None:
    document = {
        "customers": [
            {
                "customer_id": "only-one",
                "label": "Only One Inc",
                "allowed_statuses": [{"status": "Open", "category": "PENDING"}],
                "contacts": [{"contact_id": "c1", "name": "Ana", "label": "Boss", "email": "ana@only.one"}],
            }
        ]
    }

    assert client.put("/__mock__/state", json=document).status_code == 204

    [page] = walk(client, "/customers")
    assert [item["customer_id"] for item in page["_embedded"]["nter:customers"]] == ["only-one"]
    response = client.get("/customers/only-one")
    conforms(response, "GET", "/customers/{customer_id}")
    assert response.json()["slug"] == "only-one-inc"  # derived, as on a create
    conforms(client.get("/customers/only-one/contacts"), "GET", "/customers/{customer_id}/contacts")
    create_customer(client)  # and it goes on working


def _broken(mutate: Any) -> Any:
    def make(saved: dict[str, Any]) -> dict[str, Any]:
        document = copy.deepcopy(saved)
        mutate(document)
        return document

    return make


@pytest.mark.parametrize(
    "break_it, message",
    [
        (_broken(lambda d: d["customers"][5].pop("customer_id")), "state: customers[5] needs a 'customer_id'"),
        (_broken(lambda d: d["customers"][3].update(label=7)), "state: customers[3].label: 7 is not of type"),
        (_broken(lambda d: d["customers"].append(d["customers"][0])), "already has customer_id 'cus-0001'"),
        (_broken(lambda d: d.update(invoices=[])), "'invoices' is not a collection of the spec"),
        (_broken(lambda d: d["customers"][1]["contacts"].append("x")), "customers[1].contacts[3] must be a mapping"),
        (lambda saved: [saved], "the top level must map collection names to lists of records"),
    ],
)
def test_a_bad_state_is_a_400_that_says_where_and_changes_nothing(
    client: TestClient, break_it: Any, message: str
) -> None:
    create_customer(client, label="Made Before The Load")
    before = state(client)

    response = client.put("/__mock__/state", json=break_it(before))

    body = assert_problem(response, 400)
    assert message in body["violations"][0]["message"]
    assert state(client) == before


@pytest.mark.parametrize(
    "content, content_type, message",
    [
        (b"{not json", "application/json", "the body is not valid JSON"),
        (b"customers: []", "application/yaml", "send the state as application/json"),
        (b"\xff\xfe", "application/json", "the body is not valid UTF-8"),
    ],
)
def test_a_body_that_is_no_json_state_is_a_400(
    client: TestClient, content: bytes, content_type: str, message: str
) -> None:
    response = client.put("/__mock__/state", content=content, headers={"Content-Type": content_type})

    assert message in assert_problem(response, 400)["violations"][0]["message"]


@pytest.mark.parametrize(
    "method, path, status",
    [("GET", "/__mock__/nothing", 404), ("DELETE", "/__mock__/state", 405), ("GET", "/__mock__/reset", 405)],
)
def test_unknown_controls_and_methods_are_problems(client: TestClient, method: str, path: str, status: int) -> None:
    response = client.request(method, path)

    assert_problem(response, status)
    if status == 405:
        assert response.headers["allow"]


def test_the_api_itself_is_unaffected_by_the_prefix(client: TestClient) -> None:
    assert client.post("/customers", json=NEW_CUSTOMER).status_code == 200
    assert_problem(client.get("/__mock"), 404)
