"""What every scenario shares: a client, the spec's facts, the run's registry, and a way to report a failed step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from contract_tests.checks.problems import check_problem_members
from contract_tests.cleanup import CreatedResources
from contract_tests.client import ApiClient, Exchange
from contract_tests.expectations import PROBLEM_MEDIA_TYPE, Expectations, Operation
from contract_tests.headers import Masker
from contract_tests.report import Finding, curl_command, response_excerpt
from contract_tests.settings import Settings


class ScenarioAborted(Exception):
    """A step failed in a way that leaves nothing meaningful to check after it."""


class ScenarioSkipped(Exception):
    pass


@dataclass
class ScenarioContext:
    name: str
    settings: Settings
    client: ApiClient
    expectations: Expectations
    created: CreatedResources
    masker: Masker
    report: Callable[[Finding], None]
    failures: int = field(default=0)
    steps: int = field(default=0)

    def operation(self, operation_id: str) -> Operation:
        operation = self.expectations.operations.get(operation_id)
        if operation is None:
            raise ScenarioSkipped(f"the spec has no operation {operation_id}")
        return operation

    def path(self, operation_id: str, **params: str) -> str:
        path = self.operation(operation_id).path
        for name, value in params.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        return path

    def call(self, method: str, path_or_url: str, **kwargs: Any) -> Exchange:
        self.steps += 1
        return self.client.call(method, path_or_url, **kwargs)

    def fail(self, expectation: str, exchange: Exchange | None = None) -> None:
        self.failures += 1
        finding = Finding(operation=f"scenario {self.name}", check=self.name, expectation=self.masker.text(expectation))
        if exchange is not None:
            finding = Finding(
                operation=finding.operation,
                check=self.name,
                expectation=finding.expectation,
                status=exchange.status,
                content_type=exchange.content_type,
                body=self.masker.text(response_excerpt(exchange.content)),
                curl=curl_command(exchange.request, self.masker),
            )
        self.report(finding)

    def expect(self, condition: bool, expectation: str, exchange: Exchange | None = None) -> bool:
        if not condition:
            self.fail(expectation, exchange)
        return condition

    def expect_problem(self, step: str, exchange: Exchange, status: int) -> bool:
        """The answer is `status` with the problem body the spec documents for it."""
        if exchange.status != status:
            self.fail(f"{step}: got {exchange.status}; expected {status}", exchange)
            return False
        return self.expect_problem_body(step, exchange)

    def expect_problem_body(self, step: str, exchange: Exchange) -> bool:
        if exchange.content_type != PROBLEM_MEDIA_TYPE:
            shown = f"'{exchange.content_type}'" if exchange.content_type else "no Content-Type"
            self.fail(f"{step}: {exchange.status} has {shown}; expected '{PROBLEM_MEDIA_TYPE}'", exchange)
            return False
        body = exchange.json()
        if not isinstance(body, Mapping):
            self.fail(f"{step}: {exchange.status} problem body is not a JSON object", exchange)
            return False
        try:
            check_problem_members(exchange.status, body, self.expectations.problems.get(exchange.status))
        except AssertionError as exc:
            self.fail(f"{step}: {exc}", exchange)
            return False
        return True

    def create_customer(self, label: str, *, record: bool = True) -> tuple[str, Exchange]:
        exchange = self.call("POST", self.path("createCustomer"), json_body=customer_body(self.settings, label))
        customer_id = self.record_created(exchange) if record else None
        if exchange.status != 200 or customer_id is None:
            self.fail(f"create customer: got {exchange.status}; expected 200 with a customer_id", exchange)
            raise ScenarioAborted
        return customer_id, exchange

    def record_created(self, exchange: Exchange) -> str | None:
        """Remember a created customer for cleanup whatever the scenario thinks of the answer."""
        body = exchange.json()
        if 200 <= exchange.status < 300 and isinstance(body, Mapping) and isinstance(body.get("customer_id"), str):
            self.created.add("customer_id", body["customer_id"])
            return body["customer_id"]
        return None


def customer_body(settings: Settings, label: str, *, prefixed: bool = True) -> dict[str, Any]:
    return {
        "label": settings.label_prefix + label if prefixed else label,
        "allowed_statuses": [
            {"status": "Active", "category": "IN_PROGRESS"},
            {"status": "Done", "category": "COMPLETE"},
        ],
    }
