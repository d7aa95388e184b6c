"""The contract suite, judged against implementations whose conformance we know.

Every app runs as a real server on loopback, and `customers-contract` runs against it as a user would:
the reference implementation and the correct variants must conform (exit 0); every defect of the broken
corpus must be caught (exit 1, naming the check that caught it); and a defect only one check catches must
pass once that check is excluded, which proves that check is the one doing the work.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract_tests.scenarios import SCENARIOS
from tests.contract_tests.apps.broken import DEFECTS
from tests.contract_tests.apps.serve import REFERENCE
from tests.contract_tests.apps.variants import VARIANTS

ROOT = Path(__file__).resolve().parents[2]
SUITE = Path(sysconfig.get_path("scripts")) / "customers-contract"
SEED = "20261203"
# Few examples suffice: each defect sits on every answer of the operations it is narrowed to.
CORPUS_MAX_EXAMPLES = 10
OUR_CHECKS = (
    "problem_body_conforms",
    "page_conforms",
    "hal_links_conform",
    "pagination_walk",
    "crud_lifecycle",
    "invalid_input_rejected",
    "boundary_input",
)


@dataclass(frozen=True)
class Run:
    """One `customers-contract` run against one app."""

    app: str
    operations: tuple[str, ...] = ()
    excluded_check: str | None = None
    max_examples: int | None = CORPUS_MAX_EXAMPLES

    def arguments(self, base_url: str) -> list[str]:
        arguments = ["--base-url", base_url, "--profile", "ci", "--seed", SEED]
        for operation in self.operations:
            arguments += ["--operation", operation]
        if self.excluded_check:
            arguments += ["--exclude-check", self.excluded_check]
        if self.max_examples is not None:
            arguments += ["--max-examples", str(self.max_examples)]
        return arguments


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    output: str

    def explain(self, run: Run) -> str:
        tail = "\n".join(self.output.splitlines()[-60:])
        return f"{run} exited {self.exit_code}; output ends with:\n{tail}"


def operations_reaching(operations: tuple[str, ...], check: str) -> tuple[str, ...]:
    """`operations`, plus every operation `check` needs when it is a scenario (a narrowed run skips it otherwise)."""
    needed = [scenario.operations for scenario in SCENARIOS if scenario.name == check]
    return tuple(dict.fromkeys([*operations, *(operation for group in needed for operation in group)]))


REFERENCE_RUN = Run(REFERENCE, max_examples=None)
DEFECT_RUNS = {
    name: Run(name, operations_reaching(defect.operations, defect.caught_by)) for name, defect in DEFECTS.items()
}
EXCLUSION_RUNS = {
    name: Run(name, operations_reaching(defect.operations, defect.caught_by), excluded_check=defect.caught_by)
    for name, defect in DEFECTS.items()
    if defect.exclusive
}
VARIANT_RUNS = {
    name: Run(name, operations_reaching(variant.operations, variant.guards)) for name, variant in VARIANTS.items()
}
# Which run each test asserts on, by test function name; parametrized tests are keyed by their `name`.
RUNS_BY_TEST: dict[str, dict[str, Run]] = {
    "test_reference_implementation_conforms": {"": REFERENCE_RUN},
    "test_unusual_but_correct_variant_conforms": VARIANT_RUNS,
    "test_defect_is_caught_by_its_check": DEFECT_RUNS,
    "test_defect_only_its_check_catches_passes_without_that_check": EXCLUSION_RUNS,
}


@contextmanager
def served(app: str, log: Path) -> Iterator[str]:
    """`app` served by its own process on a free loopback port; yields the base URL, then stops it by PID."""
    with log.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "tests.contract_tests.apps.serve", "--app", app],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        if not base_url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"{app} did not start: {log.read_text()}")
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def execute(run: Run) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="corpus-") as workdir, served(run.app, Path(workdir, "server.log")) as url:
        completed = subprocess.run(
            [str(SUITE), *run.arguments(url)],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "NO_COLOR": "1"},
        )
    return Outcome(completed.returncode, completed.stdout + completed.stderr)


class Corpus:
    """Runs every suite run up front, a few at a time; each test waits only for the run it asserts on."""

    def __init__(self, runs: list[Run]) -> None:
        self.pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1))
        self.futures: dict[Run, Future[Outcome]] = {run: self.pool.submit(execute, run) for run in runs}

    def outcome(self, run: Run) -> Outcome:
        return self.futures[run].result()


def selected_runs(items: list[pytest.Item]) -> list[Run]:
    """The runs the collected tests assert on, so `-k` starts only what it needs."""
    runs = []
    for item in items:
        by_name = RUNS_BY_TEST.get(getattr(item, "originalname", ""), {})
        callspec = getattr(item, "callspec", None)
        run = by_name.get(callspec.params.get("name", "") if callspec else "")
        if run is not None:
            runs.append(run)
    # The longest run first, so it overlaps with the many short ones.
    return sorted(dict.fromkeys(runs), key=lambda run: run.max_examples is not None)


@pytest.fixture(scope="session")
def corpus(request: pytest.FixtureRequest) -> Iterator[Corpus]:
    corpus = Corpus(selected_runs(request.session.items))
    yield corpus
    corpus.pool.shutdown(cancel_futures=True)


def test_reference_implementation_conforms(corpus: Corpus) -> None:
    outcome = corpus.outcome(REFERENCE_RUN)
    assert outcome.exit_code == 0, outcome.explain(REFERENCE_RUN)


@pytest.mark.parametrize("name", sorted(VARIANT_RUNS))
def test_unusual_but_correct_variant_conforms(corpus: Corpus, name: str) -> None:
    outcome = corpus.outcome(VARIANT_RUNS[name])
    assert outcome.exit_code == 0, outcome.explain(VARIANT_RUNS[name])


@pytest.mark.parametrize("name", sorted(DEFECT_RUNS))
def test_defect_is_caught_by_its_check(corpus: Corpus, name: str) -> None:
    run = DEFECT_RUNS[name]
    outcome = corpus.outcome(run)
    assert outcome.exit_code == 1, outcome.explain(run)
    assert DEFECTS[name].caught_by in outcome.output, outcome.explain(run)


@pytest.mark.parametrize("name", sorted(EXCLUSION_RUNS))
def test_defect_only_its_check_catches_passes_without_that_check(corpus: Corpus, name: str) -> None:
    run = EXCLUSION_RUNS[name]
    outcome = corpus.outcome(run)
    assert outcome.exit_code == 0, outcome.explain(run)


def test_corpus_covers_enough_defect_kinds() -> None:
    assert len(DEFECTS) >= 15


@pytest.mark.parametrize("check", OUR_CHECKS)
def test_each_of_our_checks_alone_catches_some_defect(check: str) -> None:
    assert any(defect.exclusive and defect.caught_by == check for defect in DEFECTS.values())
