"""`Prefer` forces an answer per request: a documented status, a named example, generated data; never a state change."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from customers_spec import SPEC_PATH
from mock_server import create_app
from tests.mock_server.conftest import NEW_CUSTOMER, assert_problem, conforms

PROBLEM_BODIES = {
    401: {
        "type": "https://docs.nterprise.com/api/problem/Unauthorized",
        "title": "Unauthorized",
        "status": 401,
        "detail": "You are not authorized to access this resource",
    },
    404: {
        "type": "https://docs.nterprise.com/api/problem/NotFound",
        "title": "Not Found",
        "status": 404,
        "detail": "Resource not found",
    },
    409: {
        "type": "https://docs.nterprise.com/api/problem/Conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "This request contains a conflict to another resource",
    },
}


def prefer_violation(response: Any) -> str:
    body = assert_problem(response, 400)
    assert body["detail"] == "Invalid request"  # the spec's 400 template, untouched
    [violation] = body["violations"]
    assert (violation["location"], violation["pointer"]) == ("header", "/prefer")
    message: str = violation["message"]
    return message


@pytest.mark.parametrize(
    "method, path, code",
    [
        ("GET", "/customers/cus-0001", 404),
        ("GET", "/customers", 401),
        ("POST", "/customers", 409),
    ],
)
def test_a_documented_error_code_answers_the_exact_problem_body(
    client: TestClient, method: str, path: str, code: int
) -> None:
    body = NEW_CUSTOMER if method == "POST" else None

    response = client.request(method, path, json=body, headers={"Prefer": f"code={code}"})

    assert response.status_code == code
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == PROBLEM_BODIES[code]
    assert response.headers["preference-applied"] == f"code={code}"
    conforms(response, method, "/customers" if path == "/customers" else "/customers/{customer_id}")


def test_an_undocumented_code_is_a_400_naming_the_documented_ones(client: TestClient) -> None:
    response = client.get("/customers/cus-0001", headers={"Prefer": "code=418"})

    assert prefer_violation(response) == (
        "code=418 is not documented for GET /customers/{customer_id}; documented codes: 200, 401, 403, 404"
    )


def test_a_forced_2xx_is_generated_valid_data(client: TestClient) -> None:
    response = client.get("/customers/cus-0003", headers={"Prefer": "code=200"})

    conforms(response, "GET", "/customers/{customer_id}")
    # Generated, not the stored record, but still about the customer asked for.
    assert response.json() != client.get("/customers/cus-0003").json()
    assert response.json()["customer_id"] == "cus-0003"


def test_dynamic_answers_fresh_generated_data_instead_of_state(client: TestClient) -> None:
    stored = client.get("/customers/cus-0001").json()

    first = client.get("/customers/cus-0001", headers={"Prefer": "dynamic=true"})
    second = client.get("/customers/cus-0001", headers={"Prefer": "dynamic=true"})

    for response in (first, second):
        conforms(response, "GET", "/customers/{customer_id}")
        assert response.headers["preference-applied"] == "dynamic=true"
    assert first.json() != stored and first.json() != second.json()
    assert client.get("/customers/cus-0001", headers={"Prefer": "dynamic=false"}).json() == stored


def test_dynamic_pages_are_valid_pages(client: TestClient) -> None:
    response = client.get("/customers?limit=5", headers={"Prefer": "dynamic=true"})

    conforms(response, "GET", "/customers")


@pytest.mark.parametrize(
    "method, path, body, prefer",
    [
        ("POST", "/customers", NEW_CUSTOMER, "code=200"),
        ("POST", "/customers", NEW_CUSTOMER, "dynamic=true"),
        ("POST", "/customers/cus-0002/contacts", {"name": "Sam", "label": "Ops", "email": "s@x.io"}, "dynamic=true"),
        ("PUT", "/customers/cus-0001", {**NEW_CUSTOMER, "label": "Renamed"}, "code=200"),
        ("PUT", "/customers/cus-0001", {**NEW_CUSTOMER, "label": "Renamed"}, "code=409"),
        ("DELETE", "/customers/cus-0001", None, "code=205"),
        ("DELETE", "/customers/cus-0001", None, "code=404"),
    ],
)
def test_forcing_never_changes_stored_state(client: TestClient, method: str, path: str, body: Any, prefer: str) -> None:
    before = client.get("/__mock__/state").json()

    response = client.request(method, path, json=body, headers={"Prefer": prefer})

    assert response.status_code != 400, response.text
    assert response.headers["preference-applied"] == prefer
    assert client.get("/__mock__/state").json() == before


def test_a_forced_205_has_no_body(client: TestClient) -> None:
    response = client.delete("/customers/cus-0001", headers={"Prefer": "code=205"})

    assert response.status_code == 205 and response.content == b""
    assert client.get("/customers/cus-0001").status_code == 200


def test_the_request_is_still_validated_before_an_answer_is_forced(client: TestClient) -> None:
    response = client.post("/customers", json={"label": 5}, headers={"Prefer": "code=409"})

    assert assert_problem(response, 400)["violations"]


def test_an_example_is_refused_when_the_spec_names_none(client: TestClient) -> None:
    response = client.get("/customers/cus-0001", headers={"Prefer": "example=acme"})

    assert prefer_violation(response) == (
        "example=acme: the spec has no named examples for GET /customers/{customer_id} 200"
    )


@pytest.fixture(scope="module")
def examples_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The mock on a copy of the spec whose customer answers carry named examples."""
    document = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    item = document["paths"]["/customers/{customer_id}"]["get"]["responses"]
    item["200"]["content"]["application/json"]["examples"] = {
        "acme": {"value": ACME},
        "empty-name": {"$ref": "#/components/examples/EmptyName"},
    }
    item["404"] = {
        "description": "Not Found",
        "content": {
            "application/problem+json": {
                "schema": {"$ref": "#/components/schemas/ProblemNotFound"},
                "examples": {"gone": {"value": PROBLEM_BODIES[404]}},
            }
        },
    }
    document["components"]["examples"] = {"EmptyName": {"value": {**ACME, "label": ""}}}
    spec = tmp_path_factory.mktemp("spec") / "customers.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    return TestClient(create_app(spec_path=spec), base_url="http://testserver")


