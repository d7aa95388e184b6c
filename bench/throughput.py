"""Part 1: the same wrk load on the mock, Prism and the Starlette ceiling, in interleaved rounds."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from bench.console import progress
from bench.probe import expect_success, first_customer_id, request
from bench.results import Server, ServerFigures, WorkloadFigures
from bench.servers import RunningServer, ServerKind, ServerPool
from bench.targets import GET_BY_ID, GET_PAGE_10, GET_PAGE_100, POST_CUSTOMER
from bench.wrk import LUA_DIR, Load, Repetition, WrkResult, median_result, run_wrk

CREATE_SCRIPT = LUA_DIR / "create_customer.lua"
SAMPLE_CUSTOMER = {"label": "Sample", "allowed_statuses": [{"status": "Open", "category": "PENDING"}]}


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    method: str
    path: str  # `{id}` stands for a customer id the mock really has
    script: Path | None = None


WORKLOADS = (
    Workload(GET_BY_ID, "GET", "/customers/{id}"),
    Workload(GET_PAGE_10, "GET", "/customers?limit=10"),
    Workload(GET_PAGE_100, "GET", "/customers?limit=100"),
    Workload(POST_CUSTOMER, "POST", "/customers", CREATE_SCRIPT),
)


def _sample_reply_size(label: str, server: RunningServer, workload: Workload, path: str) -> int:
    body = {**SAMPLE_CUSTOMER, "label": f"Sample {time.time_ns()}"} if workload.method == "POST" else None
    reply = request(server.port, workload.method, path, body)
    return len(expect_success(label, workload.method, path, reply).body)


def _load(server: RunningServer, workload: Workload, path: str, load: Load, wrk: str, tag: str) -> WrkResult:
    # Each run gets its own tag so that POSTed labels never repeat within one server's lifetime.
    script_args = [f"{tag}-{time.time_ns()}"] if workload.script else []
    with server.watched():
        return run_wrk(wrk, server.base_url + path, load, workload.script, script_args)


def measure_workload(
    pool: ServerPool,
    workload: Workload,
    mock_kind: ServerKind,
    other_kinds: Mapping[Server, Callable[[int], ServerKind]],
    load: Load,
    repetition: Repetition,
    wrk: str,
) -> WorkloadFigures:
    """`other_kinds` builds each comparison server from the mock's response size for this workload."""
    with ExitStack() as stack:
        mock = stack.enter_context(pool.running(mock_kind, f"mock-{_slug(workload.name)}"))
        path = workload.path.replace("{id}", first_customer_id("the mock", mock.port))
        body_bytes = {Server.MOCK: _sample_reply_size("the mock", mock, workload, path)}
        servers = {Server.MOCK: mock}
        for server, kind_for in other_kinds.items():
            kind = kind_for(body_bytes[Server.MOCK])
            servers[server] = stack.enter_context(pool.running(kind, f"{_slug(server.value)}-{_slug(workload.name)}"))
            body_bytes[server] = _sample_reply_size(server.value, servers[server], workload, path)
        warmup = Load(load.threads, load.connections, repetition.warmup_s)
        for server, running in servers.items():
            progress(f"{workload.name}: warming up {server.value}")
            _load(running, workload, path, warmup, wrk, "warm")
        runs: dict[Server, list[WrkResult]] = {server: [] for server in servers}
        # Rounds alternate servers so that a noisy neighbour on a shared machine hits all of them alike.
        for round_number in range(1, repetition.runs + 1):
            for server, running in servers.items():
                progress(f"{workload.name}: {server.value}, run {round_number}/{repetition.runs}")
                runs[server].append(_load(running, workload, path, load, wrk, f"run{round_number}"))
    return WorkloadFigures(
        workload=workload.name,
        servers={
            server: ServerFigures(median_result(runs[server]), running.memory.peak_mb, body_bytes[server])
            for server, running in servers.items()
        },
    )


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")
