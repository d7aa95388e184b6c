"""The CI gate end to end: the mock runs as a real server on loopback and the contract suite judges it.

This is what a backend team's CI does with its own service (README, "In CI"), pointed at our mock: the
`ci` profile, a JUnit report, exit 0 only when the implementation conforms.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from tests.mock_server.live import live_mock

SUITE = Path(sysconfig.get_path("scripts")) / "customers-contract"


def test_mock_conforms_under_the_ci_profile_with_a_junit_report(tmp_path: Path) -> None:
    junit = tmp_path / "contract.xml"
    with live_mock("--no-access-log") as mock:
        result = subprocess.run(
            [
                str(SUITE) if SUITE.exists() else sys.executable,
                *([] if SUITE.exists() else ["-m", "contract_tests"]),
                "--base-url",
                mock.url,
                "--profile",
                "ci",
                "--seed",
                "20261203",
                "--junit-xml",
                str(junit),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
            check=False,
        )
    tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
    assert result.returncode == 0, f"customers-contract exited {result.returncode}:\n{tail}"
    suite = ElementTree.parse(junit).getroot()
    cases = suite.findall(".//testcase")
    assert len(cases) > 9 * 3, "expected a test case per operation and check, and per scenario"
    assert not suite.findall(".//failure") and not suite.findall(".//error")
    names = {case.get("name", "") + " " + case.get("classname", "") for case in cases}
    for scenario in ("pagination_walk", "crud_lifecycle", "invalid_input_rejected", "boundary_input"):
        assert any(scenario in name for name in names), f"no JUnit case for scenario {scenario}"
    assert list(tmp_path.iterdir()) == [junit], "the suite must leave nothing behind but its report"