ACME: dict[str, Any] = {
    "_links": {"self": {"href": "https://api.nterprise.com/customers/acme"}},
    "customer_id": "acme",
    "label": "ACME",
    "slug": "acme",
    "allowed_statuses": [{"status": "Open", "category": "PENDING"}],
}


def test_a_named_example_is_answered_as_the_spec_gives_it(examples_client: TestClient) -> None:
    response = examples_client.get("/customers/cus-0001", headers={"Prefer": "example=acme"})

    assert response.status_code == 200
    assert response.json() == ACME
    assert response.headers["preference-applied"] == "example=acme"


def test_examples_behind_a_ref_and_quoted_names_work(examples_client: TestClient) -> None:
    response = examples_client.get("/customers/cus-0001", headers={"Prefer": 'example="empty-name"'})

    assert response.json()["label"] == ""


def test_code_and_example_pick_the_example_of_that_status(examples_client: TestClient) -> None:
    response = examples_client.get("/customers/cus-0001", headers={"Prefer": "code=404, example=gone"})

    assert response.status_code == 404 and response.json() == PROBLEM_BODIES[404]


def test_an_unknown_example_name_lists_the_known_ones(examples_client: TestClient) -> None:
    response = examples_client.get("/customers/cus-0001", headers={"Prefer": "example=nope"})

    assert prefer_violation(response) == (
        "example=nope: no such example for GET /customers/{customer_id} 200; named examples: acme, empty-name"
    )


@pytest.mark.parametrize(
    "prefer, message",
    [
        ("code=abc", "code=abc is not an HTTP status: use e.g. code=404"),
        ("code=99", "code=99 is not an HTTP status: use e.g. code=404"),
        ("colour=teal", "unknown preference 'colour'; this mock understands code, example, dynamic, delay"),
        ("dynamic=maybe", "dynamic=maybe is not true or false"),
        ("delay=soon", "delay: 'soon' is not a delay: use e.g. 200ms, 1.5s or a range such as 100-400ms"),
        ("delay=5-1ms", "delay: '5-1ms': the range must go from low to high"),
        ("delay=1.5", "delay: '1.5' has no unit: write 1.5ms or 1.5s"),
        ("delay=-5ms", "delay: '-5ms': a delay cannot be negative"),
        ('example="open', "unbalanced quotes in Prefer: 'example=\"open'"),
        ("code 404", "'code 404' is not a preference (expected name=value)"),
        ("example=a, dynamic=true", "example and dynamic=true exclude each other: ask for one of them"),
    ],
)
def test_garbled_preferences_are_a_400_that_says_why(client: TestClient, prefer: str, message: str) -> None:
    assert prefer_violation(client.get("/customers/cus-0001", headers={"Prefer": prefer})) == message


