"""What one run of the suite is asked to do: target, profile, filters and limits. Data only."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from customers_spec import SPEC_PATH


@dataclass(frozen=True)
class Profile:
    name: str
    # Examples per operation in the fuzzing phase (the coverage and examples phases add their own).
    max_examples: int
    # Stateful phase: how many link-chained sequences, and how long each may get.
    stateful_examples: int
    stateful_max_steps: int
    coverage: bool
    # How many contacts the pagination walk creates.
    walk_items: int


PROFILES = {
    # Sized to finish in about 20 s against a local mock on two quiet cores.
    "ci": Profile(name="ci", max_examples=40, stateful_examples=30, stateful_max_steps=10, coverage=True, walk_items=7),
    "thorough": Profile(
        name="thorough",
        max_examples=300,
        stateful_examples=200,
        stateful_max_steps=30,
        coverage=True,
        walk_items=23,
    ),
}


@dataclass(frozen=True)
class Header:
    name: str
    value: str
    # How the value was given when it came from the environment (`${TOKEN}`), so reports can show that instead.
    reference: str | None = None
    # The environment values inside it (a token inside 'Bearer ${TOKEN}'), masked wherever they appear alone.
    secrets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    base_url: str
    spec_path: Path = SPEC_PATH
    headers: tuple[Header, ...] = ()
    profile: Profile = PROFILES["ci"]
    seed: int | None = None
    max_examples: int | None = None
    operations: tuple[str, ...] = ()
    excluded_checks: frozenset[str] = frozenset()
    workers: int = 1
    rate_limit: str | None = None
    timeout: float = 10.0
    junit_xml: Path | None = None
    read_only: bool = False
    run_id: str = field(default_factory=lambda: "contract-" + secrets.token_hex(4))

    @property
    def examples_per_operation(self) -> int:
        return self.max_examples if self.max_examples is not None else self.profile.max_examples

    @property
    def label_prefix(self) -> str:
        """Every label the suite writes starts with this, so a sweep can find what this run made."""
        return f"{self.run_id} "

    def header_dict(self) -> dict[str, str]:
        return {header.name: header.value for header in self.headers}

    def wants(self, name: str) -> bool:
        return name not in self.excluded_checks
