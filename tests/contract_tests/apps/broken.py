"""The broken corpus: each entry is the reference implementation with exactly one deliberate defect."""

from __future__ import annotations

from starlette.applications import Starlette

from tests.contract_tests.apps.reference import ReferenceApi

DEFECTS: dict[str, type[ReferenceApi]] = {}


def build_app(defect: str | None = None) -> Starlette:
    """The reference app, or the broken variant named `defect`."""
    api_class = ReferenceApi if defect is None else DEFECTS[defect]
    return api_class().app()
