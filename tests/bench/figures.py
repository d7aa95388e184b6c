"""Hand-made benchmark figures for the report and target tests."""

from bench.results import (
    BenchResults,
    PaginationFigures,
    Server,
    ServerFigures,
    StartupCase,
    StartupFigures,
    SuiteFigures,
    WorkloadFigures,
)
from bench.wrk import WrkResult


def wrk(rate: float, p50: float = 4.0, p99: float = 10.0, non_2xx: int = 0) -> WrkResult:
    return WrkResult(requests_per_s=rate, p50_ms=p50, p99_ms=p99, requests=int(rate * 10), non_2xx=non_2xx)


def workload(name: str, mock: WrkResult, prism: WrkResult, ceiling: WrkResult) -> WorkloadFigures:
    return WorkloadFigures(
        workload=name,
        servers={
            Server.MOCK: ServerFigures(mock, peak_rss_mb=40.0, body_bytes=520),
            Server.PRISM: ServerFigures(prism, peak_rss_mb=160.0, body_bytes=514),
            Server.CEILING: ServerFigures(ceiling, peak_rss_mb=32.0, body_bytes=520),
        },
    )


def passing_results() -> BenchResults:
    """Every target met by a comfortable margin."""
    return BenchResults(
        throughput=[
            workload("GET /customers/{id}", wrk(6000, p99=12), wrk(1500, p99=300), wrk(8000)),
            workload("GET /customers?limit=10", wrk(5000, p99=14), wrk(1600, p99=280), wrk(8000)),
            workload("GET /customers?limit=100", wrk(4500, p99=30), wrk(1400, p99=290), wrk(6000)),
        ],
        pagination=PaginationFigures(
            page_limit=100,
            collection_size=100_000,
            depth=99_900,
            walk_s=4.2,
            first=wrk(2000, p50=15),
            deep=wrk(1900, p50=16),
            round_cost_ratios=(1.02, 1.05, 1.2),
            first_body_bytes=90_000,
            deep_body_bytes=91_000,
            peak_rss_mb=180.0,
        ),
        generated_customers=100_000,
        startup={
            StartupCase.MOCK_DEFAULT: StartupFigures(startup_s=0.6, rss_mb=45.0),
            StartupCase.MOCK_GENERATED: StartupFigures(startup_s=3.1, rss_mb=170.0),
            StartupCase.PRISM: StartupFigures(startup_s=2.4, rss_mb=150.0),
        },
        suite=SuiteFigures(wall_s=40.0, exit_code=0),
    )
