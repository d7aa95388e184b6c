"""Pages: spec bounds, opaque cursors, absolute links, and walks that stay exact while data changes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from tests.mock_server.conftest import assert_problem, conforms, create_customer, walk

LISTS = [
    ("/customers", "/customers", "nter:customers"),
    ("/customers/cus-0001/contacts", "/customers/{customer_id}/contacts", "nter:contacts"),
    ("/customers/cus-0001/parts", "/customers/{customer_id}/parts", "nter:parts"),
    ("/customers/cus-0001/programs", "/customers/{customer_id}/programs", "nter:programs"),
]


def _ids(pages: list[dict], key: str) -> list[str]:  # type: ignore[type-arg]
    id_name = key.removeprefix("nter:").removesuffix("s") + "_id"
    return [item[id_name] for page in pages for item in page["_embedded"][key]]


def test_first_page_has_the_spec_default_size_and_absolute_links(client: TestClient) -> None:
    response = client.get("/customers")

    conforms(response, "GET", "/customers")
    page = response.json()
    assert len(page["_embedded"]["nter:customers"]) == 10
    assert page["_links"]["self"] == {"href": "http://testserver/customers"}
    next_href = page["_links"]["next"]["href"]
    assert next_href.startswith("http://testserver/customers?")
    assert parse_qs(urlsplit(next_href).query)["limit"] == ["10"]


@pytest.mark.parametrize("limit", [1, 7, 100])
def test_limit_sets_the_page_size_and_next_keeps_it(client: TestClient, limit: int) -> None:
    page = client.get(f"/customers?limit={limit}").json()

    assert len(page["_embedded"]["nter:customers"]) == min(limit, 32)
    assert page["_links"]["self"]["href"] == f"http://testserver/customers?limit={limit}"
    if "next" in page["_links"]:
        assert parse_qs(urlsplit(page["_links"]["next"]["href"]).query)["limit"] == [str(limit)]


@pytest.mark.parametrize("url, path_template, key", LISTS)
def test_walking_next_sees_every_item_once_and_ends(client: TestClient, url: str, path_template: str, key: str) -> None:
    everything = client.get(f"{url}?limit=100").json()
    all_ids = _ids([everything], key)

    pages = walk(client, f"{url}?limit=2")

    assert _ids(pages, key) == all_ids
    assert all(len(page["_embedded"][key]) <= 2 for page in pages)
    assert "next" not in pages[-1]["_links"]
    assert all("next" in page["_links"] for page in pages[:-1])


def test_next_is_absent_exactly_when_nothing_remains(client: TestClient) -> None:
    exact = client.get("/customers?limit=32").json()
    assert len(exact["_embedded"]["nter:customers"]) == 32
    assert "next" not in exact["_links"]
    short = client.get("/customers?limit=31").json()
    last = client.get(short["_links"]["next"]["href"]).json()
    assert len(last["_embedded"]["nter:customers"]) == 1
    assert "next" not in last["_links"]


def test_an_empty_list_is_a_page_without_next(client: TestClient) -> None:
    customer = create_customer(client)

    response = client.get(f"/customers/{customer['customer_id']}/contacts")

    conforms(response, "GET", "/customers/{customer_id}/contacts")
    assert response.json()["_embedded"]["nter:contacts"] == []
    assert "next" not in response.json()["_links"]


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5", ""])
def test_limit_outside_the_spec_bounds_is_a_400_problem(client: TestClient, limit: str) -> None:
    response = client.get(f"/customers?limit={limit}")

    conforms(response, "GET", "/customers")
    body = assert_problem(response, 400)
    assert [(v["location"], v["pointer"]) for v in body["violations"]] == [("query", "/limit")]


@pytest.mark.parametrize("offset", ["nonsense", "AAAAAAAAAAAA", "5", "%F0%9F%99%82"])
def test_an_offset_the_server_never_issued_is_a_400_problem(client: TestClient, offset: str) -> None:
    response = client.get(f"/customers?offset={offset}")

    conforms(response, "GET", "/customers")
    body = assert_problem(response, 400)
    assert body["violations"][0]["pointer"] == "/offset"


def test_a_tampered_cursor_is_refused(client: TestClient) -> None:
    next_href = client.get("/customers?limit=3").json()["_links"]["next"]["href"]
    cursor = parse_qs(urlsplit(next_href).query)["offset"][0]
    tampered = cursor[:-1] + ("A" if cursor[-1] != "A" else "B")

    assert_problem(client.get(f"/customers?limit=3&offset={tampered}"), 400)


def test_a_cursor_from_another_list_is_refused(client: TestClient) -> None:
    next_href = client.get("/customers/cus-0001/contacts?limit=1").json()["_links"]["next"]["href"]
    cursor = parse_qs(urlsplit(next_href).query)["offset"][0]

    assert_problem(client.get(f"/customers/cus-0002/contacts?offset={cursor}"), 400)
    assert_problem(client.get(f"/customers?offset={cursor}"), 400)


def test_pages_of_an_unknown_customer_are_404(client: TestClient) -> None:
    for kind in ("contacts", "parts", "programs"):
        assert_problem(client.get(f"/customers/nobody/{kind}"), 404)


def test_walk_is_exact_while_other_clients_insert_and_delete(client: TestClient) -> None:
    before = {item["customer_id"] for item in client.get("/customers?limit=100").json()["_embedded"]["nter:customers"]}
    deleted: set[str] = set()
    created: set[str] = set()
    seen: list[str] = []
    url: str | None = "/customers?limit=4"
    step = 0
    while url is not None:
        page = client.get(url).json()
        seen.extend(item["customer_id"] for item in page["_embedded"]["nter:customers"])
        # Another client changes the collection between every two pages: one delete ahead, one delete behind,
        # one insert.
        created.add(create_customer(client, label=f"Inserted during walk {step}")["customer_id"])
        for victim in sorted(before - deleted - {"cus-0003", "cus-0017"}, reverse=step % 2 == 0)[:1]:
            if client.delete(f"/customers/{victim}").status_code == 205:
                deleted.add(victim)
        url = page["_links"].get("next", {}).get("href")
        step += 1

    assert len(seen) == len(set(seen)), "no item is seen twice"
    survivors = before - deleted
    assert survivors <= set(seen), "every item that existed during the whole walk is seen"
    assert set(seen) <= before | created


def test_deep_pages_are_served_from_a_large_generated_collection() -> None:
    from mock_server import create_app

    with TestClient(create_app(generate=3000, seed=5)) as big:
        pages = walk(big, "/customers?limit=100")

    ids = [item["customer_id"] for page in pages for item in page["_embedded"]["nter:customers"]]
    assert len(ids) == len(set(ids)) == 3000
