"""Makes `pytest contract_tests --base-url URL` work: the fixtures live in the plugin module."""

from contract_tests.pytest_plugin import *  # noqa: F403
