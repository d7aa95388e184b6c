"""`customers-mock state dump|load|reset` against a running mock; one-line failures with distinct exit codes."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mock_server.cli import main
from mock_server.state_cli import EXIT_INPUT, EXIT_REFUSED, EXIT_UNREACHABLE, EXIT_USAGE
from tests.mock_server.conftest import NEW_CUSTOMER
from tests.mock_server.live import LiveMock, live_mock


@pytest.fixture(scope="module")
def mock() -> Iterator[LiveMock]:
    with live_mock("--no-access-log") as running:
        yield running


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["state", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_dump_reset_and_load_round_trip(mock: LiveMock, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    created = httpx.post(f"{mock.url}/customers", json=NEW_CUSTOMER, timeout=10).json()
    code, dumped, _ = run(capsys, "dump", "--url", mock.url)
    assert code == 0
    state_file = tmp_path / "state.json"
    state_file.write_text(dumped, encoding="utf-8")
    assert created["customer_id"] in [customer["customer_id"] for customer in json.loads(dumped)["customers"]]

    code, out, err = run(capsys, "reset", "--url", mock.url)
    assert (code, out, err) == (0, "", f"customers-mock state: {mock.url} is back to its fixtures\n")
    assert httpx.get(f"{mock.url}/customers/{created['customer_id']}", timeout=10).status_code == 404

    code, out, err = run(capsys, "load", str(state_file), "--url", mock.url)
    assert (code, out, err) == (0, "", f"customers-mock state: loaded {state_file} into {mock.url}\n")
    assert httpx.get(f"{mock.url}/customers/{created['customer_id']}", timeout=10).json() == created


def test_the_url_can_come_from_the_environment(
    mock: LiveMock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CUSTOMERS_MOCK_URL", mock.url)

    code, out, _ = run(capsys, "dump")

    assert code == 0 and json.loads(out)["customers"]


def test_a_state_the_mock_refuses_is_one_line_and_changes_nothing(
    mock: LiveMock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"customers": [{"label": "no id"}]}), encoding="utf-8")
    before = httpx.get(f"{mock.url}/__mock__/state", timeout=10).json()

    code, out, err = run(capsys, "load", str(bad), "--url", mock.url)

    assert code == EXIT_REFUSED and out == ""
    assert err == (
        f"customers-mock state: PUT {mock.url}/__mock__/state answered 400: "
        "state: customers[0] needs a 'customer_id' (a non-empty string)\n"
    )
    assert httpx.get(f"{mock.url}/__mock__/state", timeout=10).json() == before


@pytest.mark.parametrize(
    "content, message",
    [(None, "cannot read {file}: No such file or directory"), ("{oops", "{file} is not JSON: ")],
)
def test_an_unreadable_state_file_is_one_line(
    mock: LiveMock, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    file = tmp_path / "state.json"
    if content is not None:
        file.write_text(content, encoding="utf-8")

    code, _, err = run(capsys, "load", str(file), "--url", mock.url)

    assert code == EXIT_INPUT
    assert err.startswith("customers-mock state: " + message.format(file=file)) and err.count("\n") == 1


def test_no_mock_at_the_url_is_its_own_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port nothing listens on: bound, never listening
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
        code, out, err = run(capsys, "reset", "--url", url)

    assert code == EXIT_UNREACHABLE and out == ""
    assert err.startswith(f"customers-mock state: no mock answers at {url}/__mock__/reset: ")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["state", "shred"])

    assert exit_info.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("customers-mock state: argument {dump,load,reset}: invalid choice: 'shred'")
    assert err.count("\n") == 1
