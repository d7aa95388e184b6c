"""The default dataset is rich enough to page through and valid against the spec; bad fixtures are explained."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from customers_fixtures import FIXTURES_DIR
from mock_server import create_app
from mock_server.dataset import DatasetError
from tests.mock_server.conftest import conforms, walk

FIXTURES: dict[str, Any] = yaml.safe_load((FIXTURES_DIR / "customers.yaml").read_text(encoding="utf-8"))


def test_the_default_dataset_spans_several_pages_with_every_kind_of_record() -> None:
    customers = FIXTURES["customers"]

    assert len(customers) >= 30
    assert any(customer.get("locked") for customer in customers)
    for customer in customers:
        assert customer["contacts"] and customer["parts"] and customer["programs"], customer["customer_id"]
        for part in customer["parts"]:
            assert part["input_filter"]
            assert all(field["filters"] and field["validators"] for field in part["input_filter"])


def test_every_fixture_record_is_served_valid_against_the_spec(client: TestClient) -> None:
    pages = walk(client, "/customers?limit=100")
    customers = [item for page in pages for item in page["_embedded"]["nter:customers"]]
    assert len(customers) == len(FIXTURES["customers"])
    for customer in customers:
        conforms(client.get(customer["_links"]["self"]["href"]), "GET", "/customers/{customer_id}")
        for kind in ("contacts", "parts", "programs"):
            response = client.get(f"/customers/{customer['customer_id']}/{kind}?limit=100")
            conforms(response, "GET", f"/customers/{{customer_id}}/{kind}")


def test_fixture_ids_and_timestamps_are_served_as_written(client: TestClient) -> None:
    first = FIXTURES["customers"][0]

    served = client.get(f"/customers/{first['customer_id']}").json()

    assert served["created"] == first["created"] and served["updated"] == first["updated"]
    assert served["label"] == first["label"]


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "data.yaml").write_text(text, encoding="utf-8")
    return tmp_path


CUSTOMER = "customer_id: c1\n    label: Acme\n    allowed_statuses: []\n    created: '2024-01-01T00:00:00.000Z'"


def test_a_users_own_fixtures_are_served(tmp_path: Path) -> None:
    folder = _write(tmp_path, f"customers:\n  - {CUSTOMER}\n    contacts:\n      - {{contact_id: k1, label: Boss}}\n")

    with TestClient(create_app(fixtures_dir=folder)) as client:
        page = client.get("/customers").json()
        contacts = client.get("/customers/c1/contacts").json()

    assert [item["customer_id"] for item in page["_embedded"]["nter:customers"]] == ["c1"]
    assert [item["contact_id"] for item in contacts["_embedded"]["nter:contacts"]] == ["k1"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("customers: [", "data.yaml is not valid YAML"),
        ("- just a list", "data.yaml: the top level must map collection names"),
        ("invoices: []", "data.yaml: 'invoices' is not a collection of the spec"),
        ("customers: {}", "data.yaml: customers must be a list of records"),
        ("customers:\n  - label: No id", "data.yaml: customers[0] needs a 'customer_id'"),
        (f"customers:\n  - {CUSTOMER}\n    locked: maybe", "customers[0].locked must be true or false"),
        (
            f"customers:\n  - {CUSTOMER}\n  - {CUSTOMER}",
            "customers[1].customer_id: another record of customers already has customer_id",
        ),
        ("customers:\n  - customer_id: c1\n    label: 5\n    allowed_statuses: []", "data.yaml: customers[0].label"),
        # Parts embed their customer, whose schema requires `allowed_statuses`.
        ("customers:\n  - customer_id: c1\n    label: A\n    parts: [{part_id: x}]", "customers[0].parts[0].customer"),
        (
            f"customers:\n  - {CUSTOMER}\n    programs:\n      - {{program_id: p1, start_date: soon}}",
            "data.yaml: customers[0].programs[0].start_date",
        ),
    ],
)
def test_bad_fixtures_are_refused_with_a_message_that_points_at_the_record(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(DatasetError) as error:
        create_app(fixtures_dir=_write(tmp_path, text))

    assert message in str(error.value)
    assert "\n" not in str(error.value)
