"""Serve the reference implementation, or one broken variant of it, as a real HTTP server on loopback.

    python -m tests.contract_tests.apps.serve [--defect NAME] [--port N]

`--port 0` (the default) picks a free port; the first line printed is the base URL.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import sys
import threading
from collections.abc import Iterator

import uvicorn
from starlette.types import ASGIApp

from tests.contract_tests.apps.broken import DEFECTS, build_app

LOOPBACK = "127.0.0.1"


def _bound_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, port))
    return sock


def _server(app: ASGIApp) -> uvicorn.Server:
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2)
    return uvicorn.Server(config)


@contextlib.contextmanager
def running(app: ASGIApp) -> Iterator[str]:
    """Serve `app` on a free loopback port in a background thread; yields the base URL, stops on exit."""
    sock = _bound_socket(0)
    server = _server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            threading.Event().wait(0.01)
        if not server.started:
            raise RuntimeError("the server did not start")
        yield f"http://{LOOPBACK}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--defect", choices=sorted(DEFECTS), help="serve this broken variant instead")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    args = parser.parse_args(argv)
    try:
        sock = _bound_socket(args.port)
    except OSError as error:
        parser.exit(2, f"cannot listen on {LOOPBACK}:{args.port}: {error.strerror}\n")
    print(f"http://{LOOPBACK}:{sock.getsockname()[1]}", flush=True)
    _server(build_app(args.defect)).run(sockets=[sock])


if __name__ == "__main__":
    main(sys.argv[1:])
