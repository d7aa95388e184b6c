"""HAL links: every href is absolute, and an item's self link leads back to that same item."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import schemathesis

from contract_tests.checks._http import base_path, expectations_of, json_body, origin
from contract_tests.expectations import Expectations

if TYPE_CHECKING:
    from schemathesis import Case, CheckContext, Response


@schemathesis.check
def hal_links_conform(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    body = json_body(response)
    expectations = expectations_of(case)
    operation = expectations.operation_at(case.operation.method, case.operation.path)
    # Only answers the spec documents as HAL resources (a 205 documents no body at all).
    documented = operation is not None and operation.is_hal and operation.body_status == response.status_code
    if not documented or not isinstance(body, Mapping):
        return True
    for pointer, href in iter_hrefs(body):
        check_absolute(pointer, href)
    items = list(iter_items(body)) if operation.paginates else [("", body)]
    for pointer, item in items:
        check_item_self(expectations, pointer, item, request_url=str(response.request.url), prefix=base_path(case))
    return None


def iter_hrefs(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every link object's href, found under any `_links`, at any depth (HAL nests them in `_embedded`)."""
    if isinstance(value, list):
        for index, element in enumerate(value):
            yield from iter_hrefs(element, f"{pointer}/{index}")
        return
    if not isinstance(value, Mapping):
        return
    for key, member in value.items():
        if key == "_links" and isinstance(member, Mapping):
            for relation, link in member.items():
                for index, target in enumerate(link if isinstance(link, list) else [link]):
                    where = f"{pointer}/_links/{relation}" + (f"/{index}" if isinstance(link, list) else "")
                    if isinstance(target, Mapping) and "href" in target:
                        yield f"{where}/href", target["href"]
        else:
            yield from iter_hrefs(member, f"{pointer}/{key}")


def iter_items(page: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    embedded = page.get("_embedded")
    if not isinstance(embedded, Mapping):
        return
    for relation, items in embedded.items():
        for index, item in enumerate(items if isinstance(items, list) else []):
            yield f"/_embedded/{relation}/{index}", item


def check_absolute(pointer: str, href: Any) -> None:
    if not isinstance(href, str):
        raise AssertionError(f"{pointer} is {type(href).__name__}; expected an absolute URI string")
    parts = urlsplit(href)
    if not parts.scheme or not parts.netloc:
        raise AssertionError(f"{pointer} is '{href}'; expected an absolute URI (scheme://host/…)")


def check_item_self(expectations: Expectations, pointer: str, item: Any, *, request_url: str, prefix: str) -> None:
    if not isinstance(item, Mapping):
        return
    links = item.get("_links")
    link = links.get("self") if isinstance(links, Mapping) else None
    if not isinstance(link, Mapping) or not isinstance(link.get("href"), str):
        where = pointer or "the resource"
        raise AssertionError(f"{where} has no _links.self href; expected a link to the item itself")
    href = link["href"]
    parts = urlsplit(href)
    # Links to other hosts or outside the API's base path (sibling APIs) are not ours to follow.
    if origin(href) != origin(request_url) or not parts.path.startswith(prefix):
        return
    target = expectations.item_operation_for(unquote(parts.path[len(prefix) :]))
    if target is None:
        return
    operation, params = target
    name = operation.id_property
    if name is None or name not in item or name not in params:
        return
    if str(item[name]) != params[name]:
        raise AssertionError(
            f"{pointer}/_links/self is '{href}', which names {name} '{params[name]}'; expected {name} '{item[name]}'"
        )
