from __future__ import annotations

from typing import Any

import pytest

from contract_tests.checks import hal_links_conform
from tests.contract_tests.factories import BASE_URL, case, customer, response


def check_page(items: list[Any], **extra: Any) -> object:
    body = {"_embedded": {"nter:customers": items}, "_links": {"self": {"href": f"{BASE_URL}/customers"}}, **extra}
    return hal_links_conform(None, response(200, body), case("GET", "/customers"))


def check_item(body: Any, status: int = 200) -> object:
    url = f"{BASE_URL}/customers/c1"
    return hal_links_conform(None, response(status, body, url=url), case("GET", "/customers/{customer_id}"))


def test_absolute_links_with_matching_self_pass() -> None:
    assert check_page([customer("c1"), customer("c2")]) is None
    assert check_item(customer("c1")) is None


def test_links_to_sibling_apis_and_extra_relations_are_left_open() -> None:
    contact = {"contact_id": "k1", "_links": {"self": {"href": "https://api.nterprise.com/contacts/k1"}}}
    body = {**customer("c1"), "_links": {**customer("c1")["_links"], "nter:extra": {"href": "https://x.test/a"}}}
    assert check_item(body) is None
    assert hal_links_conform(None, response(200, contact), case("POST", "/customers/{customer_id}/contacts")) is None


def test_error_answers_are_not_judged() -> None:
    assert check_item({"title": "Not Found"}, status=404) is True


@pytest.mark.parametrize(
    ("items", "message"),
    [
        pytest.param(
            [customer("c1", href="/customers/c1")],
            "/_embedded/nter:customers/0/_links/self/href is '/customers/c1'; expected an absolute URI (scheme://host/…)",
            id="relative-item-self",
        ),
        pytest.param(
            [customer("c1"), {"customer_id": "c2", "label": "no links"}],
            "/_embedded/nter:customers/1 has no _links.self href; expected a link to the item itself",
            id="missing-self",
        ),
        pytest.param(
            [customer("c1", href=f"{BASE_URL}/customers/c9")],
            f"/_embedded/nter:customers/0/_links/self is '{BASE_URL}/customers/c9', which names customer_id 'c9'; "
            "expected customer_id 'c1'",
            id="self-names-another-item",
        ),
    ],
)
def test_broken_links_in_a_page_fail_with_one_line(items: list[Any], message: str) -> None:
    with pytest.raises(AssertionError) as failure:
        check_page(items)
    assert str(failure.value) == message


def test_relative_page_link_fails() -> None:
    with pytest.raises(AssertionError) as failure:
        check_page([customer("c1")], _links={"self": {"href": "customers?limit=2"}})
    assert str(failure.value) == "/_links/self/href is 'customers?limit=2'; expected an absolute URI (scheme://host/…)"


def test_single_item_whose_self_names_another_fails() -> None:
    with pytest.raises(AssertionError) as failure:
        check_item(customer("c1", href=f"{BASE_URL}/customers/c2"))
    assert str(failure.value) == (
        f"/_links/self is '{BASE_URL}/customers/c2', which names customer_id 'c2'; expected customer_id 'c1'"
    )


def test_bodies_the_spec_does_not_document_as_hal_are_not_judged() -> None:
    deleted = response(205, {"deleted": True}, url=f"{BASE_URL}/customers/c1", method="DELETE")
    assert hal_links_conform(None, deleted, case("DELETE", "/customers/{customer_id}")) is True
