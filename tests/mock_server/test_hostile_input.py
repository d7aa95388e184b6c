"""Input the JSON grammar allows but the mock cannot keep: a clear 400 with a pointer, nothing stored, no 500.

Every test runs against both stores: what one store refuses, the other must refuse too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server import create_app
from mock_server.dataset import DatasetError
from mock_server.hal import Representation
from mock_server.store import Item
from tests.mock_server.conftest import NEW_CUSTOMER, assert_problem, customer_count

JSON = {"content-type": "application/json"}
INFINITE = b'{"label":"inf1","allowed_statuses":[],"external_platform":{"a":1e999}}'


def violations(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(violation["pointer"], violation["message"]) for violation in body["violations"]]


def test_a_number_beyond_a_double_is_a_400_pointing_at_it_and_stores_nothing(any_client: TestClient) -> None:
    before = customer_count(any_client)
    response = any_client.post("/customers", content=INFINITE, headers=JSON)
    body = assert_problem(response, 400)
    assert [pointer for pointer, _ in violations(body)] == ["/external_platform/a"]
    assert "finite" in body["violations"][0]["message"]
    assert customer_count(any_client) == before
    assert any_client.get("/customers?limit=100").status_code == 200
    assert any_client.get("/__mock__/state").status_code == 200


def test_a_replace_with_an_infinite_number_changes_nothing(any_client: TestClient) -> None:
    body = b'{"label":"x","allowed_statuses":[],"external_platform":{"deep":[1,-1e400]}}'
    before = any_client.get("/customers/cus-0001").json()
    response = any_client.put("/customers/cus-0001", content=body, headers=JSON)
    assert violations(assert_problem(response, 400))[0][0] == "/external_platform/deep/1"
    assert any_client.get("/customers/cus-0001").json() == before


def test_a_state_with_an_infinite_number_is_refused_whole(any_client: TestClient) -> None:
    before = any_client.get("/__mock__/state").json()
    state = b'{"customers":[{"customer_id":"a","label":"A","allowed_statuses":[],"external_platform":{"x":1e999}}]}'
    response = any_client.put("/__mock__/state", content=state, headers=JSON)
    assert violations(assert_problem(response, 400))[0][0] == "/customers/0/external_platform/x"
    assert any_client.get("/__mock__/state").json() == before


def test_a_fixture_file_with_an_infinite_number_is_refused_naming_the_member(tmp_path: Path) -> None:
    (tmp_path / "customers.yaml").write_text(
        "customers:\n- {customer_id: a, label: A, allowed_statuses: [], external_platform: {x: .inf}}\n"
    )
    with pytest.raises(DatasetError, match=r"customers\.yaml: customers\[0\]\.external_platform\.x: .*finite"):
        create_app(fixtures_dir=tmp_path)


@pytest.mark.parametrize("levels", [65, 300, 600, 5000])
def test_deeply_nested_bodies_are_a_400_not_a_crash(any_client: TestClient, levels: int) -> None:
    body = b'{"label":' + b"[" * levels + b"]" * levels + b',"allowed_statuses":[]}'
    before = customer_count(any_client)
    response = any_client.post("/customers", content=body, headers=JSON)
    assert "deeper than 64 levels" in violations(assert_problem(response, 400))[0][1]
    assert customer_count(any_client) == before


def test_nesting_within_the_limit_is_served_back_as_sent(any_client: TestClient) -> None:
    nested: Any = {"leaf": 1}
    for _ in range(60):
        nested = {"n": nested}
    response = any_client.post("/customers", json={**NEW_CUSTOMER, "external_platform": nested})
    assert response.status_code == 200, response.text
    assert response.json()["external_platform"] == nested


def test_brackets_inside_strings_do_not_count_as_nesting(any_client: TestClient) -> None:
    response = any_client.post("/customers", json={**NEW_CUSTOMER, "label": "[" * 5000})
    assert response.status_code == 200, response.text


def test_a_deeply_nested_state_is_a_400_and_changes_nothing(any_client: TestClient) -> None:
    before = customer_count(any_client)
    response = any_client.put("/__mock__/state", content=b"[" * 100_000 + b"]" * 100_000, headers=JSON)
    assert "deeper than 64 levels" in violations(assert_problem(response, 400))[0][1]
    assert customer_count(any_client) == before


def test_a_state_with_a_repeated_id_names_the_member_with_a_pointer(any_client: TestClient) -> None:
    twice = {"customer_id": "a", "allowed_statuses": []}
    state = {"customers": [{**twice, "label": "One"}, {**twice, "label": "Two"}]}
    body = assert_problem(any_client.put("/__mock__/state", json=state), 400)
    [(pointer, message)] = violations(body)
    assert pointer == "/customers/1/customer_id"
    assert message.startswith("state: customers[1].customer_id:")
    assert "customer_id 'a'" in message


def test_a_state_with_two_labels_of_one_slug_points_at_the_label(any_client: TestClient) -> None:
    state = {
        "customers": [
            {"customer_id": "a", "label": "Acme", "allowed_statuses": []},
            {"customer_id": "b", "label": "ACME", "allowed_statuses": []},
        ]
    }
    body = assert_problem(any_client.put("/__mock__/state", json=state), 400)
    assert violations(body)[0][0] == "/customers/1/label"
    assert "slug 'acme'" in violations(body)[0][1]


def test_a_state_record_that_is_invalid_is_refused_with_a_pointer(any_client: TestClient) -> None:
    state = {"customers": [{"customer_id": "a", "label": 5, "allowed_statuses": []}]}
    body = assert_problem(any_client.put("/__mock__/state", json=state), 400)
    assert violations(body)[0][0] == "/customers/0/label"


def test_members_keep_the_clients_order_in_every_store(any_client: TestClient) -> None:
    sent = {"label": "Ordered", "allowed_statuses": [{"status": "Open", "category": "PENDING"}],
            "external_platform": {"zeta": 1, "alpha": 2}}  # fmt: skip
    created = any_client.post("/customers", json=sent).json()
    # Read back from the store itself, not from the answer cached when the record was written.
    for text in (any_client.get("/__mock__/state").text, fresh_read(any_client, created["_links"]["self"]["href"])):
        assert '"allowed_statuses":[{"status":"Open","category":"PENDING"}]' in text
        assert '"external_platform":{"zeta":1,"alpha":2}' in text


def fresh_read(client: TestClient, url: str) -> str:
    """The item as a mock that never rendered it answers it (for SQLite: another mock on the same file)."""
    settings = client.app.state.settings  # type: ignore[attr-defined]
    if settings.store == "memory":
        return client.get(url).text  # one process holds the only copy
    other = create_app(settings)
    try:
        return TestClient(other, base_url="http://testserver").get(url).text
    finally:
        other.state.store.close()


def test_a_record_that_cannot_be_encoded_is_never_stored(any_client: TestClient) -> None:
    # Defence in depth below validation: the store itself refuses what it could not serve back.
    store = any_client.app.state.store  # type: ignore[attr-defined]
    before = customer_count(any_client)
    with pytest.raises(ValueError):
        store.create("customers", {"label": "x", "allowed_statuses": [], "external_platform": {"a": float("nan")}})
    with pytest.raises(ValueError):
        store.replace("customers", "cus-0001", {"label": "x", "allowed_statuses": [], "n": float("inf")})
    assert customer_count(any_client) == before
    assert any_client.get("/customers/cus-0001").json()["label"] != "x"
    assert any_client.get("/__mock__/state").status_code == 200


def test_a_write_whose_answer_cannot_be_rendered_is_undone(
    any_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stands in for any future rendering bug: the client gets a 500, and the state is as if nothing was sent.
    render = Representation.render

    def failing_render(self: Representation, item: Item, base_json: str) -> bytes:
        if item.data.get("label") == "Explodes":
            raise RuntimeError("cannot render")
        return render(self, item, base_json)

    monkeypatch.setattr(Representation, "render", failing_render)
    before = any_client.get("/__mock__/state").json()
    with_label = {**NEW_CUSTOMER, "label": "Explodes"}

    answering = TestClient(any_client.app, base_url="http://testserver", raise_server_exceptions=False)
    assert_problem(answering.post("/customers", json=with_label), 500)
    assert_problem(answering.put("/customers/cus-0001", json=with_label), 500)

    assert any_client.get("/__mock__/state").json() == before
    assert any_client.post("/customers", json={**NEW_CUSTOMER, "label": "Explodes Later"}).status_code == 200
