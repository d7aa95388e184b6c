"""The Customers v2.0.0 OpenAPI document, shipped as package data (`customers_spec`)."""

from __future__ import annotations

from pathlib import Path

SPEC_PATH = Path(__file__).with_name("customers.openapi.yaml")
SEED_PATH = Path(__file__).parent / "source" / "customers-api-v2.md"

__all__ = ["SEED_PATH", "SPEC_PATH"]
