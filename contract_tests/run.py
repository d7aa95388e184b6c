"""One run: probe the target, fuzz, run the scenarios, and always clean up, even on failure or Ctrl-C."""

from __future__ import annotations

import random
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http import HTTPStatus
from typing import Any, TextIO

import requests

from contract_tests.ast_guard import serialized_ast_parsing
from contract_tests.cleanup import Collection, CreatedResources, clean_up
from contract_tests.client import ApiClient
from contract_tests.expectations import Expectations, expectations_from_file
from contract_tests.fuzzing import RunError, check_selection, run_fuzzing
from contract_tests.headers import Masker
from contract_tests.hooks import RunState, active
from contract_tests.junit import write_junit
from contract_tests.report import Finding, Results, write_failure_report, write_finding, write_summary
from contract_tests.scenarios import run_scenarios
from contract_tests.scenarios._support import customer_body
from contract_tests.settings import Settings

EXIT_CONFORMS, EXIT_DOES_NOT_CONFORM, EXIT_RUN_FAILED = 0, 1, 2
# Customers created up front, so unsafe operations have something of the suite's own to act on.
POOL_SIZE = 3


def execute(settings: Settings, out: TextIO = sys.stdout) -> int:
    """Run the suite; raises RunError when the run cannot happen, returns the exit code otherwise."""
    started = time.monotonic()
    if settings.seed is None:
        settings = replace(settings, seed=random.SystemRandom().randrange(2**32))
    expectations = expectations_from_file(settings.spec_path)
    check_selection(settings, expectations)
    masker = Masker(settings.headers)
    client = ApiClient(settings)

    def say(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    def on_finding(finding: Finding) -> None:
        write_finding(out, finding)
        out.flush()

    results = Results()
    created = CreatedResources()
    state = RunState(expectations, created, settings.label_prefix, settings.run_id)
    mode = "read-only" if settings.read_only else "read-write"
    say(f"customers-contract: {settings.base_url} · profile {settings.profile.name} · seed {settings.seed}")
    say(f"run {settings.run_id} ({mode}); everything it creates is labelled '{settings.label_prefix.strip()}…'")
    try:
        _probe(client, settings, expectations)
        with _interrupt_on_sigterm(), active(state), serialized_ast_parsing():
            try:
                if not settings.read_only:
                    create_pool(client, settings, expectations, created)
                run_fuzzing(settings, expectations, results, masker, say=say, on_finding=on_finding)
                say("phase scenarios")
                run_scenarios(settings, client, expectations, created, masker, results, say=say, on_finding=on_finding)
            except KeyboardInterrupt:
                results.interrupted = True
                say("interrupted: cleaning up what this run created")
            finally:
                if not settings.read_only:
                    _clean_up(client, expectations, created, settings, say)
    finally:
        client.close()
    elapsed = time.monotonic() - started
    write_failure_report(out, results)
    write_summary(out, results, seed=settings.seed, run_id=settings.run_id, elapsed=elapsed)
    if settings.junit_xml is not None:
        write_junit(settings.junit_xml, results, elapsed=elapsed)
        say(f"JUnit report: {settings.junit_xml}")
    if results.interrupted:
        raise RunError("interrupted before the run completed (what it created was deleted)")
    if results.internal_errors and results.conforms:
        # Not a verdict on the implementation: part of it went untested.
        raise RunError(f"the suite could not finish {results.internal_errors[0]} (rerun; the seed is {settings.seed})")
    return EXIT_CONFORMS if results.conforms else EXIT_DOES_NOT_CONFORM


# A gateway answering for a service that is not there: fuzzing it would only report the gateway.
_UNAVAILABLE = frozenset({502, 503, 504})


def _probe(client: ApiClient, settings: Settings, expectations: Expectations) -> None:
    """One safe request before anything else: is the service there at all?"""
    listing = next((op for op in expectations.operations.values() if op.method == "GET" and op.paginates), None)
    path = listing.path if listing is not None else "/"
    params = {listing.limit.name: 1} if listing is not None and listing.limit is not None else None
    try:
        exchange = client.call("GET", path, params=params)
    except requests.RequestException as exc:
        reason = type(exc).__name__
        if isinstance(exc, requests.ConnectionError):
            reason = "it answered something that is not HTTP" if "BadStatusLine" in repr(exc) else "connection failed"
        elif isinstance(exc, requests.Timeout):
            reason = f"no answer within {settings.timeout:g}s"
        raise RunError(f"cannot reach {settings.base_url}: {reason}") from None
    if exchange.status in _UNAVAILABLE:
        phrase = HTTPStatus(exchange.status).phrase
        raise RunError(f"service unavailable: GET {path} answered {exchange.status} {phrase}")


def create_pool(client: ApiClient, settings: Settings, expectations: Expectations, created: CreatedResources) -> None:
    operation = expectations.operations.get("createCustomer")
    if operation is None:
        return
    for index in range(POOL_SIZE):
        exchange = client.call("POST", operation.path, json_body=customer_body(settings, f"pool {index}"))
        body = exchange.json()
        if exchange.status == 200 and isinstance(body, dict) and isinstance(body.get("customer_id"), str):
            created.add("customer_id", body["customer_id"])


def _clean_up(
    client: ApiClient, expectations: Expectations, created: CreatedResources, settings: Settings, say: Any
) -> None:
    collection = Collection.from_expectations(expectations)
    if collection is None:
        return
    with _deferred_interrupts(say):
        report = clean_up(client, collection, created, settings.label_prefix, say=say)
    failed = f", {len(report.failed)} could not be deleted: {', '.join(report.failed[:5])}" if report.failed else ""
    say(f"cleanup: deleted {len(report.deleted)} customer(s) this run created{failed}")


@contextmanager
def _interrupt_on_sigterm() -> Iterator[None]:
    """SIGTERM (a CI job cancelled) takes the same path as Ctrl-C: stop, then clean up."""

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _deferred_interrupts(say: Any) -> Iterator[None]:
    """Cleanup is not interrupted half-way: a second Ctrl-C is acknowledged and ignored."""

    def handler(signum: int, frame: Any) -> None:
        say("cleanup in progress; it deletes only this run's resources and ends shortly")

    try:
        previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
