"""Create, read back, update, read back, delete, and confirm it is gone everywhere the spec can reach it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from contract_tests.client import Exchange
from contract_tests.scenarios._support import ScenarioAborted, ScenarioContext, customer_body

OPERATIONS = ("createCustomer", "fetchCustomerById", "updateCustomer", "deleteCustomer")
SUB_COLLECTIONS = ("fetchAllCustomerContacts", "fetchAllCustomerParts", "fetchAllCustomerPrograms")


def crud_lifecycle(ctx: ScenarioContext) -> None:
    sent = customer_body(ctx.settings, "lifecycle")
    customer_id, created = ctx.create_customer("lifecycle")
    item = ctx.path("fetchCustomerById", customer_id=customer_id)
    first = _read(ctx, "read after create", item)
    _expect_written(ctx, "read after create", first, sent, customer_id)
    _expect_same(ctx, "read after create", "created", _json(created), first.json())

    update = {
        **sent,
        "label": sent["label"] + " renamed",
        "allowed_statuses": [{"status": "Held", "category": "BLOCKED"}],
    }
    updated = ctx.call("PUT", ctx.path("updateCustomer", customer_id=customer_id), json_body=update)
    if not ctx.expect(updated.status == 200, f"update: got {updated.status}; expected 200", updated):
        raise ScenarioAborted
    _expect_written(ctx, "update answer", updated, update, customer_id)
    second = _read(ctx, "read after update", item)
    _expect_written(ctx, "read after update", second, update, customer_id)
    _expect_same(ctx, "read after update", "created", first.json(), second.json())
    _expect_not_earlier(ctx, "read after update", first.json(), second)

    deleted = ctx.call("DELETE", ctx.path("deleteCustomer", customer_id=customer_id))
    ctx.expect(deleted.status == 205, f"delete: got {deleted.status}; expected 205", deleted)
    if deleted.status == 205:
        ctx.created.deleted("customer_id", customer_id)
        ctx.expect(
            not deleted.content, f"delete: 205 carries {len(deleted.content)} body bytes; expected none", deleted
        )
    ctx.expect_problem("read after delete", ctx.call("GET", item), 404)
    ctx.expect_problem("delete again", ctx.call("DELETE", ctx.path("deleteCustomer", customer_id=customer_id)), 404)
    ctx.expect_problem(
        "update after delete",
        ctx.call("PUT", ctx.path("updateCustomer", customer_id=customer_id), json_body=update),
        404,
    )
    for operation_id in SUB_COLLECTIONS:
        if operation_id in ctx.expectations.operations:
            path = ctx.path(operation_id, customer_id=customer_id)
            ctx.expect_problem(f"{operation_id} after delete", ctx.call("GET", path), 404)


def _read(ctx: ScenarioContext, step: str, path: str) -> Exchange:
    exchange = ctx.call("GET", path)
    if exchange.status != 200 or not isinstance(exchange.json(), dict):
        ctx.fail(f"{step}: got {exchange.status}; expected 200 with the customer", exchange)
        raise ScenarioAborted
    return exchange


def _json(exchange: Exchange) -> Any:
    return exchange.json()


def _expect_written(
    ctx: ScenarioContext, step: str, exchange: Exchange, sent: dict[str, Any], customer_id: str
) -> None:
    body = exchange.json()
    if not isinstance(body, dict):
        ctx.fail(f"{step}: body is not a JSON object", exchange)
        return
    ctx.expect(
        body.get("customer_id") == customer_id,
        f"{step}: customer_id is {_shown(body.get('customer_id'))}; expected '{customer_id}' (ids are stable)",
        exchange,
    )
    ctx.expect(
        body.get("label") == sent["label"],
        f"{step}: label is {_shown(body.get('label'))}; expected {_shown(sent['label'])} as written",
        exchange,
    )
    # allowed_statuses is a set of unique entries: the spec does not fix their order.
    received = sorted(json.dumps(s, sort_keys=True) for s in body.get("allowed_statuses") or [])
    expected = sorted(json.dumps(s, sort_keys=True) for s in sent["allowed_statuses"])
    ctx.expect(
        received == expected,
        f"{step}: allowed_statuses is {_shown(body.get('allowed_statuses'))}; "
        f"expected {_shown(sent['allowed_statuses'])}",
        exchange,
    )


def _expect_same(ctx: ScenarioContext, step: str, member: str, before: Any, after: Any) -> None:
    if isinstance(before, dict) and isinstance(after, dict) and member in before:
        ctx.expect(
            after.get(member) == before[member],
            f"{step}: {member} is {_shown(after.get(member))}; expected {_shown(before[member])} (unchanged)",
        )


def _expect_not_earlier(ctx: ScenarioContext, step: str, before: Any, exchange: Exchange) -> None:
    earlier, later = _timestamp(before, "updated"), _timestamp(exchange.json(), "updated")
    if earlier is not None and later is not None:
        ctx.expect(
            later >= earlier,
            f"{step}: updated went back from {before['updated']} to {exchange.json()['updated']}; expected ≥",
            exchange,
        )


def _timestamp(body: Any, member: str) -> datetime | None:
    value = body.get(member) if isinstance(body, dict) else None
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "…"
