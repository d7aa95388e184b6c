"""Everything a mock instance is configured with, in one frozen record."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from customers_fixtures import FIXTURES_DIR
from customers_spec import SPEC_PATH


@dataclass(frozen=True, slots=True)
class Settings:
    spec_path: Path = field(default=SPEC_PATH)
    fixtures_dir: Path = field(default=FIXTURES_DIR)
    seed: int | None = 0  # fake data and generated ids; None draws a fresh seed
    generate: int | None = None  # replace the fixtures by this many generated top-level records
    host: str = "127.0.0.1"
    port: int = 8000
    access_log: bool = True
