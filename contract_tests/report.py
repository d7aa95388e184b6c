"""Findings a person can act on: what was checked, what came back, and a curl that reproduces it."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TextIO

from contract_tests.headers import Masker

BODY_EXCERPT = 240
# Headers an HTTP library adds by itself: noise in a reproduction.
_TRANSPORT_HEADERS = frozenset(
    {"user-agent", "accept-encoding", "accept", "connection", "content-length", "x-schemathesis-testcaseid", "host"}
)


@dataclass(frozen=True)
class SentRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None = None


@dataclass(frozen=True)
class Finding:
    operation: str
    check: str
    expectation: str
    status: int | None = None
    content_type: str = ""
    body: str = ""
    curl: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.operation, self.check, self.expectation


# Parts of a message that name one operation's resource: they differ between operations for the same defect.
_PATH = re.compile(r"(?<![\w/])/[^\s'\",;)]+")
_ID = re.compile(r"\b(?=[0-9a-f-]*[0-9])(?=[0-9a-f-]*[a-f])[0-9a-f-]{8,}\b", re.IGNORECASE)


def same_failure_key(finding: Finding) -> tuple[str, str]:
    """One defect seen on several operations: same check, same message once paths and ids are set aside."""
    message = finding.expectation.replace(finding.operation, "<operation>")
    return finding.check, _ID.sub("<id>", _PATH.sub("<path>", message))


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0


@dataclass
class Results:
    """Every (operation, check) outcome and every scenario outcome of one run."""

    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    # Per operation: responses that passed every check vs. failed one; per scenario: runs. What the summary counts.
    outcomes: dict[str, Tally] = field(default_factory=dict)
    # Requests each scenario sent, so its report says how much it exercised.
    scenario_requests: dict[str, int] = field(default_factory=dict)
    findings: dict[tuple[str, str, str], Finding] = field(default_factory=dict)
    occurrences: dict[tuple[str, str, str], int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Failures of the suite itself (not of the implementation): they make a conforming verdict impossible.
    internal_errors: list[str] = field(default_factory=list)
    interrupted: bool = False

    def passed(self, operation: str, check: str) -> None:
        self.tallies.setdefault((operation, check), Tally()).passed += 1

    def outcome(self, operation: str, *, conformed: bool) -> None:
        """One response (or scenario run) judged by all its checks."""
        tally = self.outcomes.setdefault(operation, Tally())
        if conformed:
            tally.passed += 1
        else:
            tally.failed += 1

    def failed(self, finding: Finding) -> bool:
        """Record a failure; True when it is a new defect (not the same failure seen on another operation)."""
        self.tallies.setdefault((finding.operation, finding.check), Tally()).failed += 1
        is_new = same_failure_key(finding) not in {same_failure_key(known) for known in self.findings.values()}
        self.findings.setdefault(finding.key, finding)
        self.occurrences[finding.key] = self.occurrences.get(finding.key, 0) + 1
        return is_new

    def failure_groups(self) -> list[list[Finding]]:
        """Findings grouped by defect, in the order they were first seen."""
        groups: dict[tuple[str, str], list[Finding]] = {}
        for finding in self.findings.values():
            groups.setdefault(same_failure_key(finding), []).append(finding)
        return list(groups.values())

    @property
    def conforms(self) -> bool:
        return not self.findings and not self.errors and not self.interrupted


def response_excerpt(content: bytes | None, limit: int = BODY_EXCERPT) -> str:
    if not content:
        return "(empty body)"
    text = content.decode("utf-8", errors="replace")
    try:
        text = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    except ValueError:
        pass
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def curl_command(request: SentRequest, masker: Masker) -> str:
    parts = ["curl", "-X", request.method]
    for name, value in request.headers.items():
        if name.lower() not in _TRANSPORT_HEADERS:
            parts += ["-H", f"{name}: {masker.header(name, value)}"]
    if request.body:
        parts += ["-d", masker.text(request.body.decode("utf-8", errors="replace"))]
    parts.append(request.url)
    # Env-var references stay unexpanded in double quotes, so the command picks the secret up when run.
    return " ".join(_quote(part) for part in parts)


def _quote(part: str) -> str:
    if "${" in part:
        return '"' + part.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") + '"'
    return shlex.quote(part)


def one_line(*pieces: str, limit: int = 300) -> str:
    text = "; ".join(" ".join(piece.split()) for piece in pieces if piece and piece.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_finding(out: TextIO, finding: Finding, occurrences: int = 1) -> None:
    repeat = f" (seen {occurrences}×)" if occurrences > 1 else ""
    out.write(f"✗ {finding.check} · {finding.operation}{repeat}\n")
    _write_details(out, finding)


def _write_details(out: TextIO, finding: Finding) -> None:
    out.write(f"    expected: {finding.expectation}\n")
    if finding.status is not None:
        content_type = finding.content_type or "no Content-Type"
        out.write(f"    response: {finding.status} {content_type} {finding.body}\n")
    if finding.curl:
        out.write(f"    reproduce: {finding.curl}\n")


def write_failure_report(out: TextIO, results: Results) -> None:
    """Each defect once: the operations it showed on, what was expected, and one reproduction."""
    groups = results.failure_groups()
    if not groups:
        return
    out.write(f"\nFailures ({len(groups)} distinct)\n")
    for group in groups:
        first = group[0]
        seen = sum(results.occurrences.get(finding.key, 1) for finding in group)
        operations = sorted({finding.operation for finding in group})
        if len(operations) > 1:
            repeat = f" (seen {seen}×)" if seen > 1 else ""
            out.write(
                f"✗ {first.check} · same failure on {len(operations)} operations: {', '.join(operations)}{repeat}\n"
            )
            _write_details(out, first)
        else:
            write_finding(out, first, seen)


def write_summary(out: TextIO, results: Results, *, seed: int | None, run_id: str, elapsed: float) -> None:
    rows = _summary_rows(results)
    width = max([len(name) for name, *_ in rows] + [len("operation / scenario")])
    out.write("\nSummary (operations: responses that passed every check / failed one; scenarios: runs)\n")
    out.write(f"  {'operation / scenario':<{width}}  {'conformed':>9}  {'failed':>6}  failing checks\n")
    for name, passed, failed, failing in rows:
        out.write(f"  {name:<{width}}  {passed:>9}  {failed:>6}  {', '.join(failing) or '-'}\n")
    for error in results.errors:
        out.write(f"  error: {error}\n")
    for error in results.internal_errors:
        out.write(f"  suite error: {error}\n")
    verdict = "CONFORMS" if results.conforms else "DOES NOT CONFORM"
    if results.internal_errors and results.conforms:
        verdict = "INCOMPLETE"
    if results.interrupted:
        verdict = "INTERRUPTED"
    distinct = len(results.failure_groups())
    out.write(
        f"\n{verdict}: {distinct} distinct failure(s), {len(results.errors)} error(s) in {elapsed:.1f}s "
        f"(seed {seed}, run {run_id}; rerun with --seed {seed} to reproduce)\n"
    )


def _summary_rows(results: Results) -> list[tuple[str, int, int, list[str]]]:
    failing: dict[str, list[str]] = {}
    for (operation, check), tally in results.tallies.items():
        failing.setdefault(operation, [])
        if tally.failed:
            failing[operation].append(check)
    names = set(failing) | set(results.outcomes)
    rows = []
    for name in sorted(names, key=lambda n: (n.startswith("scenario "), n)):
        outcome = results.outcomes.get(name, Tally())
        rows.append((name, outcome.passed, outcome.failed, failing.get(name, [])))
    return rows
