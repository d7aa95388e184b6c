"""Single HTTP requests to a server under test, to learn ids, body sizes and pagination links before loading it."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any

from bench.servers import HOST


class MeasurementError(RuntimeError):
    """A server answered something that makes the planned measurement meaningless."""


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def send(connection: http.client.HTTPConnection, method: str, path: str, body: dict[str, Any] | None = None) -> Reply:
    payload = None if body is None else json.dumps(body).encode()
    headers = {"Accept": "application/json"}
    if payload is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=payload, headers=headers)
    response = connection.getresponse()
    return Reply(response.status, response.read())


def request(port: int, method: str, path: str, body: dict[str, Any] | None = None) -> Reply:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        return send(connection, method, path, body)
    finally:
        connection.close()


def expect_success(label: str, method: str, path: str, reply: Reply) -> Reply:
    if not 200 <= reply.status < 300:
        excerpt = reply.body[:200].decode(errors="replace")
        raise MeasurementError(f"{label} answered {reply.status} to {method} {path}: {excerpt}")
    return reply


def first_customer_id(label: str, port: int) -> str:
    page = expect_success(label, "GET", "/customers?limit=1", request(port, "GET", "/customers?limit=1")).json()
    customers = page.get("_embedded", {}).get("nter:customers", [])
    if not customers:
        raise MeasurementError(f"{label} lists no customers on GET /customers?limit=1; start it with fixtures")
    return str(customers[0]["customer_id"])
