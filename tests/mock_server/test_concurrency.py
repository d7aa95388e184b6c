"""Concurrent clients: no duplicate id, no lost update, no lost record."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from starlette.applications import Starlette

from mock_server import create_app
from tests.mock_server.conftest import NEW_CUSTOMER


async def _gather(app: Starlette, requests: list[tuple[str, str, Any]]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await asyncio.gather(*(client.request(method, url, json=body) for method, url, body in requests))


def test_many_concurrent_creates_get_distinct_ids_and_are_all_listed() -> None:
    app = create_app(seed=11)
    requests = [("POST", "/customers", {**NEW_CUSTOMER, "label": f"Concurrent {n}"}) for n in range(200)]

    responses = asyncio.run(_gather(app, requests))

    assert {response.status_code for response in responses} == {200}
    ids = [response.json()["customer_id"] for response in responses]
    assert len(set(ids)) == 200
    listed = asyncio.run(_gather(app, [("GET", "/customers?limit=100", None)]))[0].json()
    assert listed["_links"]["next"]  # 232 customers now: the fixtures' 32 plus 200


def test_concurrent_updates_leave_the_last_accepted_write_in_place() -> None:
    app = create_app(seed=12)
    requests = [("PUT", "/customers/cus-0001", {**NEW_CUSTOMER, "label": f"Writer {n}"}) for n in range(50)]

    responses = asyncio.run(_gather(app, requests))

    assert {response.status_code for response in responses} == {200}
    updates = sorted(response.json()["updated"] for response in responses)
    assert len(set(updates)) == 50, "every write got its own, later `updated`"
    last = max((response.json() for response in responses), key=lambda body: body["updated"])
    final = asyncio.run(_gather(app, [("GET", "/customers/cus-0001", None)]))[0].json()
    assert final == last


def test_concurrent_attachments_are_all_kept() -> None:
    app = create_app(seed=13)
    contact = {"name": "Sam Lee", "email": "sam@example.com"}
    requests = [("POST", "/customers/cus-0002/contacts", {**contact, "label": f"Shift {n}"}) for n in range(60)]
    before = asyncio.run(_gather(app, [("GET", "/customers/cus-0002/contacts?limit=100", None)]))[0].json()

    responses = asyncio.run(_gather(app, requests))

    assert {response.status_code for response in responses} == {200}
    after = asyncio.run(_gather(app, [("GET", "/customers/cus-0002/contacts?limit=100", None)]))[0].json()
    assert len(after["_embedded"]["nter:contacts"]) == len(before["_embedded"]["nter:contacts"]) + 60
