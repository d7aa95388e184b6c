"""Each scenario passes a correct implementation and names what a faulty one got wrong, in one line."""

from __future__ import annotations

import pytest

from contract_tests.cleanup import CreatedResources
from contract_tests.client import ApiClient
from contract_tests.expectations import expectations_from_file
from contract_tests.headers import Masker
from contract_tests.report import Results
from contract_tests.scenarios import run_scenarios
from contract_tests.settings import Settings
from customers_spec import SPEC_PATH
from tests.contract_tests.conforming_api import Store, create_app
from tests.contract_tests.live import serving

SCENARIOS = ("pagination_walk", "crud_lifecycle", "invalid_input_rejected", "boundary_input")


def run_one(scenario: str, defects: frozenset[str] = frozenset()) -> tuple[Results, Store]:
    store = Store()
    others = frozenset(name for name in SCENARIOS if name != scenario)
    with serving(create_app(store, defects)) as url:
        settings = Settings(base_url=url, excluded_checks=others)
        client = ApiClient(settings)
        results = Results()
        expectations = expectations_from_file(SPEC_PATH)
        run_scenarios(
            settings, client, expectations, CreatedResources(), Masker(()), results, say=print, on_finding=print
        )
        client.close()
    return results, store


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_passes_a_correct_implementation(scenario: str) -> None:
    results, _ = run_one(scenario)
    assert results.findings == {}
    assert results.tallies[(f"scenario {scenario}", scenario)].passed == 1


@pytest.mark.parametrize(
    ("scenario", "defect", "expectation"),
    [
        pytest.param(
            "pagination_walk",
            "repeat_item",
            "walk with limit=6: items seen more than once: ",
            id="pagination-repeats-items",
        ),
        pytest.param(
            "pagination_walk",
            "next_drops_limit",
            "walk with limit=1: page 1's next link ",
            id="pagination-next-drops-limit",
        ),
        pytest.param(
            "crud_lifecycle", "delete_with_body", "delete: 205 carries 16 body bytes; expected none", id="205-with-body"
        ),
        pytest.param(
            "invalid_input_rejected",
            "accept_malformed_json",
            "create with malformed JSON: got 200; expected 400",
            id="malformed-json-accepted",
        ),
        pytest.param(
            "boundary_input",
            "truncate_labels",
            "read back a 5000-character label: got 200 with label of 255 chars; expected 200 and the 5018 chars sent",
            id="long-label-truncated",
        ),
    ],
)
def test_scenario_names_the_fault(scenario: str, defect: str, expectation: str) -> None:
    results, _ = run_one(scenario, frozenset({defect}))
    messages = [finding.expectation for finding in results.findings.values()]
    assert any(message.startswith(expectation) for message in messages), messages
    finding = next(f for f in results.findings.values() if f.expectation.startswith(expectation))
    assert finding.check == scenario
    assert finding.curl.startswith("curl -X ")


def test_a_next_link_without_the_limit_is_named_with_the_page_that_carried_it() -> None:
    results, _ = run_one("pagination_walk", frozenset({"next_drops_limit"}))
    finding = next(f for f in results.findings.values() if f.expectation.startswith("walk with limit=1:"))
    assert "has no limit=1" in finding.expectation
    assert "page 2 has" not in finding.expectation.split(";")[0]
    # The reproduction is the first page, whose next link is the fault, not the oversized second page.
    assert finding.curl.endswith("/contacts?limit=1'")


def test_scenarios_leave_only_prefixed_or_recorded_data() -> None:
    # Everything a scenario creates is labelled with the run prefix, except the deliberately empty labels.
    results, store = run_one("boundary_input")
    labels = [customer["label"] for customer in store.customers.values()]
    assert labels, "boundary_input should have created customers"
    assert all(label.startswith("contract-") or not label.strip() for label in labels)
