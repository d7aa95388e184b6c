"""One Markdown table of absolute figures and ratios, the machine, and the targets met or missed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bench.machine import Machine
from bench.results import (
    TIMED_OUT,
    BenchResults,
    PaginationFigures,
    Server,
    ServerFigures,
    StartupCase,
    StartupFigures,
    SuiteFigures,
    WorkloadFigures,
)
from bench.targets import Target
from bench.wrk import Load, Repetition, WrkResult

DASH = "–"
COLUMNS = ("part", "measurement", *(server.value for server in Server), "mock/Prism", "mock/ceiling")


def format_rate(requests_per_s: float) -> str:
    return f"{requests_per_s:,.0f}"


def format_ms(ms: float) -> str:
    return f"{ms:.2f} ms" if ms < 10 else f"{ms:,.0f} ms" if ms >= 100 else f"{ms:.1f} ms"


def format_mb(mb: float) -> str:
    return f"{mb:,.0f} MB"


def format_bytes(size: float) -> str:
    return f"{size:,.0f} B"


def format_seconds(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:,.1f} s"


def format_ratio(ratio: float) -> str:
    return f"{ratio:.2f}×"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(header), separator, *(line(row) for row in rows)])


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or not denominator:
        return DASH
    return format_ratio(numerator / denominator)


def _throughput_rows(figures: WorkloadFigures) -> list[list[str]]:
    metrics: list[tuple[str, Callable[[ServerFigures], float], Callable[[float], str], bool]] = [
        ("req/s", lambda f: f.wrk.requests_per_s, format_rate, True),
        ("p50", lambda f: f.wrk.p50_ms, format_ms, False),
        ("p99", lambda f: f.wrk.p99_ms, format_ms, True),
        ("peak RSS", lambda f: f.peak_rss_mb, format_mb, False),
        ("response body", lambda f: f.body_bytes, format_bytes, False),
    ]
    rows = []
    for name, value_of, formatted, with_ratios in metrics:
        values = {server: value_of(f) for server, f in figures.servers.items()}
        cells = [formatted(values[server]) if server in values else DASH for server in Server]
        mock = values.get(Server.MOCK)
        ratios = (
            [_ratio(mock, values.get(Server.PRISM)), _ratio(mock, values.get(Server.CEILING))]
            if with_ratios
            else [DASH, DASH]
        )
        rows.append(["1", f"{figures.workload} {name}", *cells, *ratios])
    return rows


def _mock_only_row(part: str, measurement: str, mock: str) -> list[str]:
    return [part, measurement, mock, *[DASH] * (len(COLUMNS) - 3)]


def _pagination_rows(figures: PaginationFigures) -> list[list[str]]:
    first, deep = f"first page (limit={figures.page_limit})", f"page at depth {figures.depth:,}"
    return [
        _mock_only_row("2", f"{first} req/s", format_rate(figures.first.requests_per_s)),
        _mock_only_row("2", f"{deep} req/s", format_rate(figures.deep.requests_per_s)),
        _mock_only_row("2", f"{first} p50", format_ms(figures.first.p50_ms)),
        _mock_only_row("2", f"{deep} p50", format_ms(figures.deep.p50_ms)),
        _mock_only_row("2", f"{first} response body", format_bytes(figures.first_body_bytes)),
        _mock_only_row("2", f"{deep} response body", format_bytes(figures.deep_body_bytes)),
        _mock_only_row(
            "2", "deep page cost / first page cost (median of paired rounds)", format_ratio(figures.cost_ratio)
        ),
        _mock_only_row(
            "2",
            f"walk of all {figures.collection_size:,} customers by `next`",
            format_seconds(figures.walk_s),
        ),
        _mock_only_row("2", "peak RSS during part 2", format_mb(figures.peak_rss_mb)),
    ]


def _startup_rows(startup: dict[StartupCase, StartupFigures], generated: int) -> list[list[str]]:
    rows = []
    for attribute, label, formatted in (
        ("startup_s", "start-up (launch → first 200)", format_seconds),
        ("rss_mb", "RSS at first 200", format_mb),
    ):
        value = {case: float(getattr(figures, attribute)) for case, figures in startup.items()}
        cell = {case: formatted(v) for case, v in value.items()}
        mock = value.get(StartupCase.MOCK_DEFAULT)
        rows.append(
            [
                "3",
                f"{label}, default fixtures",
                cell.get(StartupCase.MOCK_DEFAULT, DASH),
                cell.get(StartupCase.PRISM, DASH),
                DASH,
                cell.get(StartupCase.CEILING, DASH),
                _ratio(mock, value.get(StartupCase.PRISM)),
                _ratio(mock, value.get(StartupCase.CEILING)),
            ]
        )
        if StartupCase.MOCK_GENERATED in cell:
            rows.append(_mock_only_row("3", f"{label}, {generated:,} customers", cell[StartupCase.MOCK_GENERATED]))
    return rows


def _suite_rows(suite: SuiteFigures) -> list[list[str]]:
    outcome = {0: "conformant", TIMED_OUT: "timed out"}.get(suite.exit_code, f"exit {suite.exit_code}")
    measurement = f"`customers-contract --profile ci` wall time ({outcome})"
    return [_mock_only_row("4", measurement, format_seconds(suite.wall_s))]


def results_table(results: BenchResults) -> str:
    rows: list[list[str]] = []
    for figures in results.throughput:
        rows += _throughput_rows(figures)
    if results.pagination is not None:
        rows += _pagination_rows(results.pagination)
    if results.startup:
        rows += _startup_rows(results.startup, results.generated_customers)
    if results.suite is not None:
        rows += _suite_rows(results.suite)
    return markdown_table(COLUMNS, rows)


def targets_table(targets: Sequence[Target]) -> str:
    rows = []
    for target in targets:
        measured = DASH if target.measured is None else _format_target_value(target.measured, target.unit)
        bound = ("≤ " if target.at_most else "≥ ") + _format_target_value(target.bound, target.unit)
        status = f"{target.status} ({target.blocker})" if target.blocker else target.status
        rows.append([target.description, measured, bound, status])
    return markdown_table(("target", "measured", "bound", "status"), rows)


def _format_target_value(value: float, unit: str) -> str:
    if unit == "×":
        return format_ratio(value)
    if unit == "s":
        return format_seconds(value)
    return format_mb(value)


def unclean_runs(results: BenchResults) -> list[str]:
    """Measurements where some responses were errors: their figures do not measure the intended work."""
    named: list[tuple[str, WrkResult]] = [
        (f"{server.value}, {figures.workload}", server_figures.wrk)
        for figures in results.throughput
        for server, server_figures in figures.servers.items()
    ]
    if results.pagination is not None:
        named += [("mock, first page", results.pagination.first), ("mock, deep page", results.pagination.deep)]
    return [
        f"{name}: {wrk.non_2xx:,} non-2xx responses and {wrk.socket_errors:,} socket errors "
        f"in {wrk.requests:,} requests"
        for name, wrk in named
        if wrk.non_2xx or wrk.socket_errors
    ]


def full_report(
    results: BenchResults,
    targets: Sequence[Target],
    machine: Machine,
    load: Load,
    repetition: Repetition,
    versions: str,
    load_average: tuple[float, float],
) -> str:
    missed = [target for target in targets if target.status == "MISSED"]
    sections = [
        f"Machine: {machine.describe()}",
        f"Tools: {versions}",
        f"Load average (1 min) before / after the run: {load_average[0]:.2f} / {load_average[1]:.2f} "
        "(other work on the machine makes every figure noisier; the rounds alternate servers so ratios suffer least)",
        f"Load: wrk -t{load.threads} -c{load.connections} -d{load.duration_s:g}s --latency after a "
        f"{repetition.warmup_s:g} s warm-up, median of {repetition.runs} run(s) per figure; "
        "request logging off on every server unless its column says otherwise",
        "",
        results_table(results),
        "",
        targets_table(targets),
        "",
        f"Targets: {sum(target.met for target in targets)} met, {len(missed)} missed, "
        f"{sum(target.measured is None for target in targets)} not measured.",
    ]
    warnings = unclean_runs(results)
    if warnings:
        sections += ["", "Warning, error responses during load (these figures are suspect):"]
        sections += [f"- {warning}" for warning in warnings]
    return "\n".join(sections)
