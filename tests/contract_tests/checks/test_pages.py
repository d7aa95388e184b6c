from __future__ import annotations

from typing import Any

import pytest

from contract_tests.checks import page_conforms
from tests.contract_tests.factories import BASE_URL, case, customer, response

LIST = f"{BASE_URL}/customers"


def page(count: int, *, next_href: str | None = None, self_link: bool = True) -> dict[str, Any]:
    links: dict[str, Any] = {"self": {"href": LIST}} if self_link else {}
    if next_href is not None:
        links["next"] = {"href": next_href}
    return {"_embedded": {"nter:customers": [customer(f"c{i}") for i in range(count)]}, "_links": links}


def check(body: Any, url: str = f"{LIST}?limit=2", status: int = 200) -> object:
    return page_conforms(None, response(status, body, url=url), case("GET", "/customers"))


def test_full_page_with_next_keeping_limit_passes() -> None:
    assert check(page(2, next_href=f"{LIST}?offset=opaque&limit=2")) is None


def test_default_page_size_and_cursor_format_are_left_open() -> None:
    # No limit requested: any size up to the spec maximum, any next link on the same origin.
    assert check(page(37, next_href=f"{LIST}?cursor-is-ours=xyz"), url=LIST) is None


def test_last_page_without_next_passes() -> None:
    assert check(page(1)) is None


def test_non_list_operations_and_errors_are_not_judged() -> None:
    assert page_conforms(None, response(200, customer()), case("GET", "/customers/{customer_id}")) is True
    assert check({"title": "Bad Request"}, status=400) is True


@pytest.mark.parametrize(
    ("body", "url", "message"),
    [
        pytest.param(
            page(3), f"{LIST}?limit=2", "page has 3 items; expected at most 2 (the requested limit)", id="limit"
        ),
        pytest.param(page(101), LIST, "page has 101 items; expected at most 100 (spec maximum)", id="maximum"),
        pytest.param(
            page(1, self_link=False), LIST, "page has no _links.self; expected a link to the page itself", id="self"
        ),
        pytest.param(
            page(2, next_href="/customers?offset=x&limit=2"),
            f"{LIST}?limit=2",
            "_links.next '/customers?offset=x&limit=2' is not an absolute URL; expected scheme://host/…",
            id="relative",
        ),
        pytest.param(
            page(2, next_href="http://elsewhere.test/customers?limit=2"),
            f"{LIST}?limit=2",
            "_links.next 'http://elsewhere.test/customers?limit=2' leaves the origin; expected http://api.test",
            id="origin",
        ),
        pytest.param(
            page(2, next_href=f"{LIST}?offset=x"),
            f"{LIST}?limit=2",
            f"_links.next '{LIST}?offset=x' has no limit; expected limit=2",
            id="limit-dropped",
        ),
        pytest.param(
            page(2, next_href=f"{LIST}?offset=x&limit=10"),
            f"{LIST}?limit=2",
            f"_links.next '{LIST}?offset=x&limit=10' has limit=10; expected limit=2",
            id="limit-changed",
        ),
    ],
)
def test_broken_page_fails_with_one_line(body: Any, url: str, message: str) -> None:
    with pytest.raises(AssertionError) as failure:
        check(body, url)
    assert str(failure.value) == message
