import dataclasses

import pytest

from bench.results import BenchResults, StartupCase, StartupFigures, SuiteFigures
from bench.targets import Target, evaluate_targets
from tests.bench.figures import passing_results, workload, wrk


def _by_description(results: BenchResults) -> dict[str, Target]:
    return {target.description: target for target in evaluate_targets(results)}


def test_every_target_of_the_issue_is_evaluated() -> None:
    descriptions = list(_by_description(passing_results()))
    assert descriptions == [
        "GET /customers/{id}: mock req/s ≥ 3× Prism's",
        "GET /customers/{id}: mock p99 ≤ 1/5 of Prism's",
        "GET /customers?limit=10: mock req/s ≥ 3× Prism's",
        "GET /customers?limit=10: mock p99 ≤ 1/5 of Prism's",
        "GET /customers?limit=100: mock req/s ≥ 3× Prism's",
        "GET /customers?limit=100: mock p99 ≤ 1/5 of Prism's",
        "GET /customers/{id}: mock req/s ≥ 70% of the Starlette ceiling's",
        "GET /customers?limit=10: mock req/s ≥ 50% of the Starlette ceiling's",
        "a page at depth 100,000 costs ≤ 1.2× the first page",
        "start-up ≤ 1 s with the default fixtures",
        "RSS ≤ 300 MB with 100,000 customers",
        "`customers-contract --profile ci` ≤ 90 s against the local mock",
    ]


def test_ratios_are_mock_over_the_other_server() -> None:
    targets = _by_description(passing_results())
    assert targets["GET /customers/{id}: mock req/s ≥ 3× Prism's"].measured == 4.0
    assert targets["GET /customers/{id}: mock p99 ≤ 1/5 of Prism's"].measured == 0.04
    assert targets["GET /customers/{id}: mock req/s ≥ 70% of the Starlette ceiling's"].measured == 0.75


def test_figures_within_bounds_meet_every_target() -> None:
    assert all(target.status == "met" for target in evaluate_targets(passing_results()))


def test_a_figure_beyond_its_bound_is_missed() -> None:
    results = passing_results()
    results.throughput[2] = workload("GET /customers?limit=100", wrk(2000, p99=30), wrk(1400, p99=100), wrk(6000))
    targets = _by_description(results)
    assert targets["GET /customers?limit=100: mock p99 ≤ 1/5 of Prism's"].status == "MISSED"
    assert targets["GET /customers?limit=100: mock req/s ≥ 3× Prism's"].status == "MISSED"
    assert targets["GET /customers/{id}: mock req/s ≥ 3× Prism's"].status == "met"


def test_a_bound_reached_exactly_is_met() -> None:
    assert Target("x", measured=1.2, bound=1.2, at_most=True, unit="×").met
    assert Target("x", measured=3.0, bound=3.0, at_most=False, unit="×").met


def test_parts_not_run_are_not_measured_rather_than_missed() -> None:
    statuses = {target.status for target in evaluate_targets(BenchResults())}
    assert statuses == {"not measured"}


def test_a_failing_suite_misses_its_target_however_fast_it_was() -> None:
    results = passing_results()
    results.suite = SuiteFigures(wall_s=12.0, exit_code=1)
    target = _by_description(results)["`customers-contract --profile ci` ≤ 90 s against the local mock"]
    assert target.status == "MISSED"
    assert target.blocker == "the suite exited with 1"


def test_memory_with_generated_customers_is_the_worse_of_start_up_and_load() -> None:
    results = passing_results()
    assert _by_description(results)["RSS ≤ 300 MB with 100,000 customers"].measured == 180.0
    results.startup[StartupCase.MOCK_GENERATED] = StartupFigures(startup_s=3.0, rss_mb=320.0)
    target = _by_description(results)["RSS ≤ 300 MB with 100,000 customers"]
    assert (target.measured, target.status) == (320.0, "MISSED")


def test_deep_page_cost_is_the_median_of_the_rounds_first_over_deep_rates() -> None:
    results = passing_results()
    assert results.pagination is not None
    results.pagination = dataclasses.replace(results.pagination, round_cost_ratios=(1.1, 2.0, 1.4, 0.9))
    target = _by_description(results)["a page at depth 100,000 costs ≤ 1.2× the first page"]
    assert target.measured == pytest.approx(1.25)
    assert target.status == "MISSED"
