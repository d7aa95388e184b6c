"""A small in-memory implementation of Customers v2.0.0 that conforms, used as the suite's own test target.

It is deliberately plain (sequential cursors, insertion order) and records every request it serves, so tests
can see exactly what the suite did to it.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import jsonschema
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from customers_spec import SPEC_PATH

PROBLEMS = {
    400: ("BadRequest", "Bad Request", "Invalid request"),
    404: ("NotFound", "Not Found", "Resource not found"),
    405: ("MethodNotAllowed", "Method Not Allowed", "Method not allowed"),
}


class Problem(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def problem_response(status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    name, title, detail = PROBLEMS[status]
    body = {"type": f"https://docs.nterprise.com/api/problem/{name}", "title": title, "status": status}
    body["detail"] = detail
    return JSONResponse(body, status_code=status, headers=headers, media_type="application/problem+json")


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    # ECMA-262 `$` does not accept a trailing newline, Python's does.
    if isinstance(instance, str) and not re.search(re.sub(r"\$$", r"\\Z", pattern), instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


def _input_validators() -> dict[str, jsonschema.protocols.Validator]:
    spec = yaml.safe_load(SPEC_PATH.read_text())
    validator_class = jsonschema.validators.extend(jsonschema.Draft4Validator, {"pattern": _ecma_pattern})
    checker = jsonschema.FormatChecker(["email"])
    return {
        name: validator_class({"$ref": f"#/components/schemas/{name}", **spec}, format_checker=checker)
        for name in ("CustomerInput", "ContactInput")
    }


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


@dataclass
class Store:
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    contacts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    # Called with (method, path) as each request arrives, so a test can act at a precise point of a run.
    listeners: list[Callable[[str, str], None]] = field(default_factory=list)


def create_app(store: Store | None = None, defects: frozenset[str] = frozenset()) -> Starlette:
    """`defects` switches on deliberate faults, for tests that must see a scenario fail."""
    store = store if store is not None else Store()
    validators = _input_validators()

    async def body_of(request: Request, schema: str) -> dict[str, Any]:
        try:
            body = json.loads(await request.body())
        except ValueError:
            if "accept_malformed_json" in defects:
                return {"label": "parsed anyway", "allowed_statuses": []}
            raise Problem(400) from None
        if not validators[schema].is_valid(body):
            raise Problem(400)
        return body

    def page(request: Request, items: list[dict[str, Any]], key: str) -> JSONResponse:
        params = request.query_params
        limit_text = params.get("limit", "10")
        if not re.fullmatch(r"[0-9]+", limit_text) or not 1 <= int(limit_text) <= 100:
            raise Problem(400)
        limit = int(limit_text)
        start = 0
        if "offset" in params:
            try:
                start = int(base64.urlsafe_b64decode(params["offset"].encode()).decode().removeprefix("at:"))
            except ValueError:
                raise Problem(400) from None
            if not 0 <= start <= len(items):
                raise Problem(400)
        base = str(request.url.replace(query=""))
        links: dict[str, Any] = {"self": {"href": str(request.url)}}
        if start + limit < len(items):
            # The faulty variant starts each next page one item early (an off-by-one cursor).
            following = start + limit - (1 if "repeat_item" in defects and limit > 1 else 0)
            cursor = base64.urlsafe_b64encode(f"at:{following}".encode()).decode()
            # Another faulty variant forgets the requested limit, so the next page has the default size.
            kept = "" if "next_drops_limit" in defects else f"limit={limit}&"
            links["next"] = {"href": f"{base}?{kept}offset={cursor}"}
        return JSONResponse({"_embedded": {key: items[start : start + limit]}, "_links": links})

    def customer_of(request: Request) -> dict[str, Any]:
        customer = store.customers.get(request.path_params["customer_id"])
        if customer is None:
            raise Problem(404)
        return customer

    async def customers(request: Request) -> Response:
        if request.method == "GET":
            return page(request, list(store.customers.values()), "nter:customers")
        body = await body_of(request, "CustomerInput")
        if "truncate_labels" in defects:
            body["label"] = body["label"][:255]
        customer_id = uuid.uuid4().hex
        href = f"{request.base_url}customers/{customer_id}"
        now = _now()
        customer = {**body, "customer_id": customer_id, "created": now, "updated": now}
        customer["_links"] = {"self": {"href": href}}
        store.customers[customer_id] = customer
        store.contacts[customer_id] = []
        return JSONResponse(customer)

    async def customer(request: Request) -> Response:
        current = customer_of(request)
        if request.method == "GET":
            return JSONResponse(current)
        if request.method == "DELETE":
            del store.customers[current["customer_id"]]
            if "delete_with_body" in defects:
                return JSONResponse({"deleted": True}, status_code=205)
            return Response(status_code=205)
        body = await body_of(request, "CustomerInput")
        kept = {key: current[key] for key in ("customer_id", "created", "_links")}
        store.customers[current["customer_id"]] = {**body, **kept, "updated": _now()}
        return JSONResponse(store.customers[current["customer_id"]])

    async def contacts(request: Request) -> Response:
        owner = customer_of(request)
        items = store.contacts[owner["customer_id"]]
        if request.method == "GET":
            return page(request, items, "nter:contacts")
        body = await body_of(request, "ContactInput")
        contact_id = uuid.uuid4().hex
        now = _now()
        contact = {**body, "contact_id": contact_id, "created": now, "updated": now}
        contact["_links"] = {"self": {"href": f"{request.base_url}contacts/{contact_id}"}}
        items.append(contact)
        return JSONResponse(contact)

    async def empty_list(request: Request) -> Response:
        customer_of(request)
        return page(request, [], "nter:" + request.url.path.rsplit("/", 1)[-1])

    async def on_problem(request: Request, exc: Exception) -> Response:
        return problem_response(exc.status if isinstance(exc, Problem) else 400)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        return problem_response(getattr(exc, "status_code", 404), getattr(exc, "headers", None))

    async def record(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            store.requests.append((scope["method"], scope["path"]))
            for listener in store.listeners:
                listener(scope["method"], scope["path"])
        await app_inner(scope, receive, send)

    app_inner = Starlette(
        routes=[
            Route("/customers", customers, methods=["GET", "POST"]),
            Route("/customers/{customer_id}", customer, methods=["GET", "PUT", "DELETE"]),
            Route("/customers/{customer_id}/contacts", contacts, methods=["GET", "POST"]),
            Route("/customers/{customer_id}/parts", empty_list, methods=["GET"]),
            Route("/customers/{customer_id}/programs", empty_list, methods=["GET"]),
        ],
        exception_handlers={Problem: on_problem, 404: on_http_error, 405: on_http_error},
    )
    app_inner.state.store = store
    return record  # type: ignore[return-value]
