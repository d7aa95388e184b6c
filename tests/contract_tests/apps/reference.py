"""A second, independent and deliberately plain implementation of the Customers v2.0.0 contract.

It proves the contract suite sound: the suite must pass it. Wherever the spec leaves a choice open it chooses
differently from a typical implementation: ids use `-` and `_`, a page holds 25 items unless asked otherwise,
cursors are keyset positions (`before-<n>`), lists are newest first, JSON is ASCII-escaped, and it adds fields
(`revision`, `count`) and links (`first`, `nter:customer`, a link array) the spec does not mention.

The class is built to be subclassed: each broken implementation of the corpus overrides one small method.
"""

from __future__ import annotations

import json
import random
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.contract_tests.apps import spec_facts
from tests.contract_tests.apps.spec_facts import Violation

ID_ALPHABET = string.ascii_letters + string.digits + "-_"
CURSOR = re.compile(r"before-([1-9][0-9]{0,17})")
JSON_MEDIA_TYPE = re.compile(r"application/(?:[\w.+-]+\+)?json", re.IGNORECASE)


class Problem(Exception):
    """An answer with a problem body; `status` picks the spec's template."""

    def __init__(self, status: int, violations: Sequence[Violation] = (), headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.violations = list(violations)
        self.headers = headers or {}


class HalResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False).encode("ascii")


class ProblemResponse(HalResponse):
    media_type = "application/problem+json"


@dataclass
class Item:
    """A contact, part or program: its id, its place in creation order and its own fields."""

    item_id: str
    seq: int
    fields: dict[str, Any]
    created: datetime
    updated: datetime


@dataclass
class CustomerRecord:
    customer_id: str
    seq: int
    label: str
    allowed_statuses: list[dict[str, Any]]
    external_platform: dict[str, Any] | None
    created: datetime
    updated: datetime
    revision: int = 1
    contacts: list[Item] = field(default_factory=list)
    parts: list[Item] = field(default_factory=list)
    programs: list[Item] = field(default_factory=list)


Sequenced = TypeVar("Sequenced", Item, CustomerRecord)


def slug(label: str) -> str | None:
    # The slug pattern allows only ASCII words joined by '-'; a label without any has no slug.
    words = re.findall(r"[a-z0-9]+", label.lower())
    return "-".join(words) or None


