"""Whatever the seed, every answer the mock gives is documented and valid against the spec."""

from __future__ import annotations

import random
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server import create_app
from mock_server.fake import Faker, generate
from tests.mock_server.conftest import conforms

SEEDS = range(12)


def _exercise(client: TestClient, rng: random.Random) -> int:
    """Every operation, with generated valid input, each answer judged against the spec; returns the count."""
    spec_input = client.app.state.mock.spec.document["components"]["schemas"]  # type: ignore[attr-defined]
    resolve = _resolver(client.app.state.mock.spec.document)  # type: ignore[attr-defined]
    judged = 0

    def judge(method: str, template: str, url: str, body: Any = None) -> Any:
        nonlocal judged
        response = client.request(method, url, json=body)
        conforms(response, method, template)
        judged += 1
        return response

    pages = [judge("GET", "/customers", "/customers?limit=5").json()]
    while "next" in pages[-1]["_links"]:
        pages.append(judge("GET", "/customers", pages[-1]["_links"]["next"]["href"]).json())
    customers = [item for page in pages for item in page["_embedded"]["nter:customers"]]
    for customer in customers[:6]:
        cid = customer["customer_id"]
        judge("GET", "/customers/{customer_id}", f"/customers/{cid}")
        for kind in ("contacts", "parts", "programs"):
            judge("GET", f"/customers/{{customer_id}}/{kind}", f"/customers/{cid}/{kind}?limit=3")
    created = judge(
        "POST", "/customers", "/customers", _customer_input(resolve(spec_input["CustomerInput"]), rng)
    ).json()
    cid = created["customer_id"]
    judge(
        "PUT",
        "/customers/{customer_id}",
        f"/customers/{cid}",
        _customer_input(resolve(spec_input["CustomerInput"]), rng),
    )
    contact = {**generate(resolve(spec_input["ContactInput"]), rng), "label": f"Contact {rng.random()}"}
    judge("POST", "/customers/{customer_id}/contacts", f"/customers/{cid}/contacts", contact)
    judge("GET", "/customers/{customer_id}/contacts", f"/customers/{cid}/contacts")
    judge("DELETE", "/customers/{customer_id}", f"/customers/{cid}")
    judge("GET", "/customers/{customer_id}", f"/customers/{cid}")
    return judged


def _customer_input(schema: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    body: dict[str, Any] = generate(schema, rng)
    body["label"] = f"{Faker(rng).company()} {rng.randint(0, 10**9)}"  # unique, so no 409 interferes
    return body


def _resolver(document: dict[str, Any]) -> Any:
    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                target: Any = document
                for part in node["$ref"][2:].split("/"):
                    target = target[part]
                return resolve(target)
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_datasets_conform_for_every_seed(seed: int) -> None:
    with TestClient(create_app(seed=seed, generate=25)) as client:
        assert _exercise(client, random.Random(seed)) > 20


@pytest.mark.parametrize("seed", SEEDS)
def test_fixture_dataset_conforms_for_every_seed(seed: int, shared_app: Any) -> None:
    shared_app.state.mock.reset()
    with TestClient(shared_app) as client:
        assert _exercise(client, random.Random(1000 + seed)) > 20


def test_the_same_seed_generates_the_same_dataset() -> None:
    def first_page(seed: int) -> Any:
        with TestClient(create_app(seed=seed, generate=30)) as client:
            return client.get("/customers?limit=30").json()

    assert first_page(3) == first_page(3)
    assert first_page(3) != first_page(4)
