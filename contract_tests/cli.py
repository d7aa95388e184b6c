"""`customers-contract`: parse options into Settings, run, and map the outcome to an exit code.

0 the implementation conforms · 1 it does not · 2 the run could not happen (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from contract_tests.checks import OUR_CHECK_NAMES
from contract_tests.client import parse_rate_limit
from contract_tests.expectations import SpecError
from contract_tests.fuzzing import RunError
from contract_tests.headers import HeaderError, env_prefix_warning, parse_header
from contract_tests.run import EXIT_RUN_FAILED, execute
from contract_tests.scenarios import SCENARIO_NAMES
from contract_tests.settings import PROFILES, Settings
from customers_spec import SPEC_PATH

PROG = "customers-contract"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, no usage dump: CI logs should say exactly what was wrong.
        self.exit(EXIT_RUN_FAILED, f"{self.prog}: error: {message} (see --help)\n")


def builtin_check_names() -> tuple[str, ...]:
    import schemathesis.specs.openapi.checks  # noqa: F401  (registers the OpenAPI checks)
    from schemathesis.checks import CHECKS

    return tuple(check.__name__ for check in CHECKS.get_all())


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Judge a live implementation of the Customers v2.0.0 API against its OpenAPI contract.",
        epilog="Exit codes: 0 conforms, 1 does not conform, 2 the run could not happen.",
    )
    parser.add_argument(
        "--base-url", required=True, help="where the implementation listens, e.g. http://127.0.0.1:8000"
    )
    parser.add_argument("--spec", type=Path, default=SPEC_PATH, help="OpenAPI document (default: the bundled spec)")
    parser.add_argument(
        "-H",
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="header sent with every request; VALUE may be env:VARNAME or contain ${VARNAME} (never printed)",
    )
    parser.add_argument(
        "--profile", choices=sorted(PROFILES), default="ci", help="ci (fast gate) or thorough (nightly)"
    )
    parser.add_argument("--seed", type=_non_negative_int, help="reproduce a previous run's generated data")
    parser.add_argument("--max-examples", type=_positive_int, help="examples per operation (overrides the profile)")
    parser.add_argument("--operation", action="append", default=[], metavar="OPERATION_ID", help="only this operation")
    parser.add_argument("--exclude-check", action="append", default=[], metavar="NAME", help="skip a check or scenario")
    parser.add_argument("--workers", type=_positive_int, default=1, help="concurrent fuzzing workers (1-64)")
    parser.add_argument("--rate-limit", metavar="N/s", help="at most N requests per second (N/s, N/m or N/h)")
    parser.add_argument("--timeout", type=_positive_float, default=10.0, help="seconds to wait for each response")
    parser.add_argument("--junit-xml", type=Path, metavar="PATH", help="write a JUnit XML report here")
    parser.add_argument("--read-only", action="store_true", help="send only safe requests (production smoke test)")
    return parser


def parse_settings(argv: Sequence[str] | None = None) -> Settings:
    parser = build_parser()
    args = parser.parse_args(argv)
    known = set(builtin_check_names()) | set(OUR_CHECK_NAMES) | set(SCENARIO_NAMES)
    unknown = sorted(set(args.exclude_check) - known)
    if unknown:
        parser.error(f"unknown check {', '.join(unknown)} for --exclude-check; known: {', '.join(sorted(known))}")
    if not args.base_url.startswith(("http://", "https://")) or "://" == args.base_url.rstrip("/")[-3:]:
        parser.error(f"--base-url must be an http:// or https:// URL, got {args.base_url!r}")
    if args.workers > 64:
        parser.error("--workers must be between 1 and 64")
    if args.rate_limit:
        try:
            parse_rate_limit(args.rate_limit)
        except ValueError as exc:
            parser.error(str(exc))
    try:
        headers = tuple(parse_header(option) for option in args.header)
    except HeaderError as exc:
        parser.error(str(exc))
    for option in args.header:
        warning = env_prefix_warning(option)
        if warning is not None:
            print(f"{PROG}: warning: {warning}", file=sys.stderr)
    return Settings(
        base_url=args.base_url.rstrip("/"),
        spec_path=args.spec,
        headers=headers,
        profile=PROFILES[args.profile],
        seed=args.seed,
        max_examples=args.max_examples,
        operations=tuple(args.operation),
        excluded_checks=frozenset(args.exclude_check),
        workers=args.workers,
        rate_limit=args.rate_limit.replace(" ", "") if args.rate_limit else None,
        timeout=args.timeout,
        junit_xml=args.junit_xml,
        read_only=args.read_only,
    )


def main(argv: Sequence[str] | None = None) -> int:
    settings = parse_settings(argv)
    try:
        with _private_engine_storage():
            return execute(settings)
    except (RunError, SpecError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_RUN_FAILED
    except KeyboardInterrupt:
        print(f"{PROG}: error: interrupted", file=sys.stderr)
        return EXIT_RUN_FAILED


@contextmanager
def _private_engine_storage() -> Iterator[None]:
    """The engine caches what it learns under ./.hypothesis; a CLI run leaves nothing in the user's directory."""
    from hypothesis.configuration import set_hypothesis_home_dir

    with tempfile.TemporaryDirectory(prefix="customers-contract-") as directory:
        set_hypothesis_home_dir(directory)
        try:
            yield
        finally:
            set_hypothesis_home_dir(None)


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0, got {text!r}")
    return value
