import pytest

from bench.machine import Machine
from bench.report import (
    format_mb,
    format_ms,
    format_rate,
    format_ratio,
    format_seconds,
    full_report,
    markdown_table,
    results_table,
    targets_table,
    unclean_runs,
)
from bench.results import BenchResults, SuiteFigures
from bench.targets import Target, evaluate_targets
from bench.wrk import Load, Repetition
from tests.bench.figures import passing_results, workload, wrk

MACHINE = Machine(cpu_model="AMD EPYC", cores=2, ram_gib=23.5, python="3.11.7", system="Linux 6.1")


def _row(table: str, measurement: str) -> list[str]:
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[1] == measurement:
            return cells
    raise AssertionError(f"no row {measurement!r} in\n{table}")


def test_markdown_table_pads_every_column_to_its_widest_cell() -> None:
    assert markdown_table(("a", "bb"), [["ccc", "d"]]) == "| a   | bb |\n|-----|----|\n| ccc | d  |"


@pytest.mark.parametrize(
    ("formatted", "expected"),
    [
        (format_rate(7734.78), "7,735"),
        (format_ms(0.812), "0.81 ms"),
        (format_ms(12.34), "12.3 ms"),
        (format_ms(1200.0), "1,200 ms"),
        (format_mb(155.6), "156 MB"),
        (format_seconds(0.613), "0.61 s"),
        (format_seconds(47.26), "47.3 s"),
        (format_ratio(3.14159), "3.14×"),
    ],
)
def test_figures_are_formatted_for_reading(formatted: str, expected: str) -> None:
    assert formatted == expected


def test_throughput_rows_give_each_server_and_the_mock_ratios() -> None:
    table = results_table(passing_results())
    assert _row(table, "GET /customers/{id} req/s") == [
        "1",
        "GET /customers/{id} req/s",
        "6,000",
        "1,500",
        "–",
        "8,000",
        "4.00×",
        "0.75×",
    ]
    assert _row(table, "GET /customers/{id} p99")[-2:] == ["0.04×", "1.20×"]
    assert _row(table, "GET /customers/{id} response body")[2:4] == ["520 B", "514 B"]


def test_pagination_startup_and_suite_rows_follow_the_throughput_rows() -> None:
    table = results_table(passing_results())
    assert _row(table, "deep page cost / first page cost (median of paired rounds)")[2] == "1.05×"
    assert _row(table, "page at depth 99,900 req/s")[2] == "1,900"
    assert _row(table, "start-up (launch → first 200), default fixtures")[2:8] == [
        "0.60 s",
        "2.40 s",
        "–",
        "–",
        "0.25×",
        "–",
    ]
    assert _row(table, "RSS at first 200, 100,000 customers")[2] == "170 MB"
    assert _row(table, "`customers-contract --profile ci` wall time (conformant)")[2] == "40.0 s"


def test_a_failed_suite_shows_its_exit_code() -> None:
    results = BenchResults(suite=SuiteFigures(wall_s=5.0, exit_code=1))
    assert "wall time (exit 1)" in results_table(results)


def test_targets_table_shows_measured_bound_and_status() -> None:
    targets = [
        Target("start-up ≤ 1 s", measured=1.4, bound=1.0, at_most=True, unit="s"),
        Target("suite ≤ 90 s", measured=30.0, bound=90.0, at_most=True, unit="s", blocker="the suite exited with 1"),
        Target("ratio ≥ 3×", measured=None, bound=3.0, at_most=False, unit="×"),
    ]
    table = targets_table(targets)
    assert _row(table, "1.40 s") == ["start-up ≤ 1 s", "1.40 s", "≤ 1.00 s", "MISSED"]
    assert _row(table, "30.0 s") == ["suite ≤ 90 s", "30.0 s", "≤ 90.0 s", "MISSED (the suite exited with 1)"]
    assert _row(table, "–") == ["ratio ≥ 3×", "–", "≥ 3.00×", "not measured"]


def test_runs_with_error_responses_are_called_out() -> None:
    results = BenchResults(throughput=[workload("POST /customers", wrk(100, non_2xx=7), wrk(50), wrk(200))])
    assert unclean_runs(results) == ["mock, POST /customers: 7 non-2xx responses and 0 socket errors in 1,000 requests"]


def test_the_full_report_names_machine_load_and_target_counts() -> None:
    results = passing_results()
    targets = evaluate_targets(results)
    report = full_report(results, targets, MACHINE, Load(2, 32, 10), Repetition(3, 2), "wrk 4.1", (0.5, 1.25))
    assert report.startswith("Machine: AMD EPYC, 2 cores, 23.5 GiB RAM, Python 3.11.7, Linux 6.1\nTools: wrk 4.1\n")
    assert "Load average (1 min) before / after the run: 0.50 / 1.25" in report
    assert "wrk -t2 -c32 -d10s --latency after a 2 s warm-up, median of 3 run(s)" in report
    assert report.endswith("Targets: 12 met, 0 missed, 0 not measured.")
