"""Pages: a list answer holds no more items than asked for and links onward in a way a client can follow."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import schemathesis

from contract_tests.checks._http import expectations_of, json_body, origin
from contract_tests.expectations import Operation

if TYPE_CHECKING:
    from schemathesis import Case, CheckContext, Response


@schemathesis.check
def page_conforms(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    operation = expectations_of(case).operation_at(case.operation.method, case.operation.path)
    body = json_body(response)
    if operation is None or not operation.paginates or response.status_code != 200 or not isinstance(body, Mapping):
        return True
    requested = requested_limit(operation, str(response.request.url))
    check_page(operation, body, requested, request_url=str(response.request.url))
    return None


def requested_limit(operation: Operation, url: str) -> int | None:
    """The limit the request carried, when it is one the spec allows (otherwise the server chose the size)."""
    if operation.limit is None:
        return None
    values = parse_qs(urlsplit(url).query, keep_blank_values=True).get(operation.limit.name) or []
    if len(values) != 1 or not values[0].strip().isdigit():
        return None
    value = int(values[0])
    return value if operation.limit.minimum <= value <= operation.limit.maximum else None


def check_page(operation: Operation, body: Mapping[str, Any], requested: int | None, *, request_url: str) -> None:
    items = page_items(operation, body)
    if requested is not None and len(items) > requested:
        raise AssertionError(f"page has {len(items)} items; expected at most {requested} (the requested limit)")
    if operation.page_max_items is not None and len(items) > operation.page_max_items:
        raise AssertionError(f"page has {len(items)} items; expected at most {operation.page_max_items} (spec maximum)")
    links = body.get("_links")
    if not isinstance(links, Mapping) or not isinstance(links.get("self"), Mapping):
        raise AssertionError("page has no _links.self; expected a link to the page itself")
    next_link = links.get("next")
    if next_link is None:
        return
    href = next_link.get("href") if isinstance(next_link, Mapping) else None
    if not isinstance(href, str):
        raise AssertionError("page has _links.next without a string href; expected a link object {href}")
    check_next_href(operation, href, requested, request_url=request_url)


def page_items(operation: Operation, body: Mapping[str, Any]) -> list[Any]:
    embedded = body.get("_embedded")
    items = embedded.get(operation.page_items_key) if isinstance(embedded, Mapping) else None
    return items if isinstance(items, list) else []


def check_next_href(operation: Operation, href: str, requested: int | None, *, request_url: str) -> None:
    parts = urlsplit(href)
    if not parts.scheme or not parts.netloc:
        raise AssertionError(f"_links.next '{href}' is not an absolute URL; expected scheme://host/…")
    if origin(href) != origin(request_url):
        raise AssertionError(f"_links.next '{href}' leaves the origin; expected {origin(request_url)}")
    if requested is None or operation.limit is None:
        return
    kept = parse_qs(parts.query, keep_blank_values=True).get(operation.limit.name)
    if kept != [str(requested)]:
        shown = f"{operation.limit.name}={','.join(kept)}" if kept else f"no {operation.limit.name}"
        raise AssertionError(f"_links.next '{href}' has {shown}; expected {operation.limit.name}={requested}")
