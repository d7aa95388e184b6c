"""A cursor belongs to the state it was issued in: after a reset or a state load it is refused, never replayed."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from mock_server import create_app
from tests.mock_server.conftest import assert_problem, walk


def next_link(client: TestClient, url: str) -> str:
    href: str = client.get(url).json()["_links"]["next"]["href"]
    return href


def test_a_cursor_issued_before_a_reset_is_refused_after_it(any_client: TestClient) -> None:
    second_page = next_link(any_client, "/customers?limit=5")
    assert any_client.get(second_page).status_code == 200
    assert any_client.post("/__mock__/reset").status_code == 204
    body = assert_problem(any_client.get(second_page), 400)
    assert body["violations"][0]["pointer"] == "/offset"
    assert "not a cursor this server issued" in body["violations"][0]["message"]


def test_a_cursor_issued_before_a_state_load_is_refused_after_it(any_client: TestClient) -> None:
    state = any_client.get("/__mock__/state").json()
    second_page = next_link(any_client, "/customers?limit=5")
    assert any_client.put("/__mock__/state", json=state).status_code == 204
    assert_problem(any_client.get(second_page), 400)
    # A walk started after the load sees every customer once.
    ids = [
        item["customer_id"]
        for page in walk(any_client, "/customers?limit=5")
        for item in page["_embedded"]["nter:customers"]
    ]
    assert len(ids) == len(set(ids)) == len(state["customers"])


def test_a_refused_state_load_keeps_cursors_valid(any_client: TestClient) -> None:
    second_page = next_link(any_client, "/customers?limit=5")
    assert any_client.put("/__mock__/state", json={"customers": [{"label": "no id"}]}).status_code == 400
    assert any_client.get(second_page).status_code == 200


def test_a_sqlite_cursor_survives_a_restart_but_not_a_reset_seen_by_another_process(tmp_path: Path) -> None:
    store = f"sqlite:{tmp_path / 'state.db'}"
    with TestClient(create_app(store=store), base_url="http://testserver") as first:
        second_page = next_link(first, "/customers?limit=5")
    with TestClient(create_app(store=store), base_url="http://testserver") as restarted:
        assert restarted.get(second_page).status_code == 200
        with TestClient(create_app(store=store), base_url="http://testserver") as other:
            assert other.post("/__mock__/reset").status_code == 204
        assert_problem(restarted.get(second_page), 400)
