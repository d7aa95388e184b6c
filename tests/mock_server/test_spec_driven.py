"""Operations added to the spec are served with no code change: validated input, schema-valid answers, CRUD
wherever the path shape fits."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from starlette.testclient import TestClient

from customers_spec import SPEC_PATH
from mock_server import create_app
from mock_server.spec import SpecError
from tests.mock_server.conftest import assert_problem

BASE: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
BAD_REQUEST = {"$ref": "#/components/responses/BadRequest"}
NOT_FOUND = {"$ref": "#/components/responses/NotFound"}

SUMMARY = {
    "get": {
        "operationId": "fetchCustomerSummary",
        "parameters": [
            {"$ref": "#/components/parameters/CustomerId"},
            {
                "name": "window",
                "in": "query",
                "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": 90},
            },
        ],
        "responses": {
            "200": {
                "description": "Summary",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["open_orders", "health", "last_visit", "account_manager"],
                            "additionalProperties": False,
                            "properties": {
                                "open_orders": {"type": "integer", "minimum": 0, "maximum": 500},
                                "health": {"type": "string", "enum": ["good", "at-risk", "churned"]},
                                "last_visit": {"type": "string", "format": "date-time"},
                                "account_manager": {
                                    "type": "object",
                                    "required": ["name", "email"],
                                    "properties": {
                                        "name": {"type": "string"},
                                        "email": {"type": "string", "format": "email"},
                                    },
                                },
                                "tags": {
                                    "type": "array",
                                    "uniqueItems": True,
                                    "items": {"type": "string", "pattern": "^[a-z]+$"},
                                },
                            },
                        }
                    }
                },
            },
            "400": BAD_REQUEST,
            "404": NOT_FOUND,
        },
    }
}
ARCHIVE = {
    "post": {
        "operationId": "archiveCustomer",
        "parameters": [{"$ref": "#/components/parameters/CustomerId"}],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["reason"],
                        "properties": {"reason": {"type": "string", "minLength": 3}},
                    }
                }
            },
        },
        "responses": {"204": {"description": "Archived"}, "400": BAD_REQUEST},
    }
}
SITE = {
    "type": "object",
    "required": ["_links", "site_id"],
    "properties": {
        "_links": {
            "type": "object",
            "required": ["self"],
            "properties": {"self": {"$ref": "#/components/schemas/Link"}},
        },
        "site_id": {"type": "string", "readOnly": True, "pattern": "^[0-9a-zA-Z-_]+$"},
        "label": {"type": "string"},
        "address": {"type": "string"},
        "created": {"type": "string", "format": "date-time", "readOnly": True},
    },
}
SITES = {
    "parameters": [{"$ref": "#/components/parameters/CustomerId"}],
    "get": {
        "operationId": "fetchAllCustomerSites",
        "parameters": [{"$ref": "#/components/parameters/Limit"}, {"$ref": "#/components/parameters/Offset"}],
        "responses": {
            "200": {
                "description": "Sites",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["_links"],
                            "properties": {
                                "_embedded": {
                                    "type": "object",
                                    "properties": {
                                        "nter:sites": {"type": "array", "items": {"$ref": "#/components/schemas/Site"}}
                                    },
                                },
                                "_links": {
                                    "type": "object",
                                    "properties": {
                                        "self": {"$ref": "#/components/schemas/Link"},
                                        "next": {"$ref": "#/components/schemas/Link"},
                                    },
                                },
                            },
                        }
                    }
                },
            },
            "400": BAD_REQUEST,
            "404": NOT_FOUND,
        },
    },
    "post": {
        "operationId": "attachCustomerSite",
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["label", "address"],
                        "properties": {"label": {"type": "string"}, "address": {"type": "string"}},
                    }
                }
            },
        },
        "responses": {
            "200": {
                "description": "Site",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Site"}}},
            },
            "400": BAD_REQUEST,
            "404": NOT_FOUND,
        },
    },
}


def _extended_spec(tmp_path: Path) -> Path:
    document = copy.deepcopy(BASE)
    document["paths"]["/customers/{customer_id}/summary"] = SUMMARY
    document["paths"]["/customers/{customer_id}/archive"] = ARCHIVE
    document["paths"]["/customers/{customer_id}/sites"] = SITES
    document["components"]["schemas"]["Site"] = SITE
    path = tmp_path / "extended.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def extended(tmp_path: Path) -> tuple[TestClient, Any]:
    spec_path = _extended_spec(tmp_path)
    return TestClient(create_app(spec_path=spec_path, seed=9)), schemathesis.openapi.from_path(spec_path)


def test_a_new_operation_answers_schema_valid_generated_data(extended: tuple[TestClient, Any]) -> None:
    client, spec = extended

    for _ in range(25):
        response = client.get("/customers/cus-0001/summary?window=30")
        spec["/customers/{customer_id}/summary"]["GET"].validate_response(response)
    assert response.json()["health"] in ("good", "at-risk", "churned")


def test_a_new_operation_validates_its_input(extended: tuple[TestClient, Any]) -> None:
    client, _ = extended

    missing = assert_problem(client.get("/customers/cus-0001/summary"), 400)
    out_of_range = assert_problem(client.get("/customers/cus-0001/summary?window=91"), 400)
    short_reason = assert_problem(client.post("/customers/cus-0001/archive", json={"reason": "no"}), 400)

    assert missing["violations"][0]["pointer"] == "/window"
    assert out_of_range["violations"][0]["pointer"] == "/window"
    assert short_reason["violations"][0]["pointer"] == "/reason"


def test_a_new_operation_without_a_body_answers_its_documented_status(extended: tuple[TestClient, Any]) -> None:
    client, _ = extended

    response = client.post("/customers/cus-0001/archive", json={"reason": "moved to a competitor"})

    assert response.status_code == 204
    assert response.content == b""


def test_generated_answers_are_deterministic_per_seed(tmp_path: Path) -> None:
    spec_path = _extended_spec(tmp_path)

    def answers(seed: int) -> list[Any]:
        client = TestClient(create_app(spec_path=spec_path, seed=seed))
        return [client.get("/customers/cus-0001/summary?window=7").json() for _ in range(3)]

    assert answers(1) == answers(1)
    assert answers(1) != answers(2)


def test_crud_attaches_to_a_new_sub_collection(extended: tuple[TestClient, Any]) -> None:
    client, spec = extended

    created = client.post(
        "/customers/cus-0001/sites", json={"label": "Depot", "address": "1 Harbor Way", "site_id": "x"}
    )
    listed = client.get("/customers/cus-0001/sites")

    spec["/customers/{customer_id}/sites"]["POST"].validate_response(created)
    spec["/customers/{customer_id}/sites"]["GET"].validate_response(listed)
    site = created.json()
    assert site["site_id"] != "x" and site["label"] == "Depot"
    assert listed.json()["_embedded"]["nter:sites"] == [site]
    assert_problem(client.get("/customers/nobody/sites"), 404)
    client.delete("/customers/cus-0001")
    assert_problem(client.get("/customers/cus-0001/sites"), 404)


@pytest.mark.parametrize(
    "text, message",
    [
        ("openapi: 3.0.3\npaths: {}", "has no paths to serve"),
        ("swagger: '2.0'\npaths: {}", "is not an OpenAPI 3.x document"),
        (
            "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/nowhere'}",
            "points nowhere",
        ),
        ("openapi: [", "is not valid YAML"),
    ],
)
def test_an_unusable_spec_is_refused_in_one_sentence(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(SpecError) as error:
        create_app(spec_path=path)

    assert message in str(error.value)
    assert "\n" not in str(error.value)
