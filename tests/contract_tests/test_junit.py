from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from contract_tests.junit import write_junit
from contract_tests.report import Finding, Results


def test_one_case_per_operation_check_and_per_scenario_with_failures_carrying_curl(tmp_path: Path) -> None:
    results = Results()
    results.passed("GET /customers", "not_a_server_error")
    results.passed("GET /customers", "page_conforms")
    finding = Finding(
        operation="GET /customers",
        check="page_conforms",
        expectation="page has 3 items; expected at most 2 (the requested limit)",
        status=200,
        content_type="application/json",
        body='{"_embedded":{}}',
        curl="curl -X GET 'http://api.test/customers?limit=2'",
    )
    results.failed(finding)
    results.failed(finding)
    results.passed("scenario crud_lifecycle", "crud_lifecycle")
    results.scenario_requests["scenario crud_lifecycle"] = 22
    results.failed(Finding("scenario pagination_walk", "pagination_walk", "walk with limit=1: items seen twice"))
    path = tmp_path / "reports" / "contract.xml"

    write_junit(path, results, elapsed=1.5)

    root = ET.parse(path).getroot()
    fuzzing, scenarios = root.findall("testsuite")
    assert [(c.get("classname"), c.get("name")) for c in fuzzing] == [
        ("GET /customers", "not_a_server_error"),
        ("GET /customers", "page_conforms"),
    ]
    assert (fuzzing.get("tests"), fuzzing.get("failures")) == ("2", "1")
    failure = fuzzing.findall("testcase")[1].find("failure")
    assert failure is not None
    assert failure.get("message") == "page has 3 items; expected at most 2 (the requested limit)"
    assert "reproduce: curl -X GET 'http://api.test/customers?limit=2'" in (failure.text or "")
    assert "(seen 2×)" in (failure.text or "")
    assert [c.get("name") for c in scenarios] == ["crud_lifecycle", "pagination_walk"]
    assert scenarios.findall("testcase")[0].find("failure") is None
    assert scenarios.findall("testcase")[0].findtext("system-out") == "22 requests, all conformed"
    assert scenarios.findall("testcase")[1].find("failure") is not None
