"""The command line as a user meets it: exit codes, one-line errors, and secrets that never show."""

from __future__ import annotations

import socket
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from tests.contract_tests.conforming_api import create_app
from tests.contract_tests.live import closed_port_url, serving

SUITE = Path(sysconfig.get_path("scripts")) / "customers-contract"
SECRET = "s3cr3t-t0ken-value"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SUITE), *args], capture_output=True, text=True, timeout=120, env=env, cwd=cwd, check=False
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("customers-contract: error: ")
    assert fragment in lines[0]


def test_unreachable_url_exits_2() -> None:
    url = closed_port_url()
    assert_one_line_error(run("--base-url", url), f"cannot reach {url}: connection failed")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        pytest.param(None, "cannot read the spec", id="missing"),
        pytest.param("openapi: [unclosed", "is not valid YAML or JSON", id="not-yaml"),
        pytest.param("swagger: '2.0'\npaths: {}\n", "is not an OpenAPI 3.x document", id="not-openapi-3"),
        pytest.param(
            "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n", "documents no operations", id="empty"
        ),
    ],
)
def test_bad_spec_exits_2(tmp_path: Path, content: str | None, fragment: str) -> None:
    spec = tmp_path / "spec.yaml"
    if content is not None:
        spec.write_text(content)
    # The spec is read before any request: the URL need not answer.
    assert_one_line_error(run("--base-url", closed_port_url(), "--spec", str(spec)), fragment)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param([], "the following arguments are required: --base-url", id="no-base-url"),
        pytest.param(["--base-url", "ftp://x"], "--base-url must be an http:// or https:// URL", id="scheme"),
        pytest.param(["--base-url", "http://x", "--nope"], "unrecognized arguments: --nope", id="unknown-option"),
        pytest.param(["--base-url", "http://x", "--profile", "fast"], "invalid choice: 'fast'", id="profile"),
        pytest.param(["--base-url", "http://x", "--workers", "0"], "expected a whole number ≥ 1", id="workers"),
        pytest.param(["--base-url", "http://x", "--timeout", "-1"], "expected a number of seconds > 0", id="timeout"),
        pytest.param(["--base-url", "http://x", "--rate-limit", "fast"], "invalid rate limit 'fast'", id="rate"),
        pytest.param(["--base-url", "http://x", "--exclude-check", "no_such"], "unknown check no_such", id="check"),
        pytest.param(["--base-url", "http://x", "-H", "NoColon"], "invalid header 'NoColon'", id="header"),
        pytest.param(
            ["--base-url", "http://x", "-H", "Authorization: env:CONTRACT_TEST_UNSET"],
            "reads ${CONTRACT_TEST_UNSET}, which is not set",
            id="header-env-missing",
        ),
    ],
)
def test_bad_option_exits_2_with_one_line(args: list[str], fragment: str) -> None:
    assert_one_line_error(run(*args), fragment)


def test_unknown_operation_exits_2_before_any_request() -> None:
    received: list[str] = []
    with serving(_always_broken_app(received)) as url:
        result = run("--base-url", url, "--operation", "fetchEverything")
    assert_one_line_error(result, "unknown --operation fetchEverything")
    assert received == [], "a refused run must not touch the target"
    assert result.stdout == ""


def _gateway_app(received: list[str]) -> Starlette:
    async def anything(request: Request) -> HTMLResponse:
        received.append(f"{request.method} {request.url.path}")
        return HTMLResponse("<html><body><h1>502 Bad Gateway</h1></body></html>", status_code=502)

    return Starlette(routes=[Route("/{path:path}", anything, methods=["GET", "POST", "PUT", "DELETE"])])


def test_a_gateway_without_its_service_is_refused_after_one_probe() -> None:
    received: list[str] = []
    with serving(_gateway_app(received)) as url:
        result = run("--base-url", url)
    assert_one_line_error(result, "service unavailable: GET /customers answered 502 Bad Gateway")
    assert received == ["GET /customers"]


def _recording(app: Any, log: list[str]) -> Any:
    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            log.append(f"{scope['method']} {scope['path']}?{scope['query_string'].decode()}")
        await app(scope, receive, send)

    return middleware


def test_same_seed_sends_the_same_requests_and_leaves_no_files(tmp_path: Path) -> None:
    sequences = []
    for _ in range(2):
        log: list[str] = []
        with serving(_recording(create_app(), log)) as url:
            result = run(
                "--base-url", url, "--read-only", "--operation", "fetchAllCustomers", "--max-examples", "15",
                "--seed", "12", cwd=tmp_path,
            )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        sequences.append(log)
    assert sequences[0] == sequences[1]
    assert list(tmp_path.iterdir()) == [], "the run left files in the current directory"


def test_env_prefix_inside_a_value_warns_with_the_working_spelling() -> None:
    args = ("--base-url", closed_port_url(), "--operation", "noSuchOp", "-H", "Authorization: Bearer env:TOKEN")
    result = run(*args)
    assert result.returncode == 2
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "customers-contract: warning: header 'Authorization' sends env:TOKEN literally (env: is read only as the "
        "whole value); did you mean 'Authorization: Bearer ${TOKEN}'?"
    ]


def _always_broken_app(received: list[str]) -> Starlette:
    async def anything(request: Request) -> PlainTextResponse:
        received.append(request.headers.get("authorization", ""))
        return PlainTextResponse(f"oops {request.headers.get('authorization')}", status_code=500)

    return Starlette(routes=[Route("/{path:path}", anything, methods=["GET", "POST", "PUT", "DELETE"])])


@pytest.mark.parametrize("spelling", ["env:CONTRACT_TOKEN", "${CONTRACT_TOKEN}"])
def test_header_secret_is_sent_but_never_printed(tmp_path: Path, spelling: str) -> None:
    received: list[str] = []
    junit = tmp_path / "report.xml"
    env = {**_environ(), "CONTRACT_TOKEN": SECRET}
    with serving(_always_broken_app(received)) as url:
        result = run(
            "--base-url", url, "--read-only", "--operation", "fetchAllCustomers", "--max-examples", "3",
            "-H", f"Authorization: Bearer {spelling}" if spelling.startswith("$") else f"Authorization: {spelling}",
            "--junit-xml", str(junit), env=env,
        )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert any(SECRET in value for value in received), "the header was not sent"
    everything = result.stdout + result.stderr + junit.read_text()
    assert SECRET not in everything
    # The reproduction still works when pasted: it names the variable instead of the value.
    assert "${CONTRACT_TOKEN}" in result.stdout
    assert "✗ not_a_server_error · GET /customers" in result.stdout


def _environ() -> dict[str, Any]:
    import os

    return {key: value for key, value in os.environ.items() if key != "CONTRACT_TOKEN"}


def test_python_dash_m_runs_the_same_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "contract_tests", "--base-url", "http://x", "--workers", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert_one_line_error(result, "--workers")


def test_a_target_that_does_not_speak_http_is_refused() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def answer_like_ssh() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(4096)
                connection.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")

    threading.Thread(target=answer_like_ssh, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        result = run("--base-url", url)
    finally:
        listener.close()
    assert_one_line_error(result, f"cannot reach {url}: it answered something that is not HTTP")
