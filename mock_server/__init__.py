"""Stateful, spec-driven mock server for the Customers v2.0.0 API."""
