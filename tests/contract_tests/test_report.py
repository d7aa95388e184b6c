"""The run's summary: numbers a reader can take at face value."""

from __future__ import annotations

import io

from contract_tests.report import Finding, Results, write_failure_report, write_summary


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


def _problem_status_as_string(operation: str, path: str) -> Finding:
    return Finding(
        operation,
        "problem_conforms",
        f"404 problem has status '404'; expected 404 (detail names {path}/3f2a9c1e-77b0-4d2e-9a55-0123456789ab)",
        status=404,
        content_type="application/problem+json",
        curl=f"curl -X GET http://api.test{path}/3f2a9c1e-77b0-4d2e-9a55-0123456789ab",
    )


def test_one_defect_on_many_operations_is_reported_once_with_one_reproduction() -> None:
    results = Results()
    new = [
        results.failed(_problem_status_as_string("GET /customers/{customer_id}", "/customers")),
        results.failed(_problem_status_as_string("PUT /customers/{customer_id}", "/customers")),
        results.failed(_problem_status_as_string("GET /customers/{customer_id}/contacts", "/customers/x1/contacts")),
        results.failed(Finding("GET /customers", "page_conforms", "page has 3 items; expected at most 2")),
    ]
    out = io.StringIO()

    write_failure_report(out, results)

    assert new == [True, False, False, True], "a repeat of a known defect is not announced again while running"
    text = out.getvalue()
    assert "Failures (2 distinct)" in text
    assert (
        "✗ problem_conforms · same failure on 3 operations: GET /customers/{customer_id}, "
        "GET /customers/{customer_id}/contacts, PUT /customers/{customer_id}"
    ) in text
    assert text.count("reproduce: curl") == 1  # the page finding has no curl; the group shows one
    assert "✗ page_conforms · GET /customers\n" in text
    assert "2 distinct failure(s)" in "\n".join(_summary(results))


def test_different_defects_of_one_check_stay_apart() -> None:
    results = Results()
    results.failed(Finding("GET /customers", "problem_conforms", "400 problem has status '400'; expected 400"))
    results.failed(Finding("PUT /customers/{customer_id}", "problem_conforms", "400 problem has no title"))
    assert len(results.failure_groups()) == 2
