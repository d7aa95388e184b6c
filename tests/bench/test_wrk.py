from pathlib import Path

import pytest

from bench.wrk import Load, WrkOutputError, WrkResult, median_result, parse_wrk_output, wrk_command

CLEAN_RUN = """\
Running 10s test @ http://127.0.0.1:41235/customers/abc
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.25ms    2.48ms  67.27ms   95.68%
    Req/Sec     3.89k   670.48     4.88k    61.67%
  Latency Distribution
     50%    3.66ms
     75%    4.93ms
     90%    5.66ms
     99%    9.58ms
  77486 requests in 10.01s, 47.30MB read
Requests/sec:   7734.78
Transfer/sec:      4.72MB
"""

RUN_WITH_ERRORS = """\
Running 10s test @ http://127.0.0.1:41235/customers
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   210.40ms  120.03ms   1.90s    80.12%
    Req/Sec    80.11     20.50   150.00     70.00%
  Latency Distribution
     50%  812.00us
     75%  300.10ms
     90%  600.00ms
     99%    1.20s
  1602 requests in 10.02s, 1.10MB read
  Socket errors: connect 0, read 3, write 0, timeout 7
  Non-2xx or 3xx responses: 40
Requests/sec:    159.88
Transfer/sec:    112.40KB
"""


def test_a_clean_report_gives_rate_percentiles_and_count() -> None:
    assert parse_wrk_output(CLEAN_RUN) == WrkResult(
        requests_per_s=7734.78, p50_ms=3.66, p99_ms=9.58, requests=77486, non_2xx=0, socket_errors=0
    )


def test_microseconds_and_seconds_become_milliseconds() -> None:
    result = parse_wrk_output(RUN_WITH_ERRORS)
    assert result.p50_ms == pytest.approx(0.812)
    assert result.p99_ms == pytest.approx(1200.0)


def test_error_responses_and_socket_errors_are_counted() -> None:
    result = parse_wrk_output(RUN_WITH_ERRORS)
    assert (result.non_2xx, result.socket_errors) == (40, 10)
    assert result.failed_share == pytest.approx(50 / 1602)


def test_a_report_without_latency_distribution_is_refused() -> None:
    without_latency = "\n".join(line for line in CLEAN_RUN.splitlines() if "%" not in line or "Stdev" in line)
    with pytest.raises(WrkOutputError, match="50%/99% latency"):
        parse_wrk_output(without_latency)


def test_a_failed_wrk_is_refused_with_what_it_printed() -> None:
    with pytest.raises(WrkOutputError, match="unable to connect"):
        parse_wrk_output("unable to connect to 127.0.0.1:1 Connection refused\n")


def _result(rate: float, p50: float, p99: float, requests: int = 100, non_2xx: int = 0) -> WrkResult:
    return WrkResult(requests_per_s=rate, p50_ms=p50, p99_ms=p99, requests=requests, non_2xx=non_2xx)


def test_median_takes_each_figure_on_its_own_and_adds_up_counts() -> None:
    runs = [_result(100, 5, 90), _result(300, 1, 10, non_2xx=2), _result(200, 9, 50)]
    assert median_result(runs) == WrkResult(
        requests_per_s=200, p50_ms=5, p99_ms=50, requests=300, non_2xx=2, socket_errors=0
    )


def test_median_of_an_even_number_of_runs_averages_the_middle_two() -> None:
    assert median_result([_result(100, 1, 1), _result(200, 3, 3)]).requests_per_s == 150


def test_median_of_no_runs_is_an_error() -> None:
    with pytest.raises(ValueError, match="no wrk runs"):
        median_result([])


def test_command_carries_the_load_the_script_and_its_arguments() -> None:
    command = wrk_command("wrk", "http://127.0.0.1:1/customers", Load(2, 32, 10), Path("post.lua"), ["tag"])
    assert command == [
        "wrk",
        "-t2",
        "-c32",
        "-d10s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        "post.lua",
        "http://127.0.0.1:1/customers",
        "--",
        "tag",
    ]


def test_fractional_durations_are_passed_to_wrk_as_given() -> None:
    assert "-d2.5s" in wrk_command("wrk", "http://127.0.0.1:1/", Load(duration_s=2.5))
