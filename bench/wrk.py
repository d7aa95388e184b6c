"""Running wrk and reading its `--latency` report."""

from __future__ import annotations

import re
import statistics
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

LUA_DIR = Path(__file__).resolve().parent / "lua"

_TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_REQUESTS_PER_SEC = re.compile(r"^Requests/sec:\s+([\d.]+)\s*$", re.MULTILINE)
_TOTAL_REQUESTS = re.compile(r"^\s*(\d+) requests in ", re.MULTILINE)
_NON_2XX = re.compile(r"^\s*Non-2xx or 3xx responses:\s+(\d+)\s*$", re.MULTILINE)
_SOCKET_ERRORS = re.compile(
    r"^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)\s*$", re.MULTILINE
)


class WrkOutputError(ValueError):
    """wrk's report lacks a figure the benchmark needs (wrong flags, or wrk failed)."""


@dataclass(frozen=True, slots=True)
class Load:
    """How hard and how long wrk pushes: the same for every server in one run."""

    threads: int = 2
    connections: int = 32
    duration_s: float = 10.0


@dataclass(frozen=True, slots=True)
class Repetition:
    """How many measured wrk runs per server, after one unmeasured warm-up run of `warmup_s`."""

    runs: int = 3
    warmup_s: float = 2.0


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int = 0
    socket_errors: int = 0

    @property
    def failed_share(self) -> float:
        """Share of requests that did not get a 2xx/3xx or hit a socket error."""
        return (self.non_2xx + self.socket_errors) / self.requests if self.requests else 1.0


def parse_wrk_output(text: str) -> WrkResult:
    percentiles = {int(p): float(value) * _TIME_UNITS_MS[unit] for p, value, unit in _PERCENTILE.findall(text)}
    rate = _REQUESTS_PER_SEC.search(text)
    total = _TOTAL_REQUESTS.search(text)
    if rate is None or total is None or not {50, 99} <= percentiles.keys():
        raise WrkOutputError(f"wrk printed no Requests/sec, request count or 50%/99% latency: {text.strip()!r}")
    non_2xx = _NON_2XX.search(text)
    socket_errors = _SOCKET_ERRORS.search(text)
    return WrkResult(
        requests_per_s=float(rate.group(1)),
        p50_ms=percentiles[50],
        p99_ms=percentiles[99],
        requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
    )


def median_result(results: Sequence[WrkResult]) -> WrkResult:
    """Each figure's median over repeated runs (figures are taken independently, as reported)."""
    if not results:
        raise ValueError("no wrk runs to take the median of")
    return WrkResult(
        requests_per_s=statistics.median(r.requests_per_s for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        requests=sum(r.requests for r in results),
        non_2xx=sum(r.non_2xx for r in results),
        socket_errors=sum(r.socket_errors for r in results),
    )


def wrk_command(
    wrk: str, url: str, load: Load, script: Path | None = None, script_args: Sequence[str] = ()
) -> list[str]:
    command = [
        wrk,
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{load.duration_s:g}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    if script is not None:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    return command


def run_wrk(wrk: str, url: str, load: Load, script: Path | None = None, script_args: Sequence[str] = ()) -> WrkResult:
    command = wrk_command(wrk, url, load, script, script_args)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=load.duration_s + 60, check=False)
    if completed.returncode != 0:
        said = completed.stderr.strip() or completed.stdout.strip()
        raise WrkOutputError(f"wrk exited with {completed.returncode}: {said}")
    return parse_wrk_output(completed.stdout)
