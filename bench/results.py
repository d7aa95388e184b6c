"""The figures one benchmark run collects, as plain data for the targets and the report."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from enum import Enum

from bench.wrk import WrkResult


class Server(str, Enum):
    MOCK = "mock"
    PRISM = "Prism 5 (-v silent)"
    PRISM_LOGGING = "Prism 5 (default log)"
    CEILING = "Starlette ceiling"


@dataclass(frozen=True, slots=True)
class ServerFigures:
    wrk: WrkResult
    peak_rss_mb: float
    body_bytes: int  # size of one response body for the workload


@dataclass(frozen=True, slots=True)
class WorkloadFigures:
    workload: str  # as the issue names it, e.g. "GET /customers/{id}"
    servers: dict[Server, ServerFigures]


@dataclass(frozen=True, slots=True)
class PaginationFigures:
    page_limit: int
    collection_size: int  # customers seen by walking `next` to the end
    depth: int  # customers before the deep page
    walk_s: float
    first: WrkResult
    deep: WrkResult
    round_cost_ratios: tuple[float, ...]  # first-page req/s over deep-page req/s, one per round of both
    first_body_bytes: int
    deep_body_bytes: int
    peak_rss_mb: float

    @property
    def cost_ratio(self) -> float:
        """How many times longer a deep page takes than the first under the same load: the median of the
        rounds' ratios, since the two pages of one round see the same machine."""
        return statistics.median(self.round_cost_ratios)


@dataclass(frozen=True, slots=True)
class StartupFigures:
    startup_s: float  # launch to the first 200, median over launches
    rss_mb: float  # resident size of the process tree at that first 200, median


class StartupCase(str, Enum):
    MOCK_DEFAULT = "mock, default fixtures"
    MOCK_GENERATED = "mock, generated customers"
    PRISM = "Prism 5 (-v silent)"
    CEILING = "Starlette ceiling"


TIMED_OUT = -1


@dataclass(frozen=True, slots=True)
class SuiteFigures:
    wall_s: float
    exit_code: int  # TIMED_OUT when the benchmark had to stop it

    @property
    def conformant(self) -> bool:
        return self.exit_code == 0


@dataclass
class BenchResults:
    throughput: list[WorkloadFigures] = field(default_factory=list)
    pagination: PaginationFigures | None = None
    generated_customers: int = 100_000
    startup: dict[StartupCase, StartupFigures] = field(default_factory=dict)
    suite: SuiteFigures | None = None

    def workload(self, name: str) -> WorkloadFigures | None:
        return next((figures for figures in self.throughput if figures.workload == name), None)
