"""`customers-mock state dump|load|reset`: the `/__mock__` state controls of a running mock, from a shell.

    customers-mock state dump [--url URL] > state.json
    customers-mock state load state.json [--url URL]     (`-` reads standard input)
    customers-mock state reset [--url URL]

The URL defaults to $CUSTOMERS_MOCK_URL, else http://127.0.0.1:8000. Failures are one line and an exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_UNREACHABLE = 7  # nothing answers at the URL
EXIT_REFUSED = 8  # the mock answered with an error (a state it will not load, not a mock, ...)
EXIT_INPUT = 9  # the state file cannot be read or is not JSON
URL_VARIABLE = "CUSTOMERS_MOCK_URL"
DEFAULT_URL = "http://127.0.0.1:8000"
TIMEOUT_SECONDS = 30


class StateCommandError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"customers-mock state: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="customers-mock state", description="Dump, load or reset the state of a running mock.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{dump,load,reset}", parser_class=_Parser)
    url_help = f"the running mock (default: ${URL_VARIABLE} or {DEFAULT_URL})"
    dump = commands.add_parser("dump", help="print the whole state as JSON")
    load = commands.add_parser("load", help="replace the whole state by a JSON file (as `dump` prints it)")
    load.add_argument("file", metavar="FILE", help="a state file, or - for standard input")
    reset = commands.add_parser("reset", help="back to the fixtures the mock started with")
    for command in (dump, load, reset):
        command.add_argument("--url", default=os.environ.get(URL_VARIABLE, DEFAULT_URL), help=url_help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    base = args.url.rstrip("/")
    try:
        if args.command == "dump":
            document = _call("GET", f"{base}/__mock__/state")
            sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        elif args.command == "load":
            body = _read_state(args.file)
            _call("PUT", f"{base}/__mock__/state", body)
            print(f"customers-mock state: loaded {args.file} into {base}", file=sys.stderr)
        else:
            _call("POST", f"{base}/__mock__/reset")
            print(f"customers-mock state: {base} is back to its fixtures", file=sys.stderr)
    except StateCommandError as error:
        print(f"customers-mock state: {error}", file=sys.stderr)
        return error.code
    return EXIT_OK


def _read_state(file: str) -> bytes:
    try:
        body = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as error:
        raise StateCommandError(EXIT_INPUT, f"cannot read {file}: {error.strerror or error}") from None
    try:
        json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise StateCommandError(EXIT_INPUT, f"{file} is not JSON: {error}") from None
    return body


def _call(method: str, url: str, body: bytes | None = None) -> Any:
    request = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            payload = response.read()
    except urllib.error.HTTPError as error:
        raise StateCommandError(EXIT_REFUSED, _refusal(method, url, error)) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise StateCommandError(EXIT_UNREACHABLE, f"no mock answers at {url}: {reason}") from None
    if not payload:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        raise StateCommandError(EXIT_REFUSED, f"{url} did not answer JSON: is this a customers-mock?") from None


def _refusal(method: str, url: str, error: urllib.error.HTTPError) -> str:
    """The problem's first violation when there is one: that is what the user has to fix."""
    try:
        problem = json.loads(error.read())
        violations = problem.get("violations") or []
        reason = violations[0]["message"] if violations else problem.get("detail") or problem.get("title")
    except (ValueError, AttributeError, KeyError, TypeError, IndexError):
        reason = None
    if error.code == 404 and not reason:
        reason = "no /__mock__ controls here: is this a customers-mock?"
    return f"{method} {url} answered {error.code}: {reason or error.reason}"
