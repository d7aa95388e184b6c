"""The run's summary: numbers a reader can take at face value."""

from __future__ import annotations

import io

from contract_tests.report import Finding, Results, write_summary


def _summary(results: Results) -> list[str]:
    out = io.StringIO()
    write_summary(out, results, seed=1, run_id="contract-x", elapsed=1.0)
    return out.getvalue().splitlines()


def test_summary_counts_responses_not_check_invocations() -> None:
    results = Results()
    # Two responses to GET /customers, each judged by three checks; the second fails two of them.
    for check in ("not_a_server_error", "page_conforms", "problem_conforms"):
        results.passed("GET /customers", check)
    results.outcome("GET /customers", conformed=True)
    results.passed("GET /customers", "not_a_server_error")
    results.failed(Finding("GET /customers", "page_conforms", "page has 3 items"))
    results.failed(Finding("GET /customers", "problem_conforms", "status is a string"))
    results.outcome("GET /customers", conformed=False)

    lines = _summary(results)

    header = next(line for line in lines if "operation / scenario" in line)
    assert header.split()[3:6] == ["conformed", "failed", "failing"]
    row = next(line for line in lines if line.strip().startswith("GET /customers"))
    assert row.split()[2:5] == ["1", "1", "page_conforms,"]
    assert any("responses that passed every check" in line for line in lines)
