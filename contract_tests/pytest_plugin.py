"""The suite as pytest fixtures, for teams that add their own tests next to ours.

`pytest contract_tests --base-url URL` runs the bundled tests; in another test directory,
`pytest -p contract_tests.pytest_plugin --base-url URL` makes the same fixtures available there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from contract_tests.cleanup import Collection, CreatedResources, clean_up
from contract_tests.client import ApiClient
from contract_tests.expectations import Expectations, expectations_from_file
from contract_tests.fuzzing import load_schema
from contract_tests.headers import Masker, parse_header
from contract_tests.hooks import RunState, active
from contract_tests.run import create_pool
from contract_tests.settings import PROFILES, Settings
from customers_spec import SPEC_PATH


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("customers-contract", "Customers v2.0.0 contract suite")
    group.addoption("--base-url", help="where the implementation under test listens")
    group.addoption("--spec", type=Path, default=SPEC_PATH, help="OpenAPI document (default: bundled)")
    group.addoption("--header", action="append", default=[], help="'Name: value' sent with every request")
    group.addoption("--profile", choices=sorted(PROFILES), default="ci")
    group.addoption("--max-examples", type=int, default=None)
    group.addoption("--read-only", action="store_true", help="send only safe requests")


@dataclass
class ContractRun:
    settings: Settings
    expectations: Expectations
    client: ApiClient
    created: CreatedResources
    masker: Masker


_SETTINGS: list[Settings] = []


def pytest_configure(config: pytest.Config) -> None:
    # Test modules build their Schemathesis schema at import, so the settings must exist before collection.
    _SETTINGS[:] = [settings_from(config)]


def configured_settings() -> Settings:
    if not _SETTINGS:
        raise pytest.UsageError("the contract suite needs its plugin: pytest -p contract_tests.pytest_plugin")
    return _SETTINGS[0]


@pytest.fixture(scope="session")
def contract_settings() -> Settings:
    return configured_settings()


def settings_from(pytestconfig: pytest.Config) -> Settings:
    base_url = pytestconfig.getoption("--base-url")
    if not base_url:
        raise pytest.UsageError("the contract suite needs --base-url URL")
    return Settings(
        base_url=str(base_url).rstrip("/"),
        spec_path=pytestconfig.getoption("--spec"),
        headers=tuple(parse_header(option) for option in pytestconfig.getoption("--header")),
        profile=PROFILES[pytestconfig.getoption("--profile")],
        max_examples=pytestconfig.getoption("--max-examples"),
        read_only=pytestconfig.getoption("--read-only"),
    )


@pytest.fixture(scope="session")
def contract_run(contract_settings: Settings) -> Iterator[ContractRun]:
    """The run's client and registry; the suite's hooks are active and cleanup runs at the end of the session."""
    settings = contract_settings
    expectations = expectations_from_file(settings.spec_path)
    client = ApiClient(settings)
    created = CreatedResources()
    state = RunState(expectations, created, settings.label_prefix, settings.run_id)
    with active(state):
        try:
            if not settings.read_only:
                create_pool(client, settings, expectations, created)
            yield ContractRun(settings, expectations, client, created, Masker(settings.headers))
        finally:
            collection = Collection.from_expectations(expectations)
            if collection is not None and not settings.read_only:
                clean_up(client, collection, created, settings.label_prefix)
            client.close()


def contract_schema() -> Any:
    """The Schemathesis schema for this session's settings, for `@schema.parametrize()` at module level."""
    settings = configured_settings()
    return load_schema(settings, expectations_from_file(settings.spec_path))
