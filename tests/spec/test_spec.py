"""The OpenAPI document says everything the seed says, and says it validly."""

from __future__ import annotations

import copy
import re
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from customers_spec import SEED_PATH, SPEC_PATH
from tests.spec.faithfulness import deref, missing_from_spec, operations
from tests.spec.seed_reader import find_examples, read_seed

SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
SEED = read_seed(SEED_PATH)
SPEC_README = (SPEC_PATH.parent / "README.md").read_text(encoding="utf-8")


def test_seed_copy_has_all_nine_operations() -> None:
    assert [op.operation_id for op in SEED] == [
        "fetchAllCustomers",
        "createCustomer",
        "fetchCustomerById",
        "updateCustomer",
        "deleteCustomer",
        "fetchAllCustomerContacts",
        "attachCustomerContact",
        "fetchAllCustomerParts",
        "fetchAllCustomerPrograms",
    ]


def test_spec_is_valid_openapi_3_0() -> None:
    validate(SPEC)
    assert SPEC["openapi"] == "3.0.3"
    assert SPEC["info"]["version"] == "2.0.0"


def test_spec_carries_every_seed_fact() -> None:
    assert missing_from_spec(SEED, SPEC) == []


@pytest.mark.parametrize(
    "mutate, finding",
    [
        pytest.param(
            lambda s: s["paths"]["/customers/{customer_id}"]["put"]["responses"].pop("423"),
            "updateCustomer: status 423 missing",
            id="dropped-status",
        ),
        pytest.param(
            lambda s: s["paths"]["/customers/{customer_id}/parts"]["get"]["parameters"].pop(),
            "fetchAllCustomerParts: query parameter 'offset' missing",
            id="dropped-parameter",
        ),
        pytest.param(
            lambda s: s["components"]["schemas"]["ContactInput"]["required"].remove("email"),
            "attachCustomerContact: body parameter 'email' required should be True",
            id="body-not-required",
        ),
        pytest.param(
            lambda s: s["components"]["parameters"]["Limit"]["schema"].pop("format"),
            "fetchAllCustomers: query parameter 'limit' format should be int32",
            id="dropped-format",
        ),
        pytest.param(
            lambda s: s["components"]["schemas"]["ProblemLocked"]["properties"]["detail"].update(enum=["Locked"]),
            "deleteCustomer: 423 problem detail should be exactly "
            "'The current resource is locked and cannot be modified'",
            id="changed-problem-detail",
        ),
        pytest.param(
            lambda s: s["components"]["schemas"]["ProblemNotFound"]["properties"]["type"].pop("enum"),
            "fetchCustomerById: 404 problem type should be exactly 'https://docs.nterprise.com/api/problem/NotFound'",
            id="dropped-problem-type",
        ),
    ],
)
def test_comparison_catches_a_dropped_fact(mutate: Any, finding: str) -> None:
    mutated = copy.deepcopy(SPEC)
    mutate(mutated)
    assert finding in missing_from_spec(SEED, mutated)


@pytest.mark.parametrize("name", sorted(SPEC["components"]["schemas"]))
def test_every_component_schema_is_valid_json_schema(name: str) -> None:
    OAS30Validator.check_schema(deref(SPEC, SPEC["components"]["schemas"][name]))


def _problem_schemas() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for operation_id, (_, _, operation) in operations(SPEC).items():
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                found.append((operation_id, status, response))
    return found


