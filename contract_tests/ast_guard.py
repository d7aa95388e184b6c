"""Serialise `ast.parse` while the engine runs: CPython before 3.13 keeps the AST constructor's recursion
depth in interpreter-wide state, so two threads parsing at once can fail with
"SystemError: AST constructor recursion depth mismatch" (python/cpython#106905). Hypothesis parses source
in the engine's worker threads (lambda descriptions, filter rewriting, local constants) and lets that error
through, which ended runs as INCOMPLETE. Parsing is rare and short, so one lock costs nothing measurable."""

from __future__ import annotations

import ast
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

NEEDED = sys.version_info < (3, 13)
_lock = threading.RLock()


@contextmanager
def serialized_ast_parsing() -> Iterator[None]:
    if not NEEDED or getattr(ast.parse, "_serialized", False):
        yield
        return
    original = ast.parse

    def parse(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            return original(*args, **kwargs)

    parse._serialized = True  # type: ignore[attr-defined]
    ast.parse = parse  # type: ignore[assignment]
    try:
        yield
    finally:
        ast.parse = original  # type: ignore[assignment]
