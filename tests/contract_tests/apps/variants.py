"""Correct implementations that answer in unusual but conforming ways: the suite must pass every one.

Each sits at the edge of one of our checks (`guards`): a response that check must not flag.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, TypeVar
from urllib.parse import quote

from starlette.requests import Request

from tests.contract_tests.apps.operation_ids import ATTACH_CONTACT, CREATE, LIST_CONTACTS, LIST_CUSTOMERS, READ, UPDATE
from tests.contract_tests.apps.reference import CustomerRecord, Item, ReferenceApi, Sequenced


class Variant(ReferenceApi):
    guards: str = ""
    operations: tuple[str, ...] = ()


VARIANTS: dict[str, type[Variant]] = {}
VariantClass = TypeVar("VariantClass", bound=type[Variant])


def variant(name: str, *, guards: str, operations: tuple[str, ...]) -> Callable[[VariantClass], VariantClass]:
    def register(cls: VariantClass) -> VariantClass:
        cls.guards, cls.operations = guards, operations
        VARIANTS[name] = cls
        return cls

    return register


@variant("sibling_api_item_links", guards="hal_links_conform", operations=(CREATE, ATTACH_CONTACT, LIST_CONTACTS))
class SiblingApiItemLinks(Variant):
    """Contacts, parts and programs link `self` to the sibling APIs, as the spec's examples do."""

    def item_url(self, request: Request, customer: CustomerRecord, kind: str, item: Item) -> str:
        return f"https://api.nterprise.com/{kind}/{item.item_id}"


@variant("opaque_base64_cursor", guards="page_conforms", operations=(LIST_CUSTOMERS, CREATE))
class OpaqueBase64Cursor(Variant):
    """`next` puts `limit` first, adds a parameter of its own and carries a padded, percent-encoded cursor."""

    def next_href(self, request: Request, last_seq: int, limit: int) -> str:
        cursor = base64.urlsafe_b64encode(f"position:{last_seq}".encode()).decode()
        return f"{self.origin(request)}{request.url.path}?limit={limit}&offset={quote(cursor, safe='')}&v=2"

    def read_cursor(self, cursor: str) -> int | None:
        try:
            decoded = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
        except (ValueError, binascii.Error, UnicodeError):
            return None
        label, _, position = decoded.partition(":")
        return int(position) if label == "position" and position.isdigit() else None


@variant("problem_status_as_decimal", guards="problem_body_conforms", operations=(READ, UPDATE))
class ProblemStatusAsDecimal(Variant):
    """Problem `status` members are written as decimals (404.0) and carry an `instance` extension member."""

    def problem_body(self, status: int, violations: Any) -> dict[str, Any]:
        body = super().problem_body(status, violations)
        return {**body, "status": float(status), "instance": f"urn:problem-instance:{status}"}


@variant("short_pages", guards="pagination_walk", operations=(LIST_CUSTOMERS, CREATE))
class ShortPages(Variant):
    """Pages never hold more than 3 items, whatever the limit: fewer than asked is allowed, `next` gives the rest."""

    def page_slice(self, remaining: list[Sequenced], limit: int) -> list[Sequenced]:
        return remaining[: min(limit, 3)]


@variant("second_precision_timestamps", guards="crud_lifecycle", operations=(CREATE, READ, UPDATE))
class SecondPrecisionTimestamps(Variant):
    """Timestamps have whole seconds, so an update within the same second leaves `updated` equal, not later."""

    def now(self) -> datetime:
        self.last_moment = max(datetime.now(timezone.utc).replace(microsecond=0), self.last_moment)
        return self.last_moment

    def format_time(self, moment: datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


@variant("bare_bad_request_problems", guards="invalid_input_rejected", operations=(CREATE, LIST_CUSTOMERS))
class BareBadRequestProblems(Variant):
    """400 problems carry only the four required members, without the optional `violations`."""

    def problem_body(self, status: int, violations: Any) -> dict[str, Any]:
        return super().problem_body(status, ())
