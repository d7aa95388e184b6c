"""What the suite changes in generated requests before they are sent, and learns from responses.

- Unsafe operations (PUT, DELETE, POST under a resource) only ever target resources this run created, or an
  id that cannot exist (it breaks the spec's id pattern), so a run against staging touches nothing else.
- Every label the suite writes carries the run's prefix, so cleanup can find it.
- A cursor (`offset`) is opaque: positive requests only carry cursors the server itself issued in a `next` link.

Schemathesis calls these hooks for every request in every phase; they act only while a run is active.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

import schemathesis
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation

from contract_tests.cleanup import CreatedResources
from contract_tests.expectations import SAFE_METHODS, Expectations, Operation, expectations_for

if TYPE_CHECKING:
    from schemathesis import Case, Response
    from schemathesis.hooks import HookContext


@dataclass
class RunState:
    expectations: Expectations
    created: CreatedResources
    label_prefix: str
    run_id: str
    cursors: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # Cases whose path the suite rewrote: their ids were not chained from an earlier response.
    confined_cases: set[str] = field(default_factory=set)

    @property
    def absent_id(self) -> str:
        # `~` is outside every id pattern of the spec (^[0-9a-zA-Z-_]+$), so no server can hold this id.
        return f"~absent-{self.run_id}"

    def before_call(self, case: Case) -> None:
        operation = self.expectations.operation_at(case.operation.method, case.operation.path)
        if operation is None:
            return
        # The method actually sent: the coverage phase also probes undeclared methods on each path.
        if case.method.upper() not in SAFE_METHODS:
            self._confine_path(case)
            self._prefix_label(case)
        if operation.cursor_parameter:
            self._use_issued_cursor(case, operation)

    def after_call(self, case: Case, response: Response) -> None:
        operation = self.expectations.operation_at(case.operation.method, case.operation.path)
        if operation is None or not 200 <= response.status_code < 300:
            return
        if operation.method == "DELETE":
            for name, value in (case.path_parameters or {}).items():
                self.created.deleted(name, unquote(str(value)))
        elif operation.method == "POST":
            self._record_created(case, response)
        if operation.paginates and operation.cursor_parameter:
            self._harvest_cursor(case, operation, response)

    def _confine_path(self, case: Case) -> None:
        params = dict(case.path_parameters or {})
        changed = False
        for name, value in params.items():
            if self.created.ever_created(name, unquote(str(value))):
                continue
            live = self.created.live(name)
            # Deterministic in the generated value, so a seed reproduces the same mapping.
            pick = zlib.crc32(str(value).encode())
            params[name] = live[pick % len(live)] if live and pick % 3 else self.absent_id
            changed = True
        if changed:
            self.confined_cases.add(case.id)
            case.path_parameters = params

    def _prefix_label(self, case: Case) -> None:
        body = case.body
        if isinstance(body, Mapping) and isinstance(body.get("label"), str):
            if not body["label"].startswith(self.label_prefix):
                case.body = {**body, "label": self.label_prefix + body["label"]}

    def _use_issued_cursor(self, case: Case, operation: Operation) -> None:
        name = operation.cursor_parameter
        query = dict(case.query or {})
        if name not in query or _query_mode(case) is not GenerationMode.POSITIVE:
            return
        issued = self.cursors.get((operation.operation_id, case.formatted_path)) or []
        if str(query[name]) in issued:
            return
        if issued:
            query[name] = issued[zlib.crc32(str(query[name]).encode()) % len(issued)]
        else:
            del query[name]
        case.query = query

    def _record_created(self, case: Case, response: Response) -> None:
        try:
            body = response.json()
        except Exception:
            return
        if not isinstance(body, Mapping):
            return
        own_params = set(case.path_parameters or {})
        for name in self.expectations.path_parameter_names:
            if name not in own_params and isinstance(body.get(name), (str, int)):
                self.created.add(name, str(body[name]))

    def _harvest_cursor(self, case: Case, operation: Operation, response: Response) -> None:
        try:
            body = response.json()
        except Exception:
            return
        link = (body.get("_links") or {}).get("next") if isinstance(body, Mapping) else None
        href = link.get("href") if isinstance(link, Mapping) else None
        if not isinstance(href, str):
            return
        values = parse_qs(urlsplit(href).query).get(str(operation.cursor_parameter)) or []
        issued = self.cursors.setdefault((operation.operation_id, case.formatted_path), [])
        for value in values:
            if value not in issued and len(issued) < 16:
                issued.append(value)


def _carries_cursor(case: Case) -> bool:
    operation = expectations_for(case.operation.schema.raw_schema).operation_at(
        case.operation.method, case.operation.path
    )
    return operation is not None and operation.cursor_parameter in (case.query or {})


def _query_mode(case: Case) -> GenerationMode:
    meta = case.meta
    if meta is None:
        return GenerationMode.POSITIVE
    component = meta.components.get(ParameterLocation.QUERY)
    return component.mode if component is not None else meta.generation.mode


_ACTIVE: list[RunState] = []


@contextmanager
def active(state: RunState) -> Iterator[RunState]:
    _ACTIVE.append(state)
    try:
        yield state
    finally:
        _ACTIVE.remove(state)


@schemathesis.hook
def before_call(context: HookContext, case: Case, kwargs: dict[str, Any]) -> None:
    if _ACTIVE:
        _ACTIVE[-1].before_call(case)


@schemathesis.hook
def after_call(context: HookContext, case: Case, response: Response) -> None:
    if _ACTIVE:
        _ACTIVE[-1].after_call(case, response)


# Stateful checks that relate a request to an earlier one through the ids it carries.
_CHAINED_FAILURES = frozenset({"EnsureResourceAvailability", "UseAfterFree"})


@schemathesis.hook
def filter_failure(context: HookContext, failure: Any, case: Case, response: Response) -> bool:
    # A path the suite rewrote for safety was not chained from the earlier response, so the relation these
    # checks infer from it does not exist.
    if type(failure).__name__ in _CHAINED_FAILURES and _ACTIVE and case.id in _ACTIVE[-1].confined_cases:
        return False
    # Advertising more methods than the spec declares is an extension; advertising fewer is a defect.
    if type(failure).__name__ == "AllowHeaderMismatch":
        return bool(getattr(failure, "missing_methods", None))
    # A cursor the server issued may go stale as data changes (the spec leaves its lifetime open), so a
    # 400 to a request that carries one is an answer the spec allows, not valid data rejected.
    if type(failure).__name__ == "RejectedPositiveData" and response.status_code == 400:
        return not _carries_cursor(case)
    # An undeclared method that the server serves (an extension) or does not know at all (501) is not
    # something the spec rules on; a 405 must still carry `Allow` (RFC 9110) and 4xx/5xx must still be problems.
    if getattr(failure, "failure_reason", None) == "wrong_status" and type(failure).__name__ == (
        "UnsupportedMethodResponse"
    ):
        return not (200 <= response.status_code < 400 or response.status_code == 501)
    return True
