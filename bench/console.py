"""Progress goes to stderr so that stdout carries only the report."""

from __future__ import annotations

import sys


def progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def heading(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
