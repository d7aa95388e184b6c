"""Serve the reference implementation, or one variant of it, as a real HTTP server on loopback.

    python -m tests.contract_tests.apps.serve [--app NAME] [--port N]

NAME is `reference` (the default), a defect of the broken corpus or a correct variant. `--port 0` (the default)
picks a free port. The first line printed is the base URL, once the port already accepts connections.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import sys
import threading
from collections.abc import Iterator

import uvicorn
from starlette.applications import Starlette
from starlette.types import ASGIApp

from tests.contract_tests.apps.broken import DEFECTS
from tests.contract_tests.apps.reference import ReferenceApi
from tests.contract_tests.apps.variants import VARIANTS

LOOPBACK = "127.0.0.1"
REFERENCE = "reference"
APPS: dict[str, type[ReferenceApi]] = {REFERENCE: ReferenceApi, **DEFECTS, **VARIANTS}


def build_app(name: str = REFERENCE) -> Starlette:
    return APPS[name]().app()


def listening_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, port))
    # Listening before the server loop starts: early clients wait in the backlog instead of being refused.
    sock.listen(128)
    return sock


def _server(app: ASGIApp) -> uvicorn.Server:
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2)
    return uvicorn.Server(config)


@contextlib.contextmanager
def running(app: ASGIApp) -> Iterator[str]:
    """Serve `app` on a free loopback port from a background thread; yields the base URL, stops on exit."""
    sock = listening_socket(0)
    server = _server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://{LOOPBACK}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--app", default=REFERENCE, choices=sorted(APPS), metavar="NAME", help="what to serve")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    args = parser.parse_args(argv)
    try:
        sock = listening_socket(args.port)
    except OSError as error:
        parser.exit(2, f"cannot listen on {LOOPBACK}:{args.port}: {error.strerror}\n")
    print(f"http://{LOOPBACK}:{sock.getsockname()[1]}", flush=True)
    _server(build_app(args.app)).run(sockets=[sock])


if __name__ == "__main__":
    main(sys.argv[1:])
