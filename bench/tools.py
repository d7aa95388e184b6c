"""Finding the load generator, Node.js and our own console scripts, and installing Prism into the cache."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

PRISM_PACKAGE = "@stoplight/prism-cli@5"


class MissingTool(RuntimeError):
    """A program the benchmark needs is not installed; the message says how to install it."""


def find_program(name: str, install_hint: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise MissingTool(f"{name} is not installed: {install_hint}")
    return path


def find_wrk() -> str:
    return find_program("wrk", "install it with `apt-get update && apt-get install -y wrk` (Debian/Ubuntu)")


def find_npm() -> str:
    find_program("node", "install Node.js ≥ 18 with `apt-get update && apt-get install -y nodejs npm`")
    return find_program("npm", "install npm with `apt-get update && apt-get install -y npm`")


def find_console_script(name: str) -> str:
    """Our own entry points, preferably from the interpreter's environment running the benchmark."""
    beside_python = Path(sys.executable).parent / name
    if beside_python.exists():
        return str(beside_python)
    return find_program(name, "install this project first: `pip install -e .` from the repository root")


def installed_prism_version(cache_dir: Path) -> str | None:
    manifest = cache_dir / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
    if not manifest.exists():
        return None
    return str(json.loads(manifest.read_text())["version"])


def ensure_prism(cache_dir: Path) -> Path:
    """Prism 5.x from the npm registry into `cache_dir` (once); returns its executable."""
    prism = cache_dir / "node_modules" / ".bin" / "prism"
    version = installed_prism_version(cache_dir)
    if prism.exists() and version is not None and version.startswith("5."):
        return prism
    npm = find_npm()
    cache_dir.mkdir(parents=True, exist_ok=True)
    print(f"Installing {PRISM_PACKAGE} into {cache_dir} …", file=sys.stderr)
    completed = subprocess.run(
        [npm, "install", "--prefix", str(cache_dir), "--no-audit", "--no-fund", "--loglevel=error", PRISM_PACKAGE],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0 or not prism.exists():
        last_line = (completed.stderr.strip() or completed.stdout.strip() or "no output").splitlines()[-1]
        raise MissingTool(f"could not install {PRISM_PACKAGE} with npm (exit {completed.returncode}): {last_line}")
    return prism


def program_version(command: list[str]) -> str:
    """First line a program prints for its version flag, or 'unknown'."""
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "unknown"
    lines = (completed.stdout.strip() or completed.stderr.strip()).splitlines()
    return lines[0].strip() if lines else "unknown"
