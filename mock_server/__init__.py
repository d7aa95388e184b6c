"""Stateful, spec-driven mock server for the Customers v2.0.0 API."""

from __future__ import annotations

from mock_server.app import create_app
from mock_server.settings import Settings

__all__ = ["Settings", "create_app"]