def test_standard_preferences_are_accepted_and_the_first_instance_wins(client: TestClient) -> None:
    response = client.get(
        "/customers/cus-0001", headers=[("Prefer", "return=minimal, code=404"), ("Prefer", "code=401; x=1")]
    )

    assert response.status_code == 404


def test_control_endpoints_ignore_prefer(client: TestClient) -> None:
    assert client.get("/__mock__/health", headers={"Prefer": "code=404"}).status_code == 200


def test_preference_applied_names_only_what_was_honoured(client: TestClient) -> None:
    refused = client.post("/customers", json={"label": 5}, headers={"Prefer": "code=409, delay=10ms"})
    plain = client.get("/customers/cus-0001", headers={"Prefer": "return=minimal"})

    assert refused.status_code == 400 and refused.headers["preference-applied"] == "delay=10ms"
    assert "preference-applied" not in plain.headers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=40))
def test_no_prefer_header_ever_makes_a_500(client: TestClient, value: str) -> None:
    assume("delay" not in value.lower())  # a long valid delay would only slow the test down
    response = client.get("/customers/cus-0001", headers={"Prefer": value.encode("latin-1")})

    assert response.status_code in (200, 400, 401, 403, 404), response.text


def test_preference_applied_echoes_a_fractional_delay_exactly(client: TestClient) -> None:
    response = client.get("/customers/cus-0001", headers={"Prefer": "delay=1.5ms"})

    assert response.status_code == 200
    assert response.headers["preference-applied"] == "delay=1.5ms"


def _hrefs(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["href"]] if isinstance(value.get("href"), str) else []
        return found + [href for member in value.values() for href in _hrefs(member)]
    if isinstance(value, list):
        return [href for member in value for href in _hrefs(member)]
    return []


@pytest.mark.parametrize(
    "path, template",
    [("/customers/cus-0001", "/customers/{customer_id}"), ("/customers?limit=4", "/customers"),
     ("/customers/cus-0001/contacts", "/customers/{customer_id}/contacts")],
)  # fmt: skip
def test_dynamic_answers_are_linked_on_the_mocks_own_base_url(client: TestClient, path: str, template: str) -> None:
    response = client.get(path, headers={"Prefer": "dynamic=true"})

    conforms(response, "GET", template)
    hrefs = _hrefs(response.json())
    assert hrefs and all(href.startswith("http://testserver/") for href in hrefs), hrefs


def test_a_dynamic_page_holds_limit_generated_items_and_no_next_to_nowhere(client: TestClient) -> None:
    page = client.get("/customers?limit=4", headers={"Prefer": "dynamic=true"}).json()

    items = page["_embedded"]["nter:customers"]
    assert len(items) == 4
    assert page["_links"] == {"self": {"href": "http://testserver/customers?limit=4"}}
    assert all(item["_links"]["self"]["href"].endswith("/customers/" + item["customer_id"]) for item in items)


def test_a_dynamic_item_is_about_the_requested_id(client: TestClient) -> None:
    item = client.get("/customers/cus-0001", headers={"Prefer": "dynamic=true"}).json()

    assert item["customer_id"] == "cus-0001"
    assert item["_links"]["self"]["href"] == "http://testserver/customers/cus-0001"
    assert item["_links"]["nter:customer-programs"]["href"] == "http://testserver/customers/cus-0001/programs"


def test_a_forced_2xx_on_create_is_linked_like_a_created_customer_and_creates_nothing(client: TestClient) -> None:
    before = client.get("/__mock__/health").json()["records"]["customers"]

    response = client.post("/customers", json=NEW_CUSTOMER, headers={"Prefer": "code=200"})

    conforms(response, "POST", "/customers")
    created = response.json()
    assert created["_links"]["self"]["href"] == f"http://testserver/customers/{created['customer_id']}"
    assert client.get(created["_links"]["self"]["href"]).status_code == 404
    assert client.get("/__mock__/health").json()["records"]["customers"] == before
