"""The engine's source parsing cannot race between worker threads during a run, and is left as found after."""

from __future__ import annotations

import ast
import threading

import pytest

from contract_tests.ast_guard import NEEDED, _lock, serialized_ast_parsing


@pytest.mark.skipif(not NEEDED, reason="this CPython keeps the AST recursion depth per thread")
def test_a_parse_waits_while_another_thread_parses() -> None:
    finished = threading.Event()
    with serialized_ast_parsing():
        with _lock:  # stands for a parse in progress in this thread
            worker = threading.Thread(target=lambda: (ast.parse("x = [1, (2, 3)]"), finished.set()))
            worker.start()
            assert not finished.wait(0.2), "a second thread parsed while another parse was in progress"
        worker.join(timeout=10)
    assert finished.is_set()


def test_parse_is_restored_after_the_run() -> None:
    original = ast.parse
    with serialized_ast_parsing():
        assert ast.dump(ast.parse("a + 1")) == ast.dump(original("a + 1"))
    assert ast.parse is original
