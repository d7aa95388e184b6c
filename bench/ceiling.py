"""The Python ceiling: a bare Starlette app under uvicorn that answers every request with one constant JSON body.

Run as `python bench/ceiling.py --port N --body-bytes N`; the benchmark sizes the body like the mock's
response for the workload being measured, so both send the same bytes over the wire.
"""

from __future__ import annotations

import argparse
import json

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

# `{"padding":""}` is the smallest body the padding can grow from.
_EMPTY_BODY_BYTES = len(b'{"padding":""}')


def constant_json_body(size: int) -> bytes:
    """A valid JSON object of exactly `size` bytes (or the smallest one possible)."""
    padding = "x" * max(0, size - _EMPTY_BODY_BYTES)
    return json.dumps({"padding": padding}, separators=(",", ":")).encode()


def create_app(body: bytes) -> Starlette:
    async def constant(request: Request) -> Response:
        # Read the request body as any real endpoint would before answering.
        await request.body()
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/{path:path}", constant, methods=["GET", "POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(description="Bare Starlette app returning a constant JSON body.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body-bytes", type=int, default=500)
    args = parser.parse_args()
    app = create_app(constant_json_body(args.body_bytes))
    uvicorn.run(
        app, host=args.host, port=args.port, loop="uvloop", http="httptools", access_log=False, log_level="warning"
    )


if __name__ == "__main__":
    main()