@pytest.mark.parametrize(
    "operation_id, status, response", _problem_schemas(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_error_is_a_problem_with_four_required_fixed_members(
    operation_id: str, status: str, response: dict[str, Any]
) -> None:
    assert list(response["content"]) == ["application/problem+json"]
    schema = response["content"]["application/problem+json"]["schema"]
    assert set(schema["required"]) == {"title", "type", "status", "detail"}
    assert schema["properties"]["status"]["enum"] == [int(status)]
    for member in ("title", "type", "detail"):
        assert len(schema["properties"][member]["enum"]) == 1


def test_limit_is_int32_between_1_and_100_with_a_default() -> None:
    limit = SPEC["components"]["parameters"]["Limit"]["schema"]
    assert limit == {"type": "integer", "format": "int32", "minimum": 1, "maximum": 100, "default": limit["default"]}
    assert 1 <= limit["default"] <= 100


def test_every_list_operation_takes_limit_and_offset_and_documents_400() -> None:
    lists = [op for op in SEED if any(p.name == "limit" for p in op.parameters)]
    assert len(lists) == 4
    spec_operations = operations(SPEC)
    for seed_op in lists:
        _, _, operation = spec_operations[seed_op.operation_id]
        assert {p["name"] for p in operation["parameters"]} >= {"limit", "offset"}
        assert "400" in operation["responses"]
        page = operation["responses"]["200"]["content"]["application/json"]["schema"]
        embedded = page["properties"]["_embedded"]["properties"]
        (items,) = embedded.values()
        assert items["maxItems"] == 100
        assert set(page["properties"]["_links"]["properties"]) == {"self", "next"}


def test_delete_answers_205_with_no_content() -> None:
    _, _, operation = operations(SPEC)["deleteCustomer"]
    assert "content" not in operation["responses"]["205"]


def test_create_customer_links_to_every_operation_on_the_customer() -> None:
    _, _, operation = operations(SPEC)["createCustomer"]
    links = operation["responses"]["200"]["links"]
    targets = {link["operationId"] for link in links.values()}
    per_customer = {op_id for op_id, (_, path, _) in operations(SPEC).items() if "{customer_id}" in path}
    assert targets == per_customer
    for link in links.values():
        assert link["parameters"] == {"customer_id": "$response.body#/customer_id"}


def test_no_array_uses_numeric_bounds() -> None:
    def walk(node: Any) -> list[dict[str, Any]]:
        if isinstance(node, dict):
            here = [node] if node.get("type") == "array" and ({"minimum", "maximum"} & set(node)) else []
            return here + [hit for value in node.values() for hit in walk(value)]
        if isinstance(node, list):
            return [hit for value in node for hit in walk(value)]
        return []

    assert walk(SPEC) == []


def _seed_examples() -> list[tuple[str, tuple[str, ...], object]]:
    return [
        (op.operation_id, trail, value)
        for op in SEED
        for block in op.json_blocks
        for trail, value in find_examples(block)
    ]


@pytest.mark.parametrize(
    "operation_id, trail, example",
    _seed_examples(),
    ids=lambda v: v if isinstance(v, str) else "/".join(v) if isinstance(v, tuple) else "",
)
def test_seed_examples_validate_against_the_spec(operation_id: str, trail: tuple[str, ...], example: object) -> None:
    # Every example in the seed is a HAL link object (item or page `self`/`next`).
    assert trail[-3:-1] == ("_links", "properties")
    link = deref(SPEC, SPEC["components"]["schemas"]["Link"])
    jsonschema.validate(example, link, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def test_format_checking_is_active_for_seed_examples() -> None:
    link = deref(SPEC, SPEC["components"]["schemas"]["Link"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"href": "not a uri"}, link, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def test_every_example_in_the_spec_validates_against_its_schema() -> None:
    def examples(node: Any) -> list[tuple[Any, dict[str, Any]]]:
        if isinstance(node, dict):
            here = [(node["example"], node)] if "example" in node else []
            return here + [hit for key, value in node.items() if key != "example" for hit in examples(value)]
        if isinstance(node, list):
            return [hit for value in node for hit in examples(value)]
        return []

    found = examples(deref(SPEC, SPEC))
    assert found, "the seed's example hrefs should be carried into the spec"
    for example, schema in found:
        jsonschema.validate(
            example,
            {k: v for k, v in schema.items() if k != "example"},
            format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER,
        )


def test_every_status_added_beyond_the_seed_is_explained_in_spec_readme() -> None:
    seed_statuses = {op.operation_id: set(op.statuses) for op in SEED}
    for operation_id, (_, _, operation) in operations(SPEC).items():
        for status in set(operation["responses"]) - seed_statuses[operation_id]:
            pattern = rf"{operation_id}.*{status}|{status}.*{operation_id}"
            assert re.search(pattern, SPEC_README), f"spec/README.md does not explain {operation_id} {status}"
