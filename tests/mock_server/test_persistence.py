"""`--store sqlite:PATH`: the state outlives the process, a 2xx write survives `kill -9`, processes share one file."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from mock_server import create_app
from mock_server.app import StoreSettingError
from tests.mock_server.conftest import NEW_CUSTOMER, assert_problem, walk
from tests.mock_server.live import live_mock

CONTACT = {"name": "Sam Lee", "label": "Ops", "email": "sam@example.com"}


def client_on(path: Path, **settings: Any) -> TestClient:
    return TestClient(create_app(store=f"sqlite:{path}", **settings), base_url="http://testserver")


def test_a_new_file_starts_with_the_fixtures_and_a_used_one_keeps_its_state(tmp_path: Path) -> None:
    db = tmp_path / "mock.db"
    first = client_on(db)
    assert first.get("/__mock__/health").json()["records"] == {"customers": 32}
    created = first.post("/customers", json=NEW_CUSTOMER).json()
    first.delete("/customers/cus-0001")

    restarted = client_on(db)  # as after a restart: the file is not reloaded from the fixtures

    assert restarted.get(f"/customers/{created['customer_id']}").json() == created
    assert_problem(restarted.get("/customers/cus-0001"), 404)
    assert restarted.post("/__mock__/reset").status_code == 204
    assert restarted.get("/customers/cus-0001").status_code == 200
    assert_problem(restarted.get(f"/customers/{created['customer_id']}"), 404)


def test_two_mocks_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    one, two = client_on(tmp_path / "shared.db"), client_on(tmp_path / "shared.db")

    created = one.post("/customers", json=NEW_CUSTOMER).json()
    assert two.get(f"/customers/{created['customer_id']}").json() == created
    renamed = two.put(f"/customers/{created['customer_id']}", json={**NEW_CUSTOMER, "label": "Renamed"}).json()
    assert one.get(f"/customers/{created['customer_id']}").json() == renamed
    two.post(f"/customers/{created['customer_id']}/contacts", json=CONTACT)
    assert len(one.get(f"/customers/{created['customer_id']}/contacts").json()["_embedded"]["nter:contacts"]) == 1
    one.delete(f"/customers/{created['customer_id']}")
    assert_problem(two.get(f"/customers/{created['customer_id']}"), 404)


def test_a_walk_keeps_its_guarantees_while_another_mock_writes(tmp_path: Path) -> None:
    reader, writer = client_on(tmp_path / "pages.db"), client_on(tmp_path / "pages.db")
    everyone = [
        item["customer_id"]
        for page in walk(reader, "/customers?limit=100")
        for item in page["_embedded"]["nter:customers"]
    ]

    seen: list[str] = []
    url: str | None = "/customers?limit=5"
    while url is not None:
        page = reader.get(url).json()
        seen.extend(item["customer_id"] for item in page["_embedded"]["nter:customers"])
        if seen[-1] != "cus-0003":  # locked in the fixtures
            writer.delete(f"/customers/{seen[-1]}")
        writer.post("/customers", json={**NEW_CUSTOMER, "label": f"Added while walking {len(seen)}"})
        url = page["_links"].get("next", {}).get("href")

    assert len(seen) == len(set(seen)), "no record twice"
    assert seen[: len(everyone)] == everyone, "every record that was there from the start, in order"


def _spread(apps: list[Starlette], requests: list[tuple[str, str, Any]]) -> list[httpx.Response]:
    """The requests, concurrently, each sent to the next app in turn."""

    async def run() -> list[httpx.Response]:
        clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") for app in apps]
        try:
            calls = [
                clients[n % len(clients)].request(method, url, json=body)
                for n, (method, url, body) in enumerate(requests)
            ]
            return await asyncio.gather(*calls)
        finally:
            for client in clients:
                await client.aclose()

    return asyncio.run(run())


def test_concurrent_writes_through_two_mocks_lose_nothing(tmp_path: Path) -> None:
    apps = [create_app(store=f"sqlite:{tmp_path / 'busy.db'}") for _ in range(2)]
    requests = [("POST", "/customers/cus-0002/contacts", {**CONTACT, "label": f"Shift {n}"}) for n in range(60)]

    responses = _spread(apps, requests)

    assert {response.status_code for response in responses} == {200}
    assert len({response.json()["contact_id"] for response in responses}) == 60
    listed = TestClient(apps[1]).get("/customers/cus-0002/contacts?limit=100").json()["_embedded"]["nter:contacts"]
    assert len(listed) == 60 + 3  # the fixtures' three contacts of cus-0002 plus every new one


def test_concurrent_replaces_through_two_mocks_keep_the_last_accepted_write(tmp_path: Path) -> None:
    apps = [create_app(store=f"sqlite:{tmp_path / 'puts.db'}") for _ in range(2)]
    requests = [("PUT", "/customers/cus-0001", {**NEW_CUSTOMER, "label": f"Writer {n}"}) for n in range(40)]

    responses = _spread(apps, requests)

    assert {response.status_code for response in responses} == {200}
    assert len({response.json()["updated"] for response in responses}) == 40, "each write its own, later `updated`"
    last = max((response.json() for response in responses), key=lambda body: body["updated"])
    assert [TestClient(app, base_url="http://t").get("/customers/cus-0001").json() for app in apps] == [last, last]


def test_one_slug_created_through_two_mocks_at_once_is_admitted_once(tmp_path: Path) -> None:
    apps = [create_app(store=f"sqlite:{tmp_path / 'slugs.db'}") for _ in range(2)]

    responses = _spread(apps, [("POST", "/customers", NEW_CUSTOMER)] * 20)

    assert sorted(response.status_code for response in responses) == [200] + [409] * 19


def test_a_bad_store_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreSettingError, match="unknown store 'redis:x'"):
        create_app(store="redis:x")
    (tmp_path / "not-a-db").write_bytes(b"this is not a database file" * 100)
    with pytest.raises(StoreSettingError, match="cannot use .* as a SQLite store"):
        create_app(store=f"sqlite:{tmp_path / 'not-a-db'}")


def test_a_write_answered_2xx_survives_kill_9(tmp_path: Path) -> None:
    store = f"sqlite:{tmp_path / 'crash.db'}"
    with live_mock("--store", store, "--no-access-log") as mock:
        created = httpx.post(f"{mock.url}/customers", json=NEW_CUSTOMER, timeout=10)
        deleted = httpx.delete(f"{mock.url}/customers/cus-0001", timeout=10)
        mock.kill()  # right after the answers: no shutdown, no flush

    assert (created.status_code, deleted.status_code) == (200, 205)
    with live_mock("--store", store, "--no-access-log") as restarted:
        again = httpx.get(f"{restarted.url}/customers/{created.json()['customer_id']}", timeout=10)
        gone = httpx.get(f"{restarted.url}/customers/cus-0001", timeout=10)

    assert again.status_code == 200 and again.json()["label"] == NEW_CUSTOMER["label"]
    assert gone.status_code == 404


def test_two_processes_and_workers_share_one_file_without_lost_updates(tmp_path: Path) -> None:
    store = f"sqlite:{tmp_path / 'workers.db'}"
    with (
        live_mock("--store", store, "--workers", "2", "--no-access-log") as workers,
        live_mock("--store", store, "--no-access-log") as single,
    ):
        urls = [workers.url, single.url]
        http = httpx.Client(timeout=30)
        before = http.get(f"{single.url}/customers/cus-0004/contacts?limit=100").json()
        fixture_contacts = len(before["_embedded"]["nter:contacts"])

        def attach(n: int) -> httpx.Response:
            body = {**CONTACT, "label": f"Shift {n}"}
            return http.post(f"{urls[n % 2]}/customers/cus-0004/contacts", json=body)

        with ThreadPoolExecutor(max_workers=8) as pool:
            responses = list(pool.map(attach, range(80)))
            listed = [http.get(f"{url}/customers/cus-0004/contacts?limit=100").json() for url in urls]
        http.close()

    assert {response.status_code for response in responses} == {200}
    assert len({response.json()["contact_id"] for response in responses}) == 80
    assert [len(page["_embedded"]["nter:contacts"]) for page in listed] == [80 + fixture_contacts] * 2


def test_workers_need_a_shared_store(capsys: pytest.CaptureFixture[str]) -> None:
    from mock_server.cli import EXIT_USAGE, main

    with pytest.raises(SystemExit) as exit_info:
        main(["--workers", "2"])

    assert exit_info.value.code == EXIT_USAGE
    assert capsys.readouterr().err == (
        "customers-mock: --workers needs a shared store: add --store sqlite:PATH (see --help)\n"
    )