class ReferenceApi:
    default_limit = 25

    def __init__(self, *, seed: int = 7, with_sample_data: bool = True) -> None:
        self.random = random.Random(seed)
        self.customers: dict[str, CustomerRecord] = {}
        self.last_seq = 0
        self.last_moment = datetime(2000, 1, 1, tzinfo=timezone.utc)
        if with_sample_data:
            self.add_sample_data()

    # -- the ASGI app -----------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        routes = [
            Route("/customers", self.fetch_all_customers, methods=["GET"]),
            Route("/customers", self.create_customer, methods=["POST"]),
            Route("/customers/{customer_id}", self.fetch_customer_by_id, methods=["GET"]),
            Route("/customers/{customer_id}", self.update_customer, methods=["PUT"]),
            Route("/customers/{customer_id}", self.delete_customer, methods=["DELETE"]),
            Route("/customers/{customer_id}/contacts", self.fetch_all_customer_contacts, methods=["GET"]),
            Route("/customers/{customer_id}/contacts", self.attach_customer_contact, methods=["POST"]),
            Route("/customers/{customer_id}/parts", self.fetch_all_customer_parts, methods=["GET"]),
            Route("/customers/{customer_id}/programs", self.fetch_all_customer_programs, methods=["GET"]),
            # Routes beyond the spec: item self links resolve.
            Route("/customers/{customer_id}/contacts/{item_id}", self.fetch_contact, methods=["GET"]),
            Route("/customers/{customer_id}/parts/{item_id}", self.fetch_part, methods=["GET"]),
            Route("/customers/{customer_id}/programs/{item_id}", self.fetch_program, methods=["GET"]),
        ]
        app = Starlette(
            routes=_merge_methods(routes),
            exception_handlers={
                Problem: self.problem_handler,
                HTTPException: self.http_exception_handler,
                Exception: self.crash_handler,
            },
        )
        # '/customers/' is simply not a route here; a redirect would be an undocumented status.
        app.router.redirect_slashes = False
        return app

    # -- operations -------------------------------------------------------------------------------------------

    async def fetch_all_customers(self, request: Request) -> Response:
        limit, before = self.page_request(request)
        customers = self.newest_first(list(self.customers.values()))
        return self.page_response(request, "nter:customers", customers, limit, before, self.render_customer)

    async def create_customer(self, request: Request) -> Response:
        body = await self.valid_body(request, "CustomerInput")
        now = self.now()
        customer = CustomerRecord(
            customer_id=self.new_id("cu_"),
            seq=self.next_seq(),
            label=self.stored_label(body["label"]),
            allowed_statuses=body["allowed_statuses"],
            external_platform=body.get("external_platform"),
            created=now,
            updated=now,
        )
        self.add_starter_items(customer)
        self.customers[customer.customer_id] = customer
        return self.ok(self.render_customer(request, customer))

    async def fetch_customer_by_id(self, request: Request) -> Response:
        return self.ok(self.render_customer(request, self.find_customer(request)))

    async def update_customer(self, request: Request) -> Response:
        customer = self.find_customer(request)
        body = await self.valid_body(request, "CustomerInput")
        self.apply_update(customer, body)
        return self.ok(self.render_customer(request, customer))

    async def delete_customer(self, request: Request) -> Response:
        customer = self.find_customer(request)
        self.remove_customer(customer)
        return self.deleted_response()

    async def fetch_all_customer_contacts(self, request: Request) -> Response:
        return await self.sub_collection_page(request, "contacts", self.render_contact)

    async def attach_customer_contact(self, request: Request) -> Response:
        customer = self.find_customer(request)
        body = await self.valid_body(request, "ContactInput")
        now = self.now()
        fields = {name: body[name] for name in ("name", "label", "email", "phone") if name in body}
        contact = Item(self.new_id("ct-"), self.next_seq(), fields, now, now)
        customer.contacts.append(contact)
        return self.ok(self.render_contact(request, customer, contact))

    async def fetch_all_customer_parts(self, request: Request) -> Response:
        return await self.sub_collection_page(request, "parts", self.render_part)

    async def fetch_all_customer_programs(self, request: Request) -> Response:
        return await self.sub_collection_page(request, "programs", self.render_program)

    async def fetch_contact(self, request: Request) -> Response:
        return self.sub_item(request, "contacts", self.render_contact)

    async def fetch_part(self, request: Request) -> Response:
        return self.sub_item(request, "parts", self.render_part)

    async def fetch_program(self, request: Request) -> Response:
        return self.sub_item(request, "programs", self.render_program)

    # -- state ------------------------------------------------------------------------------------------------

    def find_customer(self, request: Request) -> CustomerRecord:
        customer = self.customers.get(request.path_params["customer_id"])
        if customer is None:
            raise Problem(404)
        return customer

    def apply_update(self, customer: CustomerRecord, body: dict[str, Any]) -> None:
        # PUT replaces every writable field: one left out is gone.
        customer.label = self.stored_label(body["label"])
        customer.allowed_statuses = body["allowed_statuses"]
        customer.external_platform = body.get("external_platform")
        customer.updated = self.now()
        customer.revision += 1

    def remove_customer(self, customer: CustomerRecord) -> None:
        del self.customers[customer.customer_id]

    def stored_label(self, label: str) -> str:
        return label

    def add_starter_items(self, customer: CustomerRecord) -> None:
        # A business rule the spec leaves open: every customer starts with one program and one part,
        # so the parts and programs of customers created through the API are never empty.
        customer.parts.append(self.sample_item("pt-", _sample_part(0, 1)))
        customer.programs.append(self.sample_item("pg_", _sample_program(0)))

    def new_id(self, prefix: str) -> str:
        return prefix + "".join(self.random.choices(ID_ALPHABET, k=14))

    def next_seq(self) -> int:
        self.last_seq += 1
        return self.last_seq

    def now(self) -> datetime:
        # Strictly increasing, so `updated` moves forward even when two writes share a clock tick.
        self.last_moment = max(datetime.now(timezone.utc), self.last_moment + timedelta(microseconds=1))
        return self.last_moment

    @staticmethod
    def newest_first(items: list[Sequenced]) -> list[Sequenced]:
        return sorted(items, key=lambda item: item.seq, reverse=True)

    # -- request reading --------------------------------------------------------------------------------------

    def page_request(self, request: Request) -> tuple[int, int | None]:
        """The requested page size and the keyset position to continue before (None: from the newest)."""
        low, high = spec_facts.limit_bounds()
        limits = request.query_params.getlist("limit")
        offsets = request.query_params.getlist("offset")
        found: list[Violation] = []
        limit = self.default_limit
        if len(limits) > 1 or (limits and not _int_between(limits[0], low, high)):
            found.append(Violation("query", "/limit", f"limit must be one integer from {low} to {high}"))
        elif limits:
            limit = int(limits[0])
        before = self.read_cursor(offsets[0]) if len(offsets) == 1 else None
        if offsets and before is None:
            found.append(Violation("query", "/offset", "offset must be a cursor taken from a `next` link"))
        if found:
            raise Problem(400, found)
        return limit, before

    def read_cursor(self, cursor: str) -> int | None:
        """The creation position a cursor continues before, or None when this server never issued it."""
        matched = CURSOR.fullmatch(cursor)
        return int(matched.group(1)) if matched else None

    async def valid_body(self, request: Request, schema_name: str) -> dict[str, Any]:
        media_type = request.headers.get("content-type", "application/json").split(";")[0].strip()
        if not JSON_MEDIA_TYPE.fullmatch(media_type):
            raise Problem(400, [Violation("header", "/content-type", "the body must be application/json")])
        body = self.parse_json(await request.body())
        found = self.body_violations(schema_name, body)
        if found:
            raise Problem(400, found)
        return dict(body)

    def parse_json(self, raw: bytes) -> Any:
        try:
            return json.loads(raw, parse_constant=_reject_constant)
        except ValueError:
            raise Problem(400, [Violation("body", "", "the body is not valid JSON")]) from None

    def body_violations(self, schema_name: str, body: Any) -> list[Violation]:
        return spec_facts.violations(self.request_schema(schema_name), body)

    def request_schema(self, name: str) -> dict[str, Any]:
        return spec_facts.request_schema(name)

    # -- representations --------------------------------------------------------------------------------------

    def origin(self, request: Request) -> str:
        return f"{request.url.scheme}://{request.url.netloc}"

    def customer_url(self, request: Request, customer: CustomerRecord) -> str:
        return f"{self.origin(request)}/customers/{customer.customer_id}"

    def item_url(self, request: Request, customer: CustomerRecord, kind: str, item: Item) -> str:
        return f"{self.customer_url(request, customer)}/{kind}/{item.item_id}"

    def render_customer(self, request: Request, customer: CustomerRecord) -> dict[str, Any]:
        url = self.customer_url(request, customer)
        return {
            "_links": {
                "self": {"href": url},
                "nter:customer-programs": {"href": f"{url}/programs"},
                "nter:customer-contacts": {"href": f"{url}/contacts"},
                "nter:collections": [{"href": f"{url}/contacts", "name": "contacts"}, {"href": f"{url}/parts"}],
            },
            **self.customer_fields(customer),
            "revision": customer.revision,
        }

    def format_time(self, moment: datetime) -> str:
        return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")

    def customer_fields(self, customer: CustomerRecord) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "customer_id": customer.customer_id,
            "label": customer.label,
            "created": self.format_time(customer.created),
            "updated": self.format_time(customer.updated),
            "allowed_statuses": customer.allowed_statuses,
            "total_programs": len(customer.programs),
            "total_projects": 0,
        }
        if (customer_slug := slug(customer.label)) is not None:
            fields["slug"] = customer_slug
        if customer.external_platform is not None:
            fields["external_platform"] = customer.external_platform
        return fields

    def embedded_customer(self, customer: CustomerRecord) -> dict[str, Any]:
        """The closed `Customer` schema parts and programs embed: no links, no extra members."""
        return {**self.customer_fields(customer), "entity_id": customer.customer_id, "entity_type": "CUS"}

    def item_fields(self, request: Request, customer: CustomerRecord, kind: str, item: Item) -> dict[str, Any]:
        fields = {
            "_links": {
                "self": {"href": self.item_url(request, customer, kind, item)},
                "nter:customer": {"href": self.customer_url(request, customer)},
            },
            **item.fields,
            "created": self.format_time(item.created),
            "updated": self.format_time(item.updated),
        }
        if (item_slug := slug(item.fields.get("label", ""))) is not None:
            fields["slug"] = item_slug
        return fields

    def render_contact(self, request: Request, customer: CustomerRecord, contact: Item) -> dict[str, Any]:
        return {"contact_id": contact.item_id, **self.item_fields(request, customer, "contacts", contact)}

    def render_part(self, request: Request, customer: CustomerRecord, part: Item) -> dict[str, Any]:
        fields = self.item_fields(request, customer, "parts", part)
        return {"part_id": part.item_id, **fields, "customer": self.embedded_customer(customer)}

    def render_program(self, request: Request, customer: CustomerRecord, program: Item) -> dict[str, Any]:
        fields = self.item_fields(request, customer, "programs", program)
        return {"program_id": program.item_id, **fields, "customer": self.embedded_customer(customer)}

    # -- responses --------------------------------------------------------------------------------------------

    def ok(self, body: dict[str, Any]) -> Response:
        return HalResponse(body)

    def deleted_response(self) -> Response:
        return Response(status_code=205)

    async def sub_collection_page(
        self, request: Request, kind: str, render: Callable[[Request, CustomerRecord, Item], dict[str, Any]]
    ) -> Response:
        customer = self.find_customer(request)
        limit, before = self.page_request(request)
        items = self.newest_first(getattr(customer, kind))
        return self.page_response(
            request, f"nter:{kind}", items, limit, before, lambda req, item: render(req, customer, item)
        )

    def sub_item(
        self, request: Request, kind: str, render: Callable[[Request, CustomerRecord, Item], dict[str, Any]]
    ) -> Response:
        customer = self.find_customer(request)
        for item in getattr(customer, kind):
            if item.item_id == request.path_params["item_id"]:
                return self.ok(render(request, customer, item))
        raise Problem(404)

    def page_response(
        self,
        request: Request,
        relation: str,
        items: list[Sequenced],
        limit: int,
        before: int | None,
        render: Callable[[Request, Sequenced], dict[str, Any]],
    ) -> Response:
        remaining = [item for item in items if before is None or item.seq < before]
        page = self.page_slice(remaining, limit)
        more = len(remaining) > len(page)
        return self.ok(self.page_body(request, relation, [render(request, item) for item in page], page, limit, more))

    def page_slice(self, remaining: list[Sequenced], limit: int) -> list[Sequenced]:
        return remaining[:limit]

    def page_body(
        self,
        request: Request,
        relation: str,
        rendered: list[dict[str, Any]],
        page: Sequence[Item | CustomerRecord],
        limit: int,
        more: bool,
    ) -> dict[str, Any]:
        collection_url = f"{self.origin(request)}{request.url.path}"
        links: dict[str, Any] = {
            "self": {"href": str(request.url)},
            "first": {"href": f"{collection_url}?limit={limit}"},
        }
        if more:
            links["next"] = {"href": self.next_href(request, page[-1].seq, limit)}
        return {"_links": links, "_embedded": {relation: rendered}, "count": len(rendered)}

    def next_href(self, request: Request, last_seq: int, limit: int) -> str:
        return f"{self.origin(request)}{request.url.path}?offset=before-{last_seq}&limit={limit}"

    # -- problems ---------------------------------------------------------------------------------------------

    def problem_body(self, status: int, violations: Sequence[Violation]) -> dict[str, Any]:
        body = dict(spec_facts.problem_templates().get(status) or _generic_problem(status))
        if violations:
            body["violations"] = [vars(violation) for violation in violations]
        return body

    def problem_response(self, status: int, violations: Sequence[Violation] = (), headers: Any = None) -> Response:
        return ProblemResponse(self.problem_body(status, violations), status_code=status, headers=headers)

    async def problem_handler(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        return self.problem_response(exc.status, exc.violations, exc.headers)

    async def http_exception_handler(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return self.problem_response(exc.status_code, headers=exc.headers)

    async def crash_handler(self, request: Request, exc: Exception) -> Response:
        return self.problem_response(500)

    # -- sample data ------------------------------------------------------------------------------------------

    def add_sample_data(self) -> None:
        labels = ["Acme Rail", "Brøndby Søn & Co", "北京 Metro Group"]
        for number, label in enumerate(labels, start=1):
            now = self.now()
            customer = CustomerRecord(
                customer_id=self.new_id("cu_"),
                seq=self.next_seq(),
                label=label,
                allowed_statuses=[
                    {"status": "Open", "category": "PENDING"},
                    {"status": "Done", "category": "COMPLETE"},
                ],
                external_platform={"erp": f"ERP-{number:04d}"} if number != 2 else None,
                created=now,
                updated=now,
            )
            for contact_number in range(1, 4):
                customer.contacts.append(self.sample_item("ct-", _sample_contact(number, contact_number)))
            for part_number in range(1, 3):
                customer.parts.append(self.sample_item("pt-", _sample_part(number, part_number)))
            customer.programs.append(self.sample_item("pg_", _sample_program(number)))
            self.customers[customer.customer_id] = customer

    def sample_item(self, prefix: str, fields: dict[str, Any]) -> Item:
        now = self.now()
        return Item(self.new_id(prefix), self.next_seq(), fields, now, now)


def _sample_contact(customer_number: int, number: int) -> dict[str, Any]:
    return {
        "name": f"Contact {customer_number}.{number}",
        "label": f"Site contact {number}",
        "email": f"contact{number}@customer{customer_number}.example.com",
        "phone": f"+1 555 01{customer_number}{number}",
    }


def _sample_part(customer_number: int, number: int) -> dict[str, Any]:
    return {
        "label": f"Sensor model {number}",
        "manufacturer": {"part_number": f"MP-{customer_number}{number:03d}"},
        "serial_prefix": f"SN{customer_number}{number}",
        "input_filter": [
            {
                "label": "Asset tag",
                "key": "asset-tag",
                "filters": [{"type": "lower", "options": {}}],
                "validators": [{"type": "length", "options": {"length": "12", "operator": "equals"}}],
            }
        ],
    }


def _sample_program(customer_number: int) -> dict[str, Any]:
    return {
        "label": f"Maintenance {2025 + customer_number}",
        "start_date": "2026-01-01T00:00:00Z",
        "end_date": None,
        "allowed_statuses": [{"status": "Planned", "category": "PENDING"}],
    }


def _merge_methods(routes: list[Route]) -> list[Route]:
    """One Route per path with all its methods, so a wrong method gets 405 and an `Allow` listing all of them."""
    merged: dict[str, dict[str, Callable[[Request], Any]]] = {}
    for route in routes:
        for method in route.methods or ():
            if method != "HEAD":
                merged.setdefault(route.path, {})[method] = route.endpoint
    return [Route(path, _dispatcher(handlers), methods=list(handlers)) for path, handlers in merged.items()]


def _dispatcher(handlers: dict[str, Callable[[Request], Any]]) -> Callable[[Request], Any]:
    async def dispatch(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        response: Response = await handlers[method](request)
        return response

    return dispatch


def _int_between(raw: str, low: int, high: int) -> bool:
    return re.fullmatch(r"[0-9]{1,6}", raw) is not None and low <= int(raw) <= high


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _generic_problem(status: int) -> dict[str, Any]:
    from http import HTTPStatus

    phrase = HTTPStatus(status).phrase
    return {"type": "about:blank", "title": phrase, "status": status, "detail": phrase}


if __name__ == "__main__":
    from tests.contract_tests.apps.serve import main

    main()
