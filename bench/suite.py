"""Part 4: wall time of the contract suite's `ci` profile against the local mock."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from bench.results import TIMED_OUT, SuiteFigures


def measure_suite(contract: str, base_url: str, log_path: Path, timeout_s: float) -> SuiteFigures:
    command = [contract, "--base-url", base_url, "--profile", "ci"]
    with log_path.open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            exit_code = process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            exit_code = TIMED_OUT
        finally:
            elapsed = time.perf_counter() - started
            _stop(process)  # after a time-out or Ctrl-C: the suite and everything it started
    return SuiteFigures(wall_s=elapsed, exit_code=exit_code)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
