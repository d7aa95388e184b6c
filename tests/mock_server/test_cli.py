"""`customers-mock` starts, announces its URL, logs requests, and fails in one line with a distinct code."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mock_server.cli import EXIT_FIXTURES, EXIT_LISTEN, EXIT_SPEC, EXIT_USAGE, build_parser, main


class RunningMock:
    def __init__(self, *flags: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mock_server", "--port", "0", *flags],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.banner = self.process.stdout.readline().strip()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", self.banner)
        assert match, (
            f"no URL in the banner {self.banner!r}; stderr: {self.process.stderr.read() if self.process.stderr else ''}"
        )
        self.url = match.group(0)

    def stop(self) -> tuple[str, str]:
        self.process.terminate()
        try:
            out, err = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - only when shutdown hangs
            self.process.kill()
            out, err = self.process.communicate()
        return out, err


@pytest.fixture
def mock_process(request: pytest.FixtureRequest) -> Iterator[RunningMock]:
    running = RunningMock(*getattr(request, "param", ()))
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.stop()


def test_it_serves_on_localhost_and_prints_one_banner_line_with_the_url(mock_process: RunningMock) -> None:
    response = httpx.get(f"{mock_process.url}/customers/cus-0001", timeout=10)

    assert response.status_code == 200
    assert response.json()["_links"]["self"]["href"] == f"{mock_process.url}/customers/cus-0001"
    assert mock_process.banner.startswith(f"customers-mock: serving {mock_process.url} (32 customers; seed 0)")
    out, _ = mock_process.stop()
    assert '"GET /customers/cus-0001 HTTP/1.1" 200' in out  # one access line per request by default


@pytest.mark.parametrize("mock_process", [("--no-access-log", "--generate", "250", "--seed", "4")], indirect=True)
def test_generated_dataset_and_quiet_log(mock_process: RunningMock) -> None:
    page = httpx.get(f"{mock_process.url}/customers?limit=100", timeout=10).json()

    assert "(250 customers; seed 4)" in mock_process.banner
    assert len(page["_embedded"]["nter:customers"]) == 100
    out, err = mock_process.stop()
    assert "GET /customers" not in out + err


def test_defaults_match_the_documented_interface() -> None:
    args = build_parser().parse_args([])

    assert (args.host, args.port, args.seed, args.generate, args.access_log) == ("127.0.0.1", 8000, 0, None, True)
    assert args.spec.name == "customers.openapi.yaml"
    assert (args.fixtures / "customers.yaml").is_file()


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["--port", "70000"], EXIT_USAGE, "invalid port '70000'"),
        (["--generate", "-5"], EXIT_USAGE, "invalid count '-5'"),
        (["--bogus"], EXIT_USAGE, "unrecognized arguments: --bogus"),
        (["--spec", "/nonexistent/spec.yaml"], EXIT_SPEC, "bad spec: cannot read the spec"),
        (["--fixtures", "/nonexistent"], EXIT_FIXTURES, "bad fixtures: the fixtures folder"),
    ],
)
def test_bad_input_is_one_line_and_a_distinct_exit_code(
    argv: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(argv))

    assert exit_info.value.code == code
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_bad_fixture_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.yaml").write_text("customers:\n  - label: no id\n", encoding="utf-8")

    assert main(["--fixtures", str(tmp_path)]) == EXIT_FIXTURES
    assert (
        capsys.readouterr().err
        == "customers-mock: bad fixtures: x.yaml: customers[0] needs a 'customer_id' (a non-empty string)\n"
    )


def test_a_busy_port_is_one_line(mock_process: RunningMock, capsys: pytest.CaptureFixture[str]) -> None:
    port = mock_process.url.rsplit(":", 1)[1]

    assert main(["--port", port]) == EXIT_LISTEN
    err = capsys.readouterr().err
    assert err.startswith(f"customers-mock: cannot listen on 127.0.0.1:{port}: ") and err.count("\n") == 1
