"""Starting the servers under test on free loopback ports, timing them to their first 200, stopping them by PID."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.memory import TreeMemorySampler

HOST = "127.0.0.1"


class ServerStartError(RuntimeError):
    """A server exited or never answered 200 while starting."""


class ServerExited(RuntimeError):
    """A server stopped on its own while it was being measured."""


def describe_exit(code: int) -> str:
    if code < 0:
        return f"was killed by {signal.Signals(-code).name}"
    return f"exited with {code}"


@dataclass(frozen=True, slots=True)
class ServerKind:
    """How to launch one server: `command(port)` gives its argv; `ready_path` must answer 200 once it serves."""

    label: str
    command: Callable[[int], list[str]]
    ready_path: str = "/customers"
    cwd: Path | None = None


@dataclass
class RunningServer:
    kind: ServerKind
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    memory: TreeMemorySampler
    startup_s: float = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def ensure_running(self) -> None:
        exit_code = self.process.poll()
        if exit_code is not None:
            raise ServerExited(
                f"{self.kind.label} (pid {self.pid}) {describe_exit(exit_code)} while being measured "
                f"(log {self.log_path}: {last_log_line(self.log_path)})"
            )

    @contextmanager
    def watched(self) -> Iterator[None]:
        """When the server stopped, that is the error to report, rather than what its clients saw."""
        self.ensure_running()
        try:
            yield
        finally:
            self.ensure_running()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def answers_200(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def last_log_line(log_path: Path) -> str:
    lines = [line for line in log_path.read_text(errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"


@dataclass
class ServerPool:
    """Every server it started is stopped when the pool closes, also on Ctrl-C or a failed measurement."""

    log_dir: Path
    ready_timeout_s: float = 60.0
    _running: dict[int, RunningServer] = field(default_factory=dict)

    def launch(self, kind: ServerKind, log_name: str) -> RunningServer:
        port = free_port()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{log_name}.log"
        with log_path.open("wb") as log:
            started = time.perf_counter()
            # A session of its own makes the server's pid its process-group id, so stopping it
            # by that pid also stops any child it forked.
            process = subprocess.Popen(
                kind.command(port),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=kind.cwd,
                start_new_session=True,
            )
        server = RunningServer(kind, process, port, log_path, TreeMemorySampler(process.pid))
        self._running[process.pid] = server
        server.memory.start()
        self._wait_until_ready(server)
        server.startup_s = time.perf_counter() - started
        server.memory.sample()  # a fast starter may answer before the sampler's first tick
        return server

    def stop(self, server: RunningServer) -> None:
        server.memory.stop()
        self._running.pop(server.pid, None)
        if server.process.poll() is not None:
            return
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.process.wait()

    def stop_all(self) -> None:
        for server in list(self._running.values()):
            self.stop(server)

    @contextmanager
    def running(self, kind: ServerKind, log_name: str) -> Iterator[RunningServer]:
        server = self.launch(kind, log_name)
        try:
            yield server
        finally:
            self.stop(server)

    def _wait_until_ready(self, server: RunningServer) -> None:
        deadline = time.perf_counter() + self.ready_timeout_s
        while time.perf_counter() < deadline:
            exit_code = server.process.poll()
            if exit_code is not None:
                self.stop(server)
                raise ServerStartError(
                    f"{server.kind.label} {describe_exit(exit_code)} before answering 200 "
                    f"(log {server.log_path}: {last_log_line(server.log_path)})"
                )
            if answers_200(server.port, server.kind.ready_path):
                return
            time.sleep(0.01)
        self.stop(server)
        raise ServerStartError(
            f"{server.kind.label} did not answer 200 on {server.kind.ready_path} within {self.ready_timeout_s:g} s "
            f"(log {server.log_path})"
        )


@contextmanager
def server_pool(log_dir: Path) -> Iterator[ServerPool]:
    pool = ServerPool(log_dir)
    try:
        yield pool
    finally:
        pool.stop_all()
