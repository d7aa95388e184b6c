"""Benchmark the mock against Prism 5 and a bare Starlette ceiling, side by side, and check the targets.

    python bench/run.py            # the full run: wrk -t2 -c32 -d10s --latency, 3 runs each, ~12 minutes
    python bench/run.py --quick    # a smoke run of every part: 2 s per load, one run each

Exit codes: 0 every measured target met, 1 a target missed, 2 a tool is missing or an option is wrong,
3 a server failed to start or answered what makes a measurement meaningless, 130 interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:
    # Run as `python bench/run.py`: import this folder as the `bench` package, and keep its
    # module names from shadowing anything on the path.
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import importlib.metadata
import os
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from bench.console import heading, progress
from bench.machine import this_machine
from bench.pagination import measure_pagination
from bench.probe import MeasurementError
from bench.report import full_report
from bench.results import BenchResults, Server, StartupCase
from bench.servers import HOST, ServerExited, ServerKind, ServerPool, ServerStartError, server_pool
from bench.startup import measure_startup
from bench.suite import measure_suite
from bench.targets import evaluate_targets
from bench.throughput import WORKLOADS, measure_workload
from bench.tools import (
    MissingTool,
    ensure_prism,
    find_console_script,
    find_wrk,
    installed_prism_version,
    program_version,
)
from bench.wrk import Load, Repetition, WrkOutputError

REPO_ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = REPO_ROOT / "spec" / "customers.openapi.yaml"
CACHE_DIR = REPO_ROOT / "bench" / ".cache"
LOG_DIR = CACHE_DIR / "logs"
CEILING_BODY_BYTES_AT_STARTUP = 500
GENERATED_SEED = 42

EXIT_TARGET_MISSED = 1
EXIT_USAGE = 2
EXIT_MEASUREMENT_FAILED = 3
EXIT_INTERRUPTED = 130


@dataclass(frozen=True, slots=True)
class Tools:
    wrk: str
    mock: str
    contract: str | None
    prism: Path | None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py",
        description="Benchmark the mock against Prism 5 and a bare Starlette ceiling, and check the targets.",
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 s loads, 1 run, 1 s warm-up")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per workload and server (default 3)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load first (default 2)")
    parser.add_argument("--generate", type=int, default=100_000, help="customers for parts 2 and 3 (default 100000)")
    parser.add_argument("--page-limit", type=int, default=100, help="page size walked in part 2 (default 100)")
    parser.add_argument("--parts", default="1,2,3,4", help="comma-separated parts to run (default 1,2,3,4)")
    parser.add_argument("--suite-timeout", type=float, default=900.0, help="seconds before part 4 gives up")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.runs, args.warmup = 2.0, 1, 1.0
    problem = _invalid_option(args)
    if problem:
        parser.error(problem)
    return args


def _invalid_option(args: argparse.Namespace) -> str | None:
    try:
        args.parts = {int(part) for part in args.parts.split(",")}
    except ValueError:
        return f"--parts takes numbers from 1 to 4 separated by commas, not {args.parts!r}"
    if not args.parts <= {1, 2, 3, 4}:
        return f"--parts takes numbers from 1 to 4, not {sorted(args.parts)}"
    if args.duration <= 0 or args.warmup <= 0 or args.runs < 1:
        return "--duration and --warmup must be positive and --runs at least 1"
    if args.threads < 1 or args.connections < args.threads:
        return "wrk needs --threads ≥ 1 and --connections ≥ --threads"
    if not 1 <= args.page_limit <= 100:
        return "--page-limit must be between 1 and 100, the spec's bounds for `limit`"
    if args.generate < args.page_limit:
        return "--generate must be at least --page-limit"
    return None


def find_tools(parts: set[int]) -> Tools:
    wrk = find_wrk()
    mock = find_console_script("customers-mock")
    contract = find_console_script("customers-contract") if 4 in parts else None
    prism = ensure_prism(CACHE_DIR) if parts & {1, 3} else None
    return Tools(wrk, mock, contract, prism)


def mock_kind(mock: str, *options: str) -> ServerKind:
    return ServerKind("the mock", lambda port: [mock, "--host", HOST, "--port", str(port), *options])


def prism_kind(prism: Path, log_level: str | None) -> ServerKind:
    verbosity = ["-v", log_level] if log_level else []
    return ServerKind(
        f"Prism ({log_level or 'default'} log)",
        lambda port: [str(prism), "mock", "-h", HOST, "-p", str(port), *verbosity, str(SPEC_PATH)],
    )


def ceiling_kind(body_bytes: int) -> ServerKind:
    return ServerKind(
        "the Starlette ceiling",
        lambda port: [sys.executable, "-m", "bench.ceiling", f"--port={port}", f"--body-bytes={body_bytes}"],
        cwd=REPO_ROOT,
    )


@dataclass(frozen=True, slots=True)
class Plan:
    """What one run measures and how hard it pushes, from the command line."""

    tools: Tools
    load: Load
    repetition: Repetition
    generate: int
    page_limit: int
    suite_timeout_s: float

    @property
    def quiet_mock(self) -> ServerKind:
        return mock_kind(self.tools.mock, "--no-access-log")

    @property
    def generated_mock(self) -> ServerKind:
        generated = ["--generate", str(self.generate), "--seed", str(GENERATED_SEED)]
        return mock_kind(self.tools.mock, "--no-access-log", *generated)

    @property
    def prism(self) -> Path:
        if self.tools.prism is None:
            raise MissingTool("Prism is needed for parts 1 and 3 but was not installed")
        return self.tools.prism

    @property
    def contract(self) -> str:
        if self.tools.contract is None:
            raise MissingTool("customers-contract is needed for part 4 but was not found")
        return self.tools.contract


def measure_throughput(pool: ServerPool, plan: Plan, results: BenchResults) -> None:
    others = {
        Server.PRISM: lambda _: prism_kind(plan.prism, "silent"),
        Server.PRISM_LOGGING: lambda _: prism_kind(plan.prism, None),
        Server.CEILING: ceiling_kind,
    }
    for workload in WORKLOADS:
        heading(f"part 1: {workload.name}")
        figures = measure_workload(pool, workload, plan.quiet_mock, others, plan.load, plan.repetition, plan.tools.wrk)
        results.throughput.append(figures)


def measure_depth(pool: ServerPool, plan: Plan, results: BenchResults) -> None:
    heading(f"part 2: pagination through {plan.generate:,} customers")
    with pool.running(plan.generated_mock, "mock-pagination") as mock:
        results.pagination = measure_pagination(
            mock, plan.page_limit, plan.generate, plan.load, plan.repetition, plan.tools.wrk
        )


def measure_startups(pool: ServerPool, plan: Plan, results: BenchResults) -> None:
    heading("part 3: start-up and memory")
    kinds = {
        StartupCase.MOCK_DEFAULT: plan.quiet_mock,
        StartupCase.MOCK_GENERATED: plan.generated_mock,
        StartupCase.PRISM: prism_kind(plan.prism, "silent"),
        StartupCase.CEILING: ceiling_kind(CEILING_BODY_BYTES_AT_STARTUP),
    }
    for case, kind in kinds.items():
        log_name = f"startup-{case.name.lower()}"
        results.startup[case] = measure_startup(pool, kind, plan.repetition.runs, case.value, log_name)


def measure_contract_suite(pool: ServerPool, plan: Plan, results: BenchResults) -> None:
    heading("part 4: the contract suite's ci profile against the mock")
    # The mock as a developer starts it: default flags, access log on.
    with pool.running(mock_kind(plan.tools.mock), "mock-suite") as mock:
        progress(f"customers-contract --base-url {mock.base_url} --profile ci")
        results.suite = measure_suite(plan.contract, mock.base_url, LOG_DIR / "suite.log", plan.suite_timeout_s)


PARTS = {1: measure_throughput, 2: measure_depth, 3: measure_startups, 4: measure_contract_suite}


def measure(pool: ServerPool, plan: Plan, parts: set[int]) -> BenchResults:
    results = BenchResults(generated_customers=plan.generate)
    for part in sorted(parts):
        PARTS[part](pool, plan, results)
    return results


def tool_versions(tools: Tools) -> str:
    versions = [program_version([tools.wrk, "-v"]).split(" Copyright")[0]]
    if tools.prism is not None:
        versions.append(f"Node.js {program_version(['node', '--version'])}")
        versions.append(f"Prism {installed_prism_version(CACHE_DIR)}")
    for package in ("uvicorn", "starlette", "uvloop", "httptools"):
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package} not installed")
    return ", ".join(versions)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def termination_as_interrupt() -> Iterator[None]:
    """A benchmark killed with SIGTERM or SIGHUP unwinds like Ctrl-C, so it still stops its servers."""
    previous = {signum: signal.signal(signum, _interrupt) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    load_before = os.getloadavg()[0]
    load = Load(args.threads, args.connections, args.duration)
    repetition = Repetition(args.runs, args.warmup)
    try:
        tools = find_tools(args.parts)
        plan = Plan(tools, load, repetition, args.generate, args.page_limit, args.suite_timeout)
        with termination_as_interrupt(), server_pool(LOG_DIR) as pool:
            results = measure(pool, plan, args.parts)
    except MissingTool as error:
        print(f"bench: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (ServerStartError, ServerExited, MeasurementError, WrkOutputError) as error:
        print(f"bench: {error}", file=sys.stderr)
        return EXIT_MEASUREMENT_FAILED
    except KeyboardInterrupt:
        print("bench: interrupted; every server it started has been stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    targets = evaluate_targets(results)
    load_average = (load_before, os.getloadavg()[0])
    report = full_report(results, targets, this_machine(), load, repetition, tool_versions(tools), load_average)
    print(report)
    if args.output is not None:
        args.output.write_text(report + "\n")
    return EXIT_TARGET_MISSED if any(target.status == "MISSED" for target in targets) else 0


if __name__ == "__main__":
    sys.exit(main())
