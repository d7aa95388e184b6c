"""Input the spec forbids is answered with the 400 problem, one rule at a time."""

from __future__ import annotations

from typing import Any

from contract_tests.client import Exchange
from contract_tests.scenarios._support import ScenarioContext, customer_body

OPERATIONS = ("createCustomer", "updateCustomer", "attachCustomerContact", "fetchAllCustomers")
# Never issued by any server: the suite makes it up, so a server may reject it (400) or ignore it (200).
FOREIGN_CURSOR = "not-a-cursor-this-server-issued~"


def invalid_input_rejected(ctx: ScenarioContext) -> None:
    _query_cases(ctx)
    if ctx.settings.read_only:
        return
    valid = customer_body(ctx.settings, "invalid input")
    status = valid["allowed_statuses"][0]
    bodies: dict[str, Any] = {
        "missing required label": {key: value for key, value in valid.items() if key != "label"},
        "enum violation (category)": {**valid, "allowed_statuses": [{**status, "category": "NOT_A_CATEGORY"}]},
        "pattern violation (status)": {**valid, "allowed_statuses": [{**status, "status": "9 starts with a digit"}]},
        "uniqueItems violation": {**valid, "allowed_statuses": [status, dict(status)]},
        "additionalProperties violation": {**valid, "allowed_statuses": [{**status, "unexpected": 1}]},
        "wrong type (label)": {**valid, "label": 12345},
    }
    create_path = ctx.path("createCustomer")
    for rule, body in bodies.items():
        exchange = ctx.call("POST", create_path, json_body=body)
        ctx.record_created(exchange)
        ctx.expect_problem(f"create with {rule}", exchange, 400)
    malformed = ctx.call("POST", create_path, raw_body=b'{"label": "unterminated')
    ctx.record_created(malformed)
    ctx.expect_problem("create with malformed JSON", malformed, 400)

    customer_id, _ = ctx.create_customer("invalid input target")
    update = ctx.call(
        "PUT", ctx.path("updateCustomer", customer_id=customer_id), json_body=bodies["missing required label"]
    )
    ctx.expect_problem("update with missing required label", update, 400)
    contact = {"label": ctx.settings.label_prefix + "contact", "name": "No Email"}
    attach = ctx.call("POST", ctx.path("attachCustomerContact", customer_id=customer_id), json_body=contact)
    ctx.expect_problem("attach contact with missing required email", attach, 400)


def _query_cases(ctx: ScenarioContext) -> None:
    listing = ctx.operation("fetchAllCustomers")
    path = ctx.path("fetchAllCustomers")
    if listing.limit is not None:
        bounds = listing.limit
        for value in (bounds.minimum - 1, bounds.maximum + 1, "ten"):
            exchange = ctx.call("GET", path, params={bounds.name: value})
            ctx.expect_problem(f"list with {bounds.name}={value}", exchange, 400)
    if listing.cursor_parameter:
        exchange = ctx.call("GET", path, params={listing.cursor_parameter: FOREIGN_CURSOR})
        _expect_rejected_or_page(ctx, f"list with a {listing.cursor_parameter} the server never issued", exchange)


def _expect_rejected_or_page(ctx: ScenarioContext, step: str, exchange: Exchange) -> None:
    if exchange.status == 400:
        ctx.expect_problem_body(step, exchange)
    else:
        ctx.expect(exchange.status == 200, f"{step}: got {exchange.status}; expected 400 (rejected) or 200", exchange)
