"""What the suite reads from the spec, and that it follows the spec when the spec changes."""

from __future__ import annotations

from pathlib import Path

import yaml

from contract_tests.expectations import LimitBounds, derive, expectations_from_file
from customers_spec import SPEC_PATH

EXPECTATIONS = expectations_from_file(SPEC_PATH)


def test_problem_templates_come_from_the_spec() -> None:
    assert sorted(EXPECTATIONS.problems) == [400, 401, 403, 404, 409, 423]
    not_found = EXPECTATIONS.problems[404]
    assert (not_found.title, not_found.type, not_found.detail) == (
        "Not Found",
        "https://docs.nterprise.com/api/problem/NotFound",
        "Resource not found",
    )


def test_list_operations_paginate_with_the_spec_bounds() -> None:
    paginated = {op.operation_id: op for op in EXPECTATIONS.operations.values() if op.paginates}
    assert sorted(paginated) == [
        "fetchAllCustomerContacts",
        "fetchAllCustomerParts",
        "fetchAllCustomerPrograms",
        "fetchAllCustomers",
    ]
    customers = paginated["fetchAllCustomers"]
    assert customers.page_items_key == "nter:customers"
    assert customers.page_max_items == 100
    assert customers.limit == LimitBounds("limit", 1, 100)
    assert customers.cursor_parameter == "offset"


def test_documented_statuses_per_operation() -> None:
    assert EXPECTATIONS.operations["deleteCustomer"].statuses == {205, 401, 403, 404, 423}
    assert EXPECTATIONS.operations["updateCustomer"].statuses == {200, 400, 401, 403, 404, 409, 423}


def test_single_item_self_links_resolve_to_the_read_operation() -> None:
    found = EXPECTATIONS.item_operation_for("/customers/abc-1")
    assert found is not None
    operation, params = found
    assert (operation.operation_id, params) == ("fetchCustomerById", {"customer_id": "abc-1"})
    assert EXPECTATIONS.item_operation_for("/contacts/abc-1") is None
    assert EXPECTATIONS.item_operation_for("/customers/abc-1/contacts") is None


def test_a_changed_spec_changes_the_expectations(tmp_path: Path) -> None:
    raw = yaml.safe_load(SPEC_PATH.read_text())
    raw["components"]["schemas"]["ProblemNotFound"]["properties"]["title"]["enum"] = ["Gone Missing"]
    raw["components"]["parameters"]["Limit"]["schema"]["maximum"] = 50
    changed = derive(raw)
    assert changed.problems[404].title == "Gone Missing"
    assert changed.operations["fetchAllCustomers"].limit == LimitBounds("limit", 1, 50)


def test_links_chain_create_to_the_operations_on_the_created_customer() -> None:
    assert ("createCustomer", "fetchCustomerById") in EXPECTATIONS.links
    assert ("updateCustomer", "deleteCustomer") in EXPECTATIONS.links
    assert all(source in ("createCustomer", "updateCustomer") for source, _ in EXPECTATIONS.links)
