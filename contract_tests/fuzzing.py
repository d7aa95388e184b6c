"""Schemathesis fuzzes every operation (examples, coverage, fuzzing and stateful phases) with all checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import requests
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import StopReason, events, from_schema
from schemathesis.engine.run import PhaseName

from contract_tests import checks as _register_our_checks  # noqa: F401  (registration on import)
from contract_tests import hooks as _register_hooks  # noqa: F401
from contract_tests.expectations import PROBE_METHODS, Expectations
from contract_tests.headers import Masker
from contract_tests.report import Finding, Results, SentRequest, curl_command, one_line, response_excerpt
from contract_tests.settings import Settings

if TYPE_CHECKING:
    from schemathesis.engine.recorder import ScenarioRecorder

# Statuses Schemathesis accepts by default for schema-valid data; the spec adds its own documented outcomes.
_POSITIVE_DEFAULTS = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]


class RunError(Exception):
    """The run could not happen (bad configuration, unreadable spec)."""


def schemathesis_config(settings: Settings, expectations: Expectations) -> dict[str, Any]:
    profile = settings.profile
    checks: dict[str, Any] = {"positive_data_acceptance": {"expected-statuses": _documented_refusals(expectations)}}
    checks.update({name: {"enabled": False} for name in settings.excluded_checks})
    config: dict[str, Any] = {
        "base-url": settings.base_url.rstrip("/"),
        "headers": settings.header_dict(),
        "workers": settings.workers,
        "request-timeout": settings.timeout,
        # No example database: a directory one writes to the current directory and replays failures of other
        # targets, so the same --seed would not send the same requests.
        "generation": {"mode": "all", "max-examples": settings.examples_per_operation, "database": "none"},
        "phases": {
            "coverage": {"enabled": profile.coverage, "unexpected-methods": list(PROBE_METHODS)},
            "stateful": {
                "enabled": _stateful_applies(settings, expectations),
                "max-steps": profile.stateful_max_steps,
                "generation": {"max-examples": profile.stateful_examples},
            },
        },
        "checks": checks,
        "cache": {"enabled": False},
    }
    if settings.rate_limit:
        config["rate-limit"] = settings.rate_limit
    if settings.seed is not None:
        config["seed"] = settings.seed
    return config


def _stateful_applies(settings: Settings, expectations: Expectations) -> bool:
    """Sequences need a link between two selected operations, and they write."""
    if settings.read_only:
        return False
    selected = set(settings.operations or expectations.operations)
    return any(source in selected and target in selected for source, target in expectations.links)


def _documented_refusals(expectations: Expectations) -> list[str]:
    """Valid data may meet any 4xx the spec documents except 400 (409 and 423 are business rules it leaves open).

    One list for all operations: Schemathesis' per-operation config would disable --operation filtering, and a
    status an operation does not document is still reported by status_code_conformance.
    """
    documented = {str(s) for op in expectations.operations.values() for s in op.statuses if 400 < s < 500}
    return sorted(set(_POSITIVE_DEFAULTS) | documented)


def load_schema(settings: Settings, expectations: Expectations) -> Any:
    try:
        config = SchemathesisConfig.from_dict(schemathesis_config(settings, expectations))
        schema = schemathesis.openapi.from_dict(dict(expectations.raw), config=config)
    except Exception as exc:  # Schemathesis raises several types for one cause: a config or spec it rejects.
        raise RunError(one_line(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)) from None
    if settings.operations:
        check_selection(settings, expectations)
        schema = schema.include(operation_id=list(settings.operations))
    if settings.read_only:
        schema = schema.include(method=["get", "head"])
    return schema


def check_selection(settings: Settings, expectations: Expectations) -> None:
    """Options that name spec elements are checked against the spec before any request is sent."""
    unknown = sorted(set(settings.operations) - set(expectations.operations))
    if unknown:
        raise RunError(f"unknown --operation {', '.join(unknown)}; the spec has {', '.join(expectations.operations)}")


def run_fuzzing(
    settings: Settings,
    expectations: Expectations,
    results: Results,
    masker: Masker,
    *,
    say: Callable[[str], None],
    on_finding: Callable[[Finding], None],
) -> None:
    schema = load_schema(settings, expectations)
    stream = from_schema(schema).execute()
    try:
        for event in stream:
            _handle(event, results, masker, say=say, on_finding=on_finding)
            if isinstance(event, events.EngineFinished):
                break
    except KeyboardInterrupt:
        results.interrupted = True
        stream.stop()
        _drain(stream)
        raise


def _drain(stream: Any) -> None:
    """Let the engine's workers see the stop and finish their current request before cleanup starts."""
    try:
        for event in stream:
            if isinstance(event, events.EngineFinished):
                return
    except (Exception, KeyboardInterrupt):
        return


