"""The suite's own checks, registered with Schemathesis so they run on every fuzzed response.

Importing this package registers them; each is known by its function name in output and reports.
"""

from __future__ import annotations

from contract_tests.checks.hal import hal_links_conform
from contract_tests.checks.pages import page_conforms
from contract_tests.checks.problems import problem_body_conforms

OUR_CHECKS = (problem_body_conforms, page_conforms, hal_links_conform)
OUR_CHECK_NAMES = tuple(check.__name__ for check in OUR_CHECKS)

__all__ = ["OUR_CHECKS", "OUR_CHECK_NAMES", "hal_links_conform", "page_conforms", "problem_body_conforms"]
