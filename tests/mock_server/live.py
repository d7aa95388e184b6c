"""A real `customers-mock` process on a free 127.0.0.1 port, for tests that need a socket, a browser or a crash."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT_SECONDS = 30.0
_URL = re.compile(r"http://127\.0\.0\.1:\d+")


class LiveMock:
    def __init__(self, *flags: str) -> None:
        # Output goes to a file, not a pipe: a chatty server can never block on a pipe nobody reads.
        self._log = tempfile.NamedTemporaryFile("w+", prefix="customers-mock-", suffix=".log", delete=False)
        self.log_path = Path(self._log.name)
        self._final_output: str | None = None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mock_server", "--port", "0", *flags],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.url = self._wait_for_banner()

    def _wait_for_banner(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            match = _URL.search(self.output())
            if match:
                return match.group(0)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"the mock did not start: {self.output()!r}")

    def output(self) -> str:
        if self._final_output is not None:
            return self._final_output
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> str:
        """Ends the process (Ctrl+C-like) and returns everything it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:  # pragma: no cover - only when shutdown hangs
                self.process.kill()
                self.process.wait()
        return self._close()

    def kill(self) -> str:
        """`kill -9`: no shutdown code runs."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return self._close()

    def _close(self) -> str:
        if self._final_output is None:
            self._final_output = self.output()
            self._log.close()
            self.log_path.unlink(missing_ok=True)
        return self._final_output


@contextmanager
def live_mock(*flags: str) -> Iterator[LiveMock]:
    mock = LiveMock(*flags)
    try:
        yield mock
    finally:
        if mock.process.poll() is None:
            mock.stop()