def _handle(
    event: events.EngineEvent,
    results: Results,
    masker: Masker,
    *,
    say: Callable[[str], None],
    on_finding: Callable[[Finding], None],
) -> None:
    if isinstance(event, events.Interrupted) or (
        isinstance(event, events.EngineFinished) and event.stop_reason is StopReason.INTERRUPTED
    ):
        # The engine absorbs Ctrl-C in its workers; the run must still stop and clean up.
        raise KeyboardInterrupt
    if isinstance(event, events.EngineFinished) and event.stop_reason is StopReason.SERVER_UNAVAILABLE:
        results.errors.append("the server stopped responding during fuzzing")
    elif isinstance(event, events.PhaseStarted) and event.phase.is_enabled:
        say(f"phase {event.phase.name.value}")
    elif isinstance(event, events.PhaseFinished) and event.phase.name is PhaseName.STATEFUL_TESTING:
        if event.phase.is_enabled:
            say("  stateful sequences done")
    elif isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
        checked, failed = _collect(event.recorder, results, masker, on_finding)
        # Stateful sequences are many and short: only the failing ones are worth a line.
        if checked and (failed or event.phase is not PhaseName.STATEFUL_TESTING):
            mark = "✗" if failed else "✓"
            say(f"  {mark} {event.recorder.label}: {checked} responses checked, {failed} failures")
    elif isinstance(event, events.NonFatalError):
        text = f"{event.label}: " + masker.text(one_line(*event.info.format().splitlines()[:3]))
        # A request the implementation failed to answer is its fault; anything else is the suite's own.
        (results.errors if isinstance(event.value, requests.RequestException) else results.internal_errors).append(text)
        say(f"  ! {text}")
    elif isinstance(event, events.FatalError):
        raise RunError(one_line(str(event.exception) or type(event.exception).__name__))


def _collect(
    recorder: ScenarioRecorder, results: Results, masker: Masker, on_finding: Callable[[Finding], None]
) -> tuple[int, int]:
    checked = failed = 0
    for case_id, nodes in recorder.checks.items():
        node = recorder.cases.get(case_id)
        operation = node.value.operation.label if node is not None else recorder.label
        checked += 1
        results.outcome(operation, conformed=all(check.failure_info is None for check in nodes))
        for check in nodes:
            if check.failure_info is None:
                results.passed(operation, check.name)
                continue
            failed += 1
            finding = _finding(recorder, case_id, operation, check.name, check.failure_info.failure, masker)
            if results.failed(finding):
                on_finding(finding)
    return checked, failed


def _finding(
    recorder: ScenarioRecorder, case_id: str, operation: str, check: str, failure: Any, masker: Masker
) -> Finding:
    custom = str(failure.title).startswith("Custom check failed")
    lines: Iterable[str] = [failure.message] if custom else [failure.title, *str(failure.message).splitlines()[:2]]
    expectation = masker.text(one_line(*lines))
    interaction = recorder.interactions.get(case_id)
    if interaction is None or interaction.response is None:
        return Finding(operation=operation, check=check, expectation=expectation)
    request, response = interaction.request, interaction.response
    sent = SentRequest(
        method=request.method,
        url=request.uri,
        headers={name: values[0] for name, values in request.headers.items()},
        body=request.body,
    )
    content_type = (response.headers.get("content-type") or [""])[0]
    return Finding(
        operation=operation,
        check=check,
        expectation=expectation,
        status=response.status_code,
        content_type=content_type,
        body=masker.text(response_excerpt(response.content)),
        curl=curl_command(sent, masker),
    )
