"""Customers as a frontend developer relies on them: create, read back, replace, delete, conflicts, locks."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from starlette.testclient import TestClient

from tests.mock_server.conftest import NEW_CUSTOMER, assert_problem, conforms, create_customer

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LOCKED_CUSTOMER = "cus-0003"  # `locked: true` in the default fixtures


def test_create_sets_every_server_owned_member(client: TestClient) -> None:
    response = client.post("/customers", json=NEW_CUSTOMER)

    conforms(response, "POST", "/customers")
    body = response.json()
    customer_id = body["customer_id"]
    assert re.fullmatch(r"[0-9a-zA-Z_-]+", customer_id)
    assert body["label"] == "Globex Cold Storage"
    assert body["slug"] == "globex-cold-storage"
    assert body["allowed_statuses"] == NEW_CUSTOMER["allowed_statuses"]
    assert body["created"] == body["updated"]
    assert body["total_programs"] == 0 and body["total_projects"] == 0
    assert body["_links"] == {
        "self": {"href": f"http://testserver/customers/{customer_id}"},
        "nter:customer-programs": {"href": f"http://testserver/customers/{customer_id}/programs"},
        "nter:customer-projects": {"href": f"http://testserver/customers/{customer_id}/projects"},
        "nter:customer-units": {"href": f"http://testserver/customers/{customer_id}/units"},
        "nter:customer-work-orders": {"href": f"http://testserver/customers/{customer_id}/work-orders"},
    }


def test_get_returns_exactly_what_was_stored(client: TestClient) -> None:
    created = create_customer(client)

    response = client.get(created["_links"]["self"]["href"])

    conforms(response, "GET", "/customers/{customer_id}")
    assert response.json() == created


def test_read_only_members_sent_by_a_client_are_ignored(client: TestClient) -> None:
    sent = {**NEW_CUSTOMER, "customer_id": "mine", "slug": "my-slug", "created": "2000-01-01T00:00:00Z"}

    body = client.post("/customers", json=sent).json()

    assert body["customer_id"] != "mine"
    assert body["slug"] == "globex-cold-storage"
    assert body["created"] != "2000-01-01T00:00:00Z"


def test_members_the_schema_does_not_declare_are_not_stored(client: TestClient) -> None:
    body = client.post("/customers", json={**NEW_CUSTOMER, "favourite_colour": "teal"}).json()

    assert "favourite_colour" not in body
    assert "favourite_colour" not in client.get(f"/customers/{body['customer_id']}").json()


@pytest.mark.parametrize(
    "label, expected",
    [
        ("Café Nero & Co.", "cafe-nero-co"),
        ("  ACME   Logistics  ", "acme-logistics"),
        ("Ünïcödé GmbH", "unicode-gmbh"),
    ],
)
def test_slug_is_derived_from_the_label(client: TestClient, label: str, expected: str) -> None:
    assert create_customer(client, label=label)["slug"] == expected


@pytest.mark.parametrize("label", ["客户", "   ", "", "!!!", "🙂"])
def test_slug_matches_the_pattern_even_without_latin_letters(client: TestClient, label: str) -> None:
    response = client.post("/customers", json={**NEW_CUSTOMER, "label": label})

    conforms(response, "POST", "/customers")
    assert SLUG.match(response.json()["slug"])


def test_labels_without_latin_letters_do_not_collide_by_accident(client: TestClient) -> None:
    first = create_customer(client, label="客户")
    second = create_customer(client, label="顾客")

    assert first["slug"] != second["slug"]
    assert_problem(client.post("/customers", json={**NEW_CUSTOMER, "label": "客户"}), 409)


def test_two_customers_may_not_share_a_slug(client: TestClient) -> None:
    create_customer(client, label="Initech")

    response = client.post("/customers", json={**NEW_CUSTOMER, "label": "INITECH"})

    conforms(response, "POST", "/customers")
    body = assert_problem(response, 409)
    assert body == {
        "type": "https://docs.nterprise.com/api/problem/Conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "This request contains a conflict to another resource",
    }


def test_put_replaces_writable_members_keeps_created_and_moves_updated(client: TestClient) -> None:
    created = create_customer(client, external_platform={"salesforce": "0015g00000XyZ"})
    replacement = {"label": "Globex Frozen Foods", "allowed_statuses": [{"status": "New", "category": "PENDING"}]}

    response = client.put(f"/customers/{created['customer_id']}", json=replacement)

    conforms(response, "PUT", "/customers/{customer_id}")
    updated = response.json()
    assert updated["label"] == "Globex Frozen Foods"
    assert updated["slug"] == "globex-frozen-foods"
    assert updated["allowed_statuses"] == replacement["allowed_statuses"]
    assert "external_platform" not in updated  # PUT replaces: what is not sent is gone
    assert updated["created"] == created["created"]
    assert _moment(updated["updated"]) > _moment(created["updated"])
    assert client.get(f"/customers/{created['customer_id']}").json() == updated


def test_put_keeps_the_slug_free_for_the_customer_itself(client: TestClient) -> None:
    created = create_customer(client, label="Hooli")

    response = client.put(f"/customers/{created['customer_id']}", json={**NEW_CUSTOMER, "label": "hooli"})

    assert response.status_code == 200
    assert response.json()["slug"] == "hooli"


def test_put_to_another_customers_slug_is_a_conflict(client: TestClient) -> None:
    create_customer(client, label="Umbrella")
    other = create_customer(client, label="Vandelay")

    response = client.put(f"/customers/{other['customer_id']}", json={**NEW_CUSTOMER, "label": "Umbrella"})

    conforms(response, "PUT", "/customers/{customer_id}")
    assert_problem(response, 409)
    assert client.get(f"/customers/{other['customer_id']}").json() == other


def test_delete_answers_205_without_a_body_then_the_customer_and_its_sub_resources_are_gone(
    client: TestClient,
) -> None:
    client.post("/customers/cus-0001/contacts", json={"label": "Buyer", "name": "Ann Lee", "email": "ann@x.com"})

    response = client.delete("/customers/cus-0001")

    conforms(response, "DELETE", "/customers/{customer_id}")
    assert response.status_code == 205
    assert response.content == b""
    assert "content-type" not in response.headers
    for path in ("", "/contacts", "/parts", "/programs"):
        assert_problem(client.get(f"/customers/cus-0001{path}"), 404)
    assert_problem(client.delete("/customers/cus-0001"), 404)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_a_locked_customer_cannot_be_changed(client: TestClient, method: str) -> None:
    before = client.get(f"/customers/{LOCKED_CUSTOMER}").json()

    response = client.request(method, f"/customers/{LOCKED_CUSTOMER}", json=NEW_CUSTOMER)

    conforms(response, method, "/customers/{customer_id}")
    assert assert_problem(response, 423)["title"] == "Locked"
    assert client.get(f"/customers/{LOCKED_CUSTOMER}").json() == before


def test_the_locked_flag_is_never_served(client: TestClient) -> None:
    assert "locked" not in client.get(f"/customers/{LOCKED_CUSTOMER}").json()


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_unknown_customer_is_a_404_problem(client: TestClient, method: str) -> None:
    response = client.request(method, "/customers/no-such-customer", json=NEW_CUSTOMER)

    conforms(response, method, "/customers/{customer_id}")
    assert assert_problem(response, 404)["detail"] == "Resource not found"


def test_attached_contact_appears_in_the_contacts_list(client: TestClient) -> None:
    contact = {
        "label": "Night manager",
        "name": "Priya Patel",
        "email": "priya@example.com",
        "phone": "+1 415 555 0100",
    }

    response = client.post("/customers/cus-0002/contacts", json=contact)

    conforms(response, "POST", "/customers/{customer_id}/contacts")
    attached = response.json()
    assert {key: attached[key] for key in contact} == contact
    assert attached["slug"] == "night-manager"
    assert attached["_links"]["self"]["href"] == f"http://testserver/contacts/{attached['contact_id']}"
    listed = [page["_embedded"]["nter:contacts"] for page in _pages(client, "/customers/cus-0002/contacts")]
    assert attached in [item for page in listed for item in page]


def test_attaching_to_an_unknown_customer_is_a_404_problem(client: TestClient) -> None:
    response = client.post("/customers/nobody/contacts", json={"label": "x", "name": "y", "email": "z@example.com"})

    assert_problem(response, 404)


def test_embedded_customer_of_parts_and_programs_reflects_the_customer_as_it_is_now(client: TestClient) -> None:
    for kind in ("parts", "programs"):  # served once before the change, so nothing stale may be served after it
        client.get(f"/customers/cus-0004/{kind}")
    client.put("/customers/cus-0004", json={"label": "Renamed Holdings", "allowed_statuses": []})

    for kind in ("parts", "programs"):
        response = client.get(f"/customers/cus-0004/{kind}")
        conforms(response, "GET", f"/customers/{{customer_id}}/{kind}")
        items = response.json()["_embedded"][f"nter:{kind}"]
        assert items, f"the fixtures give cus-0004 some {kind}"
        for item in items:
            assert item["customer"]["customer_id"] == "cus-0004"
            assert item["customer"]["entity_id"] == "cus-0004"
            assert item["customer"]["entity_type"] == "CUS"
            assert item["customer"]["label"] == "Renamed Holdings"
            assert item["customer"]["slug"] == "renamed-holdings"


def test_total_programs_counts_the_customers_programs(client: TestClient) -> None:
    programs = client.get("/customers/cus-0005/programs?limit=100").json()["_embedded"]["nter:programs"]

    assert client.get("/customers/cus-0005").json()["total_programs"] == len(programs) > 0


def test_links_follow_forwarded_scheme_and_host(client: TestClient) -> None:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.example.com"}

    body = client.get("/customers/cus-0002", headers=headers).json()

    assert body["_links"]["self"]["href"] == "https://api.example.com/customers/cus-0002"
    page = client.get("/customers", headers=headers).json()
    assert page["_links"]["next"]["href"].startswith("https://api.example.com/customers?")


def _pages(client: TestClient, url: str) -> list[dict]:  # type: ignore[type-arg]
    from tests.mock_server.conftest import walk

    return walk(client, url)


def _moment(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
