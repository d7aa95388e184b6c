"""The issue's targets, evaluated against one run's figures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bench.results import BenchResults, Server, StartupCase, WorkloadFigures

GET_BY_ID = "GET /customers/{id}"
GET_PAGE_10 = "GET /customers?limit=10"
GET_PAGE_100 = "GET /customers?limit=100"
POST_CUSTOMER = "POST /customers"

MIN_SPEEDUP_OVER_PRISM = 3.0
MAX_P99_SHARE_OF_PRISM = 0.2
MIN_SHARE_OF_CEILING = {GET_BY_ID: 0.7, GET_PAGE_10: 0.5}
MAX_DEEP_PAGE_COST = 1.2
MAX_STARTUP_S = 1.0
MAX_GENERATED_RSS_MB = 300.0
MAX_SUITE_S = 90.0


@dataclass(frozen=True, slots=True)
class Target:
    description: str
    measured: float | None  # None: that part was not measured in this run
    bound: float
    at_most: bool  # the figure must be ≤ bound (else ≥ bound)
    unit: str
    blocker: str = ""  # why the figure cannot count even if it is within bounds

    @property
    def met(self) -> bool:
        if self.measured is None or self.blocker:
            return False
        return self.measured <= self.bound if self.at_most else self.measured >= self.bound

    @property
    def status(self) -> str:
        if self.measured is None:
            return "not measured"
        return "met" if self.met else "MISSED"


def _figure(workload: WorkloadFigures | None, server: Server) -> tuple[float, float] | None:
    if workload is None or server not in workload.servers:
        return None
    wrk = workload.servers[server].wrk
    return wrk.requests_per_s, wrk.p99_ms


def _prism_targets(workload_name: str, workload: WorkloadFigures | None) -> Iterator[Target]:
    mock, prism = _figure(workload, Server.MOCK), _figure(workload, Server.PRISM)
    both = mock is not None and prism is not None
    yield Target(
        f"{workload_name}: mock req/s ≥ {MIN_SPEEDUP_OVER_PRISM:g}× Prism's",
        mock[0] / prism[0] if both else None,
        MIN_SPEEDUP_OVER_PRISM,
        at_most=False,
        unit="×",
    )
    yield Target(
        f"{workload_name}: mock p99 ≤ 1/{1 / MAX_P99_SHARE_OF_PRISM:g} of Prism's",
        mock[1] / prism[1] if both else None,
        MAX_P99_SHARE_OF_PRISM,
        at_most=True,
        unit="×",
    )


def _ceiling_target(workload_name: str, workload: WorkloadFigures | None, share: float) -> Target:
    mock, ceiling = _figure(workload, Server.MOCK), _figure(workload, Server.CEILING)
    return Target(
        f"{workload_name}: mock req/s ≥ {share:.0%} of the Starlette ceiling's",
        mock[0] / ceiling[0] if mock is not None and ceiling is not None else None,
        share,
        at_most=False,
        unit="×",
    )


def evaluate_targets(results: BenchResults) -> list[Target]:
    targets: list[Target] = []
    for name in (GET_BY_ID, GET_PAGE_10, GET_PAGE_100):
        targets += _prism_targets(name, results.workload(name))
    for name, share in MIN_SHARE_OF_CEILING.items():
        targets.append(_ceiling_target(name, results.workload(name), share))
    pagination = results.pagination
    targets.append(
        Target(
            f"a page at depth {results.generated_customers:,} costs ≤ {MAX_DEEP_PAGE_COST:g}× the first page",
            pagination.cost_ratio if pagination else None,
            MAX_DEEP_PAGE_COST,
            at_most=True,
            unit="×",
        )
    )
    default_start = results.startup.get(StartupCase.MOCK_DEFAULT)
    targets.append(
        Target(
            f"start-up ≤ {MAX_STARTUP_S:g} s with the default fixtures",
            default_start.startup_s if default_start else None,
            MAX_STARTUP_S,
            at_most=True,
            unit="s",
        )
    )
    targets.append(
        Target(
            f"RSS ≤ {MAX_GENERATED_RSS_MB:g} MB with {results.generated_customers:,} customers",
            _generated_rss_mb(results),
            MAX_GENERATED_RSS_MB,
            at_most=True,
            unit="MB",
        )
    )
    suite = results.suite
    targets.append(
        Target(
            f"`customers-contract --profile ci` ≤ {MAX_SUITE_S:g} s against the local mock",
            suite.wall_s if suite else None,
            MAX_SUITE_S,
            at_most=True,
            unit="s",
            blocker="" if suite is None or suite.conformant else f"the suite exited with {suite.exit_code}",
        )
    )
    return targets


def _generated_rss_mb(results: BenchResults) -> float | None:
    """The larger of the resident size at start-up and the peak under the pagination load."""
    readings = [figures.rss_mb for case, figures in results.startup.items() if case is StartupCase.MOCK_GENERATED]
    if results.pagination is not None:
        readings.append(results.pagination.peak_rss_mb)
    return max(readings) if readings else None
