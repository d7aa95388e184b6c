"""JUnit XML: one test case per (operation, check) and one per scenario, failures with message and curl."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

from contract_tests.report import Results, write_finding


def write_junit(path: Path, results: Results, *, elapsed: float) -> None:
    root = ET.Element("testsuites", name="customers-contract", time=f"{elapsed:.3f}")
    suites = {
        "fuzzing": ET.SubElement(root, "testsuite", name="fuzzing"),
        "scenarios": ET.SubElement(root, "testsuite", name="scenarios"),
    }
    counts = {name: [0, 0, 0] for name in suites}  # tests, failures, errors
    for (operation, check), tally in sorted(results.tallies.items()):
        suite = "scenarios" if operation.startswith("scenario ") else "fuzzing"
        classname = "scenarios" if suite == "scenarios" else operation
        case = ET.SubElement(suites[suite], "testcase", classname=classname, name=check)
        counts[suite][0] += 1
        findings = [f for key, f in results.findings.items() if key[:2] == (operation, check)]
        if findings:
            counts[suite][1] += 1
            text = io.StringIO()
            for finding in findings:
                write_finding(text, finding, results.occurrences.get(finding.key, 1))
            failure = ET.SubElement(case, "failure", message=findings[0].expectation, type=check)
            failure.text = text.getvalue()
        else:
            requests = results.scenario_requests.get(operation)
            summary = (
                f"{requests} requests, all conformed" if requests is not None else f"{tally.passed} responses passed"
            )
            ET.SubElement(case, "system-out").text = summary
    for index, error in enumerate([*results.errors, *results.internal_errors], start=1):
        case = ET.SubElement(suites["fuzzing"], "testcase", classname="run", name=f"error {index}")
        ET.SubElement(case, "error", message=error)
        counts["fuzzing"][0] += 1
        counts["fuzzing"][2] += 1
    for name, suite in suites.items():
        tests, failures, errors = counts[name]
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
