"""The broken corpus: each entry is the reference implementation with exactly one deliberate defect.

Every defect names the check expected to catch it (`caught_by`, as the suite names it in its output). When
`exclusive` is set, no other check catches it: running the suite with `--exclude-check <caught_by>` passes.
`operations` narrows the run to the operations that reach the defect, to keep the whole corpus fast.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from tests.contract_tests.apps import spec_facts
from tests.contract_tests.apps.operation_ids import (
    ATTACH_CONTACT,
    CREATE,
    DELETE,
    LIST_CONTACTS,
    LIST_CUSTOMERS,
    LIST_PROGRAMS,
    READ,
    UPDATE,
)
from tests.contract_tests.apps.reference import (
    CURSOR,
    CustomerRecord,
    HalResponse,
    Problem,
    ReferenceApi,
    Sequenced,
)
from tests.contract_tests.apps.spec_facts import Violation


class Defect(ReferenceApi):
    caught_by: str = ""
    exclusive: bool = False
    operations: tuple[str, ...] = ()


DEFECTS: dict[str, type[Defect]] = {}
DefectClass = TypeVar("DefectClass", bound=type[Defect])


def defect(
    name: str, *, caught_by: str, operations: tuple[str, ...], exclusive: bool = False
) -> Callable[[DefectClass], DefectClass]:
    def register(cls: DefectClass) -> DefectClass:
        cls.caught_by, cls.exclusive, cls.operations = caught_by, exclusive, operations
        DEFECTS[name] = cls
        return cls

    return register


# -- statuses -------------------------------------------------------------------------------------------------


@defect("create_answers_201", caught_by="status_code_conformance", operations=(CREATE,))
class CreateAnswers201(Defect):
    """createCustomer answers 201 Created; the spec documents 200."""

    async def create_customer(self, request: Request) -> Response:
        response = await super().create_customer(request)
        response.status_code = 201
        return response


@defect("delete_answers_204", caught_by="status_code_conformance", operations=(CREATE, DELETE))
class DeleteAnswers204(Defect):
    """deleteCustomer answers 204 No Content; the spec documents 205."""

    def deleted_response(self) -> Response:
        return Response(status_code=204)


@defect("delete_205_with_body", caught_by="crud_lifecycle", operations=(CREATE, DELETE), exclusive=True)
class Delete205WithBody(Defect):
    """deleteCustomer answers 205 with the deleted customer as its body; 205 Reset Content must have none."""

    async def delete_customer(self, request: Request) -> Response:
        gone = self.render_customer(request, self.find_customer(request))
        await super().delete_customer(request)
        return HalResponse(gone, status_code=205)


@defect("unknown_id_crashes", caught_by="not_a_server_error", operations=(READ,))
class UnknownIdCrashes(Defect):
    """Reading an unknown customer id answers 500 instead of 404."""

    async def fetch_customer_by_id(self, request: Request) -> Response:
        if request.path_params["customer_id"] not in self.customers:
            raise Problem(500)
        return await super().fetch_customer_by_id(request)


# -- response schemas -----------------------------------------------------------------------------------------


@defect("customer_without_id", caught_by="response_schema_conformance", operations=(CREATE, READ))
class CustomerWithoutId(Defect):
    """Customer representations lack the required `customer_id`."""

    def render_customer(self, request: Request, customer: CustomerRecord) -> dict[str, Any]:
        body = super().render_customer(request, customer)
        del body["customer_id"]
        return body


@defect("created_as_epoch_seconds", caught_by="response_schema_conformance", operations=(CREATE, READ))
class CreatedAsEpochSeconds(Defect):
    """`created` is a number of seconds since the epoch, not a date-time string."""

    def customer_fields(self, customer: CustomerRecord) -> dict[str, Any]:
        return {**super().customer_fields(customer), "created": int(customer.created.timestamp())}


@defect("embedded_customer_has_links", caught_by="response_schema_conformance", operations=(CREATE, LIST_PROGRAMS))
class EmbeddedCustomerHasLinks(Defect):
    """The customer embedded in programs and parts carries `_links`; its schema is closed."""

    def embedded_customer(self, customer: CustomerRecord) -> dict[str, Any]:
        return {**super().embedded_customer(customer), "_links": {"self": {"href": "https://example.com/"}}}


# -- content types --------------------------------------------------------------------------------------------


@defect("success_as_hal_json", caught_by="content_type_conformance", operations=(READ, CREATE))
class SuccessAsHalJson(Defect):
    """Successful answers are `application/hal+json`, a media type the spec does not document."""

    def ok(self, body: dict[str, Any]) -> Response:
        response = super().ok(body)
        response.headers["content-type"] = "application/hal+json"
        return response


@defect("problem_as_plain_json", caught_by="problem_body_conforms", operations=(READ, CREATE))
class ProblemAsPlainJson(Defect):
    """Problems are served as `application/json` instead of `application/problem+json`."""

    def problem_response(self, status: int, violations: Any = (), headers: Any = None) -> Response:
        return HalResponse(self.problem_body(status, violations), status_code=status, headers=headers)


# -- problem bodies -------------------------------------------------------------------------------------------


@defect("wrong_problem_title", caught_by="problem_body_conforms", operations=(READ,))
class WrongProblemTitle(Defect):
    """The 404 problem is titled 'Not found'; the spec says 'Not Found'."""

    def problem_body(self, status: int, violations: Any) -> dict[str, Any]:
        body = super().problem_body(status, violations)
        return {**body, "title": "Not found"} if status == 404 else body


@defect("problem_status_mismatch", caught_by="problem_body_conforms", operations=(READ, CREATE))
class ProblemStatusMismatch(Defect):
    """Every problem body says `status: 400`, whatever the HTTP status."""

    def problem_body(self, status: int, violations: Any) -> dict[str, Any]:
        return {**super().problem_body(status, violations), "status": 400}


@defect("method_not_allowed_as_text", caught_by="problem_body_conforms", operations=(READ,), exclusive=True)
class MethodNotAllowedAsText(Defect):
    """405 is the framework's plain-text answer, not a problem body (the spec documents no 405 of its own)."""

    async def http_exception_handler(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 405:
            return PlainTextResponse("Method Not Allowed", status_code=405, headers=exc.headers)
        return await super().http_exception_handler(request, exc)


# -- pagination -----------------------------------------------------------------------------------------------


@defect("page_bigger_than_limit", caught_by="page_conforms", operations=(LIST_CUSTOMERS, CREATE))
class PageBiggerThanLimit(Defect):
    """A page holds one item more than the requested limit."""

    def page_slice(self, remaining: list[Sequenced], limit: int) -> list[Sequenced]:
        return remaining[: limit + 1]


@defect("next_drops_limit", caught_by="page_conforms", operations=(LIST_CUSTOMERS, CREATE), exclusive=True)
class NextDropsLimit(Defect):
    """`next` carries no `limit`; the page size hides in the cursor, so only a client that keeps it works."""

    def next_href(self, request: Request, last_seq: int, limit: int) -> str:
        return f"{self.origin(request)}{request.url.path}?offset=before-{last_seq}-{limit}"

    def page_request(self, request: Request) -> tuple[int, int | None]:
        limit, before = super().page_request(request)
        carried = request.query_params.get("offset", "").rpartition("-")[2]
        return (int(carried) if "limit" not in request.query_params and carried.isdigit() else limit), before

    def read_cursor(self, cursor: str) -> int | None:
        head, _, carried = cursor.rpartition("-")
        return super().read_cursor(head) if carried.isdigit() and CURSOR.fullmatch(head) else None


@defect("relative_next", caught_by="page_conforms", operations=(LIST_CUSTOMERS, CREATE))
class RelativeNext(Defect):
    """`next` is a relative reference (`/customers?…`), not an absolute URL."""

    def next_href(self, request: Request, last_seq: int, limit: int) -> str:
        return super().next_href(request, last_seq, limit).removeprefix(self.origin(request))


@defect("foreign_origin_next", caught_by="page_conforms", operations=(LIST_CUSTOMERS, CREATE))
class ForeignOriginNext(Defect):
    """`next` names the host `localhost` although the client called `127.0.0.1`: another origin."""

    def next_href(self, request: Request, last_seq: int, limit: int) -> str:
        href = super().next_href(request, last_seq, limit)
        return href.replace("://127.0.0.1:", "://localhost:", 1)


@defect("item_repeated_across_pages", caught_by="pagination_walk", operations=(CREATE, ATTACH_CONTACT, LIST_CONTACTS))
class ItemRepeatedAcrossPages(Defect):
    """Each page starts with the last item of the page before (an off-by-one cursor)."""

    def next_href(self, request: Request, last_seq: int, limit: int) -> str:
        return super().next_href(request, last_seq + 1, limit)


@defect(
    "next_on_last_page",
    caught_by="pagination_walk",
    operations=(CREATE, ATTACH_CONTACT, LIST_CONTACTS),
    exclusive=True,
)
class NextOnLastPage(Defect):
    """The last page still links `next`, to an empty page."""

    def page_body(self, request: Request, relation: str, rendered: Any, page: Any, limit: int, more: bool) -> Any:
        return super().page_body(request, relation, rendered, page, limit, more or bool(page))


# -- state ----------------------------------------------------------------------------------------------------


@defect("deleted_customer_still_readable", caught_by="crud_lifecycle", operations=(CREATE, READ, DELETE))
class DeletedCustomerStillReadable(Defect):
    """A deleted customer disappears from the list but can still be read by id."""

    def __init__(self) -> None:
        super().__init__()
        self.deleted: dict[str, CustomerRecord] = {}

    def remove_customer(self, customer: CustomerRecord) -> None:
        super().remove_customer(customer)
        self.deleted[customer.customer_id] = customer

    async def fetch_customer_by_id(self, request: Request) -> Response:
        gone = self.deleted.get(request.path_params["customer_id"])
        return self.ok(self.render_customer(request, gone)) if gone else await super().fetch_customer_by_id(request)


@defect("contacts_outlive_customer", caught_by="crud_lifecycle", operations=(CREATE, DELETE, LIST_CONTACTS))
class ContactsOutliveCustomer(Defect):
    """After a customer is deleted its contacts are still listed (an empty 200 page instead of 404)."""

    def __init__(self) -> None:
        super().__init__()
        self.deleted: set[str] = set()

    def remove_customer(self, customer: CustomerRecord) -> None:
        super().remove_customer(customer)
        self.deleted.add(customer.customer_id)

    async def fetch_all_customer_contacts(self, request: Request) -> Response:
        if request.path_params["customer_id"] in self.deleted:
            return self.ok({"_links": {"self": {"href": str(request.url)}}, "_embedded": {"nter:contacts": []}})
        return await super().fetch_all_customer_contacts(request)


@defect("update_not_persisted", caught_by="crud_lifecycle", operations=(CREATE, READ, UPDATE), exclusive=True)
class UpdateNotPersisted(Defect):
    """PUT answers with the updated customer but stores nothing: a read returns the old one."""

    async def update_customer(self, request: Request) -> Response:
        customer = self.find_customer(request)
        body = await self.valid_body(request, "CustomerInput")
        answered = dataclasses.replace(customer)
        self.apply_update(answered, body)
        return self.ok(self.render_customer(request, answered))


@defect("updated_goes_backwards", caught_by="crud_lifecycle", operations=(CREATE, READ, UPDATE))
class UpdatedGoesBackwards(Defect):
    """An update sets `updated` an hour into the past (a local-time bug)."""

    def apply_update(self, customer: CustomerRecord, body: dict[str, Any]) -> None:
        super().apply_update(customer, body)
        customer.updated -= timedelta(hours=1)


@defect("created_changes_on_update", caught_by="crud_lifecycle", operations=(CREATE, READ, UPDATE))
class CreatedChangesOnUpdate(Defect):
    """An update rewrites `created` as well as `updated`."""

    def apply_update(self, customer: CustomerRecord, body: dict[str, Any]) -> None:
        super().apply_update(customer, body)
        customer.created = customer.updated


# -- validation -----------------------------------------------------------------------------------------------


@defect("missing_label_accepted", caught_by="invalid_input_rejected", operations=(CREATE,))
class MissingLabelAccepted(Defect):
    """A customer without the required `label` is created (with an empty one)."""

    def request_schema(self, name: str) -> dict[str, Any]:
        schema = super().request_schema(name)
        return {**schema, "required": [field for field in schema["required"] if field != "label"]}

    async def valid_body(self, request: Request, schema_name: str) -> dict[str, Any]:
        return {"label": "", **await super().valid_body(request, schema_name)}


@defect("unknown_category_accepted", caught_by="invalid_input_rejected", operations=(CREATE,))
class UnknownCategoryAccepted(Defect):
    """An allowed status with a `category` outside the enum is accepted."""

    def request_schema(self, name: str) -> dict[str, Any]:
        schema = json.loads(json.dumps(super().request_schema(name)))
        if name == "CustomerInput":
            del schema["properties"]["allowed_statuses"]["items"]["properties"]["category"]["enum"]
        return schema


@defect("malformed_json_accepted", caught_by="invalid_input_rejected", operations=(CREATE,))
class MalformedJsonAccepted(Defect):
    """A body that is not JSON creates an empty customer instead of a 400 (a missing body is still refused)."""

    def parse_json(self, raw: bytes) -> Any:
        try:
            return super().parse_json(raw)
        except Problem:
            if not raw.strip():
                raise
            return {"label": "", "allowed_statuses": []}


@defect("pattern_allows_trailing_newline", caught_by="invalid_input_rejected", operations=(CREATE,), exclusive=True)
class PatternAllowsTrailingNewline(Defect):
    """Patterns are checked with Python's `$`, so a status label 'Open\\n' passes `^[A-Za-z][0-9a-zA-Z-_ ]+$`.

    The spec's patterns have ECMA-262 semantics, where `$` is the end of the string (spec/README.md).
    """

    def body_violations(self, schema_name: str, body: Any) -> list[Violation]:
        return spec_facts.violations(self.request_schema(schema_name), body, ecma_patterns=False)


@defect("out_of_range_limit_clamped", caught_by="invalid_input_rejected", operations=(LIST_CUSTOMERS,))
class OutOfRangeLimitClamped(Defect):
    """`limit=0` or `limit=500` is quietly clamped into 1..100 instead of rejected."""

    def page_request(self, request: Request) -> tuple[int, int | None]:
        raw = request.query_params.get("limit", "")
        if raw.isdigit() and not 1 <= int(raw) <= 100:
            return min(max(int(raw), 1), 100), None
        return super().page_request(request)


# -- boundary input -------------------------------------------------------------------------------------------


@defect("long_label_crashes", caught_by="boundary_input", operations=(CREATE, UPDATE), exclusive=True)
class LongLabelCrashes(Defect):
    """A label longer than 1000 characters crashes the server (500)."""

    def stored_label(self, label: str) -> str:
        if len(label) > 1000:
            raise Problem(500)
        return label


@defect("long_label_truncated", caught_by="boundary_input", operations=(CREATE, READ, UPDATE), exclusive=True)
class LongLabelTruncated(Defect):
    """Labels are silently cut to 255 characters."""

    def stored_label(self, label: str) -> str:
        return label[:255]


@defect("non_ascii_label_mangled", caught_by="boundary_input", operations=(CREATE, READ, UPDATE))
class NonAsciiLabelMangled(Defect):
    """Labels are stored in ASCII: every other character becomes '?'."""

    def stored_label(self, label: str) -> str:
        return label.encode("ascii", "replace").decode("ascii")


# -- HAL links ------------------------------------------------------------------------------------------------


@defect("self_link_names_another_customer", caught_by="hal_links_conform", operations=(CREATE, READ), exclusive=True)
class SelfLinkNamesAnotherCustomer(Defect):
    """A customer's `_links.self` points at the oldest customer instead of itself."""

    def customer_url(self, request: Request, customer: CustomerRecord) -> str:
        oldest = min(self.customers.values(), key=lambda record: record.seq, default=customer)
        return super().customer_url(request, oldest)


@defect("relative_item_links", caught_by="hal_links_conform", operations=(CREATE, READ))
class RelativeItemLinks(Defect):
    """Customer links are relative references (`/customers/…`), not absolute URIs."""

    def customer_url(self, request: Request, customer: CustomerRecord) -> str:
        return super().customer_url(request, customer).removeprefix(self.origin(request))
