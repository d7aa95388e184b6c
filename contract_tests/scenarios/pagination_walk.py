"""Walk a collection the suite filled itself, with several page sizes: every item exactly once, pages that
respect their limit, no empty page in the middle, no `next` on the last page, and a walk that ends."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlsplit

from contract_tests.checks._http import origin
from contract_tests.client import Exchange
from contract_tests.scenarios._support import ScenarioAborted, ScenarioContext

OPERATIONS = ("createCustomer", "attachCustomerContact", "fetchAllCustomerContacts")


def pagination_walk(ctx: ScenarioContext) -> None:
    count = ctx.settings.profile.walk_items
    customer_id, _ = ctx.create_customer("pagination walk")
    contacts_path = ctx.path("attachCustomerContact", customer_id=customer_id)
    created: list[str] = []
    for index in range(count):
        body = {
            "label": f"{ctx.settings.label_prefix}walk {index}",
            "name": f"Walker {index}",
            "email": f"walker{index}@example.com",
        }
        exchange = ctx.call("POST", contacts_path, json_body=body)
        contact = exchange.json()
        if exchange.status != 200 or not isinstance(contact, dict) or "contact_id" not in contact:
            ctx.fail(
                f"attach contact {index + 1}/{count}: got {exchange.status}; expected 200 with a contact_id", exchange
            )
            raise ScenarioAborted
        created.append(str(contact["contact_id"]))
    items_key = ctx.operation("fetchAllCustomerContacts").page_items_key or ""
    for limit in sorted({1, 2, max(1, count - 1), 100}):
        walk(ctx, ctx.path("fetchAllCustomerContacts", customer_id=customer_id), limit, created, items_key)


def walk(ctx: ScenarioContext, path: str, limit: int, expected: list[str], items_key: str) -> None:
    step = f"walk with limit={limit}"
    url: str | None = ctx.client.url(path) + f"?limit={limit}"
    seen: list[str] = []
    visited: set[str] = set()
    # A server may serve fewer items than the limit, but every page before the last holds at least one new
    # item; one more page lets the walk show a `next` that leads to an empty page.
    max_pages = len(expected) + 1
    empty_page_at: int | None = None
    first: Exchange | None = None
    previous: Exchange | None = None
    page_number = 0
    while url is not None:
        page_number += 1
        if url in visited or page_number > max_pages:
            why = "links back to an earlier page" if url in visited else f"exceeds {max_pages} pages"
            ctx.fail(f"{step}: page {page_number} ({url}) {why} for {len(expected)} items; expected the walk to end")
            break
        visited.add(url)
        exchange = ctx.call("GET", url)
        first = first or exchange
        body = exchange.json()
        if exchange.status != 200 or not isinstance(body, dict):
            ctx.fail(f"{step}: page {page_number} got {exchange.status}; expected 200 with a page", exchange)
            return
        items = _items(body, items_key)
        if empty_page_at is not None:
            ctx.fail(f"{step}: page {empty_page_at} is empty but not the last; expected no empty page mid-walk")
        if len(items) > limit:
            _report_oversized_page(ctx, step, page_number, len(items), limit, url, (previous, exchange))
        if not items:
            empty_page_at = page_number
        seen += [str(item.get("contact_id")) for item in items if isinstance(item, dict)]
        url = _next_href(ctx, step, page_number, body, exchange)
        if url is None and not items and page_number > 1 and empty_page_at == page_number:
            shown = page_number - 1
            ctx.fail(f"{step}: page {shown} links next to an empty page; expected no next on the last page", previous)
        previous = exchange
    _compare(ctx, step, seen, expected, first)


def _report_oversized_page(
    ctx: ScenarioContext,
    step: str,
    page_number: int,
    size: int,
    limit: int,
    url: str,
    pages: tuple[Exchange | None, Exchange],
) -> None:
    """A next link that dropped the limit is the cause; the oversized page is only its symptom."""
    linking_page, page = pages
    if linking_page is not None and str(limit) not in parse_qs(urlsplit(url).query).get("limit", []):
        ctx.fail(
            f"{step}: page {page_number - 1}'s next link {url} has no limit={limit}; expected it to keep the "
            f"requested limit (page {page_number} has {size} items)",
            linking_page,
        )
        return
    ctx.fail(f"{step}: page {page_number} has {size} items; expected at most {limit}", page)


def _items(body: dict[str, Any], items_key: str) -> list[Any]:
    items = (body.get("_embedded") or {}).get(items_key) if isinstance(body.get("_embedded"), dict) else None
    return items if isinstance(items, list) else []


def _next_href(ctx: ScenarioContext, step: str, page_number: int, body: dict[str, Any], exchange: Any) -> str | None:
    link = (body.get("_links") or {}).get("next") if isinstance(body.get("_links"), dict) else None
    href = link.get("href") if isinstance(link, dict) else None
    if link is not None and not isinstance(href, str):
        ctx.fail(f"{step}: page {page_number} has _links.next without an href; expected {{href}}", exchange)
        return None
    if href is None:
        return None
    if not urlsplit(href).scheme or origin(href) != origin(ctx.client.base_url):
        # Never follow (and send credentials) off the API's origin; page_conforms names the defect.
        ctx.fail(f"{step}: page {page_number} next is '{href}'; expected an absolute URL on the API's origin", exchange)
        return None
    return href


def _compare(ctx: ScenarioContext, step: str, seen: list[str], expected: list[str], first: Exchange | None) -> None:
    """Set-level faults; the reproduction is the walk's first page, from which a client follows `next`."""
    duplicates = sorted(item for item, times in Counter(seen).items() if times > 1)
    missing = sorted(set(expected) - set(seen))
    extra = sorted(set(seen) - set(expected))
    shown = ", ".join(duplicates[:5])
    ctx.expect(not duplicates, f"{step}: items seen more than once: {shown}; expected each once", first)
    ctx.expect(not missing, f"{step}: {len(missing)} of {len(expected)} items never listed; expected every item", first)
    ctx.expect(not extra, f"{step}: listed items the customer never had: {', '.join(extra[:5])}", first)
