"""Terminal feedback: one line per request (method, target, status, milliseconds), and why a request was refused.

Lines go to the `customers_mock.access` logger at INFO; the CLI prints them. When nothing listens at INFO,
the middleware steps aside and costs one level check.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.problems import ProblemError

LOGGER = logging.getLogger("customers_mock.access")
_REJECTION = "customers_mock.rejection"  # scope key: why the API refused this request


def note_rejection(scope: Scope, problem: ProblemError) -> None:
    """Remember why a request was refused, for its log line: each violation, or the problem's detail."""
    reasons = [f"{v.location} {v.pointer or '/'}: {v.message}" for v in problem.violations]
    reason = "; ".join(reasons) or problem.detail
    if reason:
        scope[_REJECTION] = reason


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not LOGGER.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless the app gets to answer

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_watch)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            target = _target(scope)
            LOGGER.info("%s %s %d %.1fms", scope["method"], target, status, elapsed)
            reason = scope.get(_REJECTION)
            if reason:
                LOGGER.info("  -> %d %s %s refused: %s", status, scope["method"], target, reason)


def _target(scope: Scope) -> str:
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else scope["path"]
    query: bytes = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path
