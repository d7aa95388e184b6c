import os
import signal
import sys
from pathlib import Path

import pytest

from bench.servers import ServerExited, ServerKind, ServerPool, ServerStartError, answers_200, server_pool


def _static_server(directory: Path) -> ServerKind:
    return ServerKind(
        "a static file server",
        lambda port: [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
        ready_path="/",
        cwd=directory,
    )


def test_a_launched_server_answers_on_loopback_until_stopped(tmp_path: Path) -> None:
    with server_pool(tmp_path / "logs") as pool:
        server = pool.launch(_static_server(tmp_path), "static")
        assert server.base_url == f"http://127.0.0.1:{server.port}"
        assert server.startup_s > 0
        assert server.memory.peak_mb > 0
        pool.stop(server)
        assert server.process.poll() is not None
        assert not answers_200(server.port, "/")


def test_closing_the_pool_stops_what_is_still_running(tmp_path: Path) -> None:
    with server_pool(tmp_path / "logs") as pool:
        first = pool.launch(_static_server(tmp_path), "one")
        second = pool.launch(_static_server(tmp_path), "two")
    assert first.process.poll() is not None
    assert second.process.poll() is not None


def test_a_server_that_exits_while_starting_is_reported_with_its_last_words(tmp_path: Path) -> None:
    dying = ServerKind(
        "a broken server",
        lambda port: [sys.executable, "-c", "import sys; print('port already taken'); sys.exit(3)"],
    )
    expected = r"a broken server exited with 3 before answering 200 .*port already taken"
    with pytest.raises(ServerStartError, match=expected):
        ServerPool(tmp_path / "logs").launch(dying, "broken")


def test_a_server_that_never_answers_200_is_given_up_and_stopped(tmp_path: Path) -> None:
    pool = ServerPool(tmp_path / "logs", ready_timeout_s=0.5)
    silent = ServerKind("a silent server", lambda port: [sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with pytest.raises(ServerStartError, match="a silent server did not answer 200 on /customers within 0.5 s"):
            pool.launch(silent, "silent")
        assert not pool._running
    finally:
        pool.stop_all()


def test_a_server_that_dies_while_measured_is_blamed_instead_of_its_clients(tmp_path: Path) -> None:
    with server_pool(tmp_path / "logs") as pool:
        server = pool.launch(_static_server(tmp_path), "static")
        with pytest.raises(ServerExited, match=r"a static file server \(pid \d+\) was killed by SIGKILL"):
            with server.watched():
                os.kill(server.pid, signal.SIGKILL)
                server.process.wait()
                raise ConnectionRefusedError("what a client would see")
