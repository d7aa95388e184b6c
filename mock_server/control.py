"""`/__mock__/…`: the mock's own controls for end-to-end tests and the CLI. Not part of the API.

    GET  /__mock__/health   200 {"status": "ok", ...}
    POST /__mock__/reset    204, state back to the fixtures the mock started with
    GET  /__mock__/state    200, the whole state as JSON, nested like the fixture files
    PUT  /__mock__/state    204, replace the whole state; 400 problem and no change when the document is bad

Controls need no token under `--require-auth`, get no simulated latency and ignore `Prefer`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.types import Receive, Scope, Send

from mock_server.access_log import note_rejection
from mock_server.dataset import DatasetError
from mock_server.hal import dumps
from mock_server.json_input import UnusableJson, decode_json
from mock_server.problems import PROBLEM_MEDIA_TYPE, ProblemError, Violation
from mock_server.validation import read_body

if TYPE_CHECKING:
    from mock_server.app import MockApp

PREFIX = "/__mock__"
MAX_STATE_BYTES = 256 * 1024 * 1024
_METHODS = {"/health": ("GET", "HEAD"), "/reset": ("POST",), "/state": ("GET", "HEAD", "PUT")}
CONTROL_METHODS = frozenset(method for methods in _METHODS.values() for method in methods)


class ControlPlane:
    """Answers `/__mock__/…` and hands every other request to the API."""

    def __init__(self, mock: MockApp) -> None:
        self.mock = mock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _below_root(scope).startswith(PREFIX):
            await self.mock(scope, receive, send)
            return
        headers = []
        try:
            status, body = await self._control(scope, receive)
            media_type = "application/json"
        except ProblemError as problem:
            note_rejection(scope, problem)
            status, body, media_type = problem.status, self.mock.problems.render(problem), PROBLEM_MEDIA_TYPE
            headers = [(name.lower().encode(), value.encode()) for name, value in problem.headers.items()]
        headers.append((b"content-length", str(len(body)).encode()))
        if body:
            headers.append((b"content-type", media_type.encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    async def _control(self, scope: Scope, receive: Receive) -> tuple[int, bytes]:
        name = _below_root(scope)[len(PREFIX) :]
        allowed = _METHODS.get(name)
        if allowed is None:
            raise ProblemError(404, detail=f"no mock control at {scope['path']}; controls: health, reset, state")
        method = scope["method"]
        if method not in allowed:
            allow = ", ".join(allowed)
            raise ProblemError(405, headers={"Allow": allow}, detail=f"{method} is not allowed here; allowed: {allow}")
        if name == "/health":
            return 200, dumps(self._health())
        if name == "/reset":
            self.mock.reset()
            return 204, b""
        if method in ("GET", "HEAD"):
            return 200, dumps(self.mock.state_document())
        document = await _json_body(scope, receive)
        try:
            self.mock.replace_state(document)
        except DatasetError as error:
            raise _bad_state(str(error), pointer=error.pointer) from None
        return 204, b""

    def _health(self) -> dict[str, Any]:
        store = self.mock.store
        roots = {resource.name: store.count(resource.name, parent_id=None) for resource in self.mock.model.roots}
        return {"status": "ok", "store": type(store).__name__, "records": roots}


def _below_root(scope: Scope) -> str:
    """The path below the mount point: the controls sit next to the API wherever it is mounted."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


async def _json_body(scope: Scope, receive: Receive) -> Any:
    headers = dict(scope["headers"])
    body = await read_body(receive, headers, limit=MAX_STATE_BYTES)
    content_type = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    if content_type != b"application/json":
        raise _bad_state("send the state as application/json (what GET /__mock__/state gives)", "header")
    try:
        return decode_json(body)
    except UnusableJson as error:
        raise _bad_state(error.message, pointer=error.pointer) from None


def _bad_state(message: str, location: str = "body", pointer: str = "") -> ProblemError:
    return ProblemError(400, [Violation(location, pointer, message)], detail=message)
