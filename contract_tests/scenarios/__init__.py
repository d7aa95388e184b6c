"""Scenarios that fuzzing alone rarely reaches, run against data the suite creates (and deletes) itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import requests

from contract_tests.cleanup import CreatedResources
from contract_tests.client import ApiClient
from contract_tests.expectations import Expectations
from contract_tests.headers import Masker
from contract_tests.report import Finding, Results
from contract_tests.scenarios import boundary_input, crud_lifecycle, invalid_input, pagination_walk
from contract_tests.scenarios._support import ScenarioAborted, ScenarioContext, ScenarioSkipped
from contract_tests.settings import Settings


@dataclass(frozen=True)
class Scenario:
    name: str
    run: Callable[[ScenarioContext], None]
    operations: tuple[str, ...]
    # Runs under --read-only (it then sends only safe requests).
    read_only: bool = False


SCENARIOS = (
    Scenario("pagination_walk", pagination_walk.pagination_walk, pagination_walk.OPERATIONS),
    Scenario("crud_lifecycle", crud_lifecycle.crud_lifecycle, crud_lifecycle.OPERATIONS),
    Scenario("invalid_input_rejected", invalid_input.invalid_input_rejected, invalid_input.OPERATIONS, read_only=True),
    Scenario("boundary_input", boundary_input.boundary_input, boundary_input.OPERATIONS),
)
SCENARIO_NAMES = tuple(scenario.name for scenario in SCENARIOS)


def selected_scenarios(settings: Settings) -> list[Scenario]:
    chosen = []
    for scenario in SCENARIOS:
        if not settings.wants(scenario.name) or (settings.read_only and not scenario.read_only):
            continue
        # --operation keeps the scenarios that exercise at least one selected operation.
        if settings.operations and not set(scenario.operations) & set(settings.operations):
            continue
        chosen.append(scenario)
    return chosen


def run_scenarios(
    settings: Settings,
    client: ApiClient,
    expectations: Expectations,
    created: CreatedResources,
    masker: Masker,
    results: Results,
    *,
    say: Callable[[str], None],
    on_finding: Callable[[Finding], None],
) -> None:
    for scenario in selected_scenarios(settings):
        operation = f"scenario {scenario.name}"

        def report(finding: Finding) -> None:
            if results.failed(finding):
                on_finding(finding)

        ctx = ScenarioContext(scenario.name, settings, client, expectations, created, masker, report)
        try:
            scenario.run(ctx)
        except ScenarioSkipped as exc:
            say(f"  - {scenario.name}: skipped, {exc}")
            continue
        except ScenarioAborted:
            pass
        except requests.RequestException as exc:
            ctx.fail(f"request failed: {type(exc).__name__}: {masker.text(str(exc))[:200]}")
        results.scenario_requests[operation] = ctx.steps
        results.outcome(operation, conformed=ctx.failures == 0)
        if ctx.failures == 0:
            results.passed(operation, scenario.name)
        mark = "✗" if ctx.failures else "✓"
        say(f"  {mark} {scenario.name}: {ctx.steps} requests, {ctx.failures} failures")
