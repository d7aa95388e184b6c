"""The contract suite as pytest tests: every operation fuzzed, link-chained sequences, and the scenarios."""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis

from contract_tests.pytest_plugin import ContractRun, contract_schema
from contract_tests.report import Finding
from contract_tests.scenarios import SCENARIOS, Scenario
from contract_tests.scenarios._support import ScenarioAborted, ScenarioContext, ScenarioSkipped

schema = contract_schema()


@schema.parametrize()
def test_operation_conforms(case: schemathesis.Case, contract_run: ContractRun) -> None:
    case.call_and_validate()


def test_link_chained_sequences_conform(contract_run: ContractRun) -> None:
    if contract_run.settings.read_only:
        pytest.skip("stateful sequences create and delete resources")
    profile = contract_run.settings.profile
    schema.as_state_machine().run(
        settings=hypothesis.settings(
            max_examples=profile.stateful_examples,
            stateful_step_count=profile.stateful_max_steps,
            deadline=None,
            database=None,
            # The server's state changes between runs, so Hypothesis cannot replay a sequence to shrink it.
            phases=[hypothesis.Phase.generate],
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[scenario.name for scenario in SCENARIOS])
def test_scenario(scenario: Scenario, contract_run: ContractRun) -> None:
    settings = contract_run.settings
    if settings.read_only and not scenario.read_only:
        pytest.skip(f"{scenario.name} creates data; --read-only is set")
    findings: list[Finding] = []
    ctx = ScenarioContext(
        scenario.name,
        settings,
        contract_run.client,
        contract_run.expectations,
        contract_run.created,
        contract_run.masker,
        findings.append,
    )
    try:
        scenario.run(ctx)
    except ScenarioSkipped as exc:
        pytest.skip(str(exc))
    except ScenarioAborted:
        pass
    if findings:
        lines = [f"{f.expectation}\n    {f.status} {f.content_type} {f.body}\n    {f.curl}" for f in findings]
        pytest.fail("\n".join(lines), pytrace=False)
