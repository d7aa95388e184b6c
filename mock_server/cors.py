"""CORS for browser apps on other origins: any origin without credentials, listed origins with them.

Pure ASGI and a single pass over the headers, so a request without `Origin` (curl, tests, servers) pays
almost nothing. Preflights are answered here, before auth, as browsers send them without credentials.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
EXPOSED_HEADERS = b"Allow, Preference-Applied, WWW-Authenticate"
PREFLIGHT_MAX_AGE = b"600"


class Cors:
    def __init__(
        self, app: ASGIApp, credentialed_origins: Iterable[str] = (), methods: Iterable[str] = ("GET", "POST")
    ) -> None:
        self.app = app
        self.credentialed = frozenset(origin.rstrip("/").encode("latin-1") for origin in credentialed_origins)
        self.methods = allowed_methods(methods)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = requested_method = requested_headers = None
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value
            elif name == b"access-control-request-method":
                requested_method = value
            elif name == b"access-control-request-headers":
                requested_headers = value
        if origin is None:
            await self.app(scope, receive, send)
            return
        allow = self._allow(origin)
        if scope["method"] == "OPTIONS" and requested_method is not None:
            await _preflight(send, allow, self.methods, requested_headers)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    *allow,
                    (b"access-control-expose-headers", EXPOSED_HEADERS),
                ]
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _allow(self, origin: bytes) -> list[tuple[bytes, bytes]]:
        if origin in self.credentialed:
            return [
                (b"access-control-allow-origin", origin),
                (b"access-control-allow-credentials", b"true"),
                (b"vary", b"Origin"),
            ]
        # `*` cannot carry credentials: browsers then send no cookies and hide nothing but credentialed answers.
        allow = [(b"access-control-allow-origin", b"*")]
        return [*allow, (b"vary", b"Origin")] if self.credentialed else allow


def allowed_methods(methods: Iterable[str]) -> bytes:
    """What a preflight advertises: the methods routes accept, and HEAD wherever GET is (it is served)."""
    wanted = {method.upper() for method in methods}
    if "GET" in wanted:
        wanted.add("HEAD")
    ordered = [method for method in _METHOD_ORDER if method in wanted] + sorted(wanted - set(_METHOD_ORDER))
    return ", ".join(ordered).encode("latin-1")


async def _preflight(
    send: Send, allow: list[tuple[bytes, bytes]], methods: bytes, requested_headers: bytes | None
) -> None:
    headers = [
        *allow,
        (b"access-control-allow-methods", methods),
        (b"access-control-max-age", PREFLIGHT_MAX_AGE),
        (b"content-length", b"0"),
    ]
    if requested_headers:
        # Echoed rather than `*`: a wildcard never covers `Authorization`, and is ignored with credentials.
        headers.append((b"access-control-allow-headers", requested_headers))
    await send({"type": "http.response.start", "status": 204, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
