"""Input the fuzzer rarely makes: very long, non-ASCII, empty and blank strings. Never a 5xx, and whatever is
accepted reads back exactly as sent."""

from __future__ import annotations

from contract_tests.client import Exchange
from contract_tests.scenarios._support import ScenarioContext, customer_body

OPERATIONS = ("createCustomer", "fetchCustomerById", "attachCustomerContact")

LABELS = {
    "a 5000-character label": "L" * 5000,
    "a non-ASCII label with emoji": "Zoë Ångström — 顧客 🚀👩🏽‍💻",
    "an empty label": "",
    "a whitespace-only label": "   \t ",
}
# Empty and blank labels cannot carry the run prefix; they are deleted by id (the sweep cannot see them).
UNPREFIXED = {"an empty label", "a whitespace-only label"}


def boundary_input(ctx: ScenarioContext) -> None:
    create_path = ctx.path("createCustomer")
    owner: str | None = None
    for description, label in LABELS.items():
        body = customer_body(ctx.settings, label, prefixed=description not in UNPREFIXED)
        exchange = ctx.call("POST", create_path, json_body=body)
        customer_id = ctx.record_created(exchange)
        if not _acceptable(ctx, f"create with {description}", exchange, "createCustomer"):
            continue
        if customer_id is None:
            continue
        owner = owner or customer_id
        read = ctx.call("GET", ctx.path("fetchCustomerById", customer_id=customer_id))
        received = read.json().get("label") if isinstance(read.json(), dict) else None
        ctx.expect(
            read.status == 200 and received == body["label"],
            f"read back {description}: got {read.status} with label of {len(received or '')} chars; "
            f"expected 200 and the {len(body['label'])} chars sent",
            read,
        )
    if owner is not None:
        _contact_round_trip(ctx, owner)


def _contact_round_trip(ctx: ScenarioContext, customer_id: str) -> None:
    contact = {
        "label": ctx.settings.label_prefix + "🚀 contact",
        "name": "Ñandú 山田 " + "n" * 3000,
        "email": "yamada@example.com",
    }
    exchange = ctx.call("POST", ctx.path("attachCustomerContact", customer_id=customer_id), json_body=contact)
    if not _acceptable(ctx, "attach a long non-ASCII contact", exchange, "attachCustomerContact"):
        return
    body = exchange.json()
    if exchange.status == 200 and isinstance(body, dict):
        ctx.expect(
            body.get("name") == contact["name"] and body.get("label") == contact["label"],
            "attach a long non-ASCII contact: name or label changed; expected them exactly as sent",
            exchange,
        )


def _acceptable(ctx: ScenarioContext, step: str, exchange: Exchange, operation_id: str) -> bool:
    """True when the answer was a success worth reading back; a documented refusal is fine but ends the step."""
    if exchange.status >= 500:
        ctx.fail(f"{step}: got {exchange.status}; expected no server error", exchange)
        return False
    documented = ctx.operation(operation_id).statuses
    if exchange.status not in documented:
        ctx.fail(f"{step}: got {exchange.status}; expected one of {sorted(documented)}", exchange)
        return False
    if exchange.status >= 400:
        ctx.expect_problem_body(step, exchange)
        return False
    return True
