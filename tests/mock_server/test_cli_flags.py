"""The frontend flags of `customers-mock`: parsed into settings, and bad values refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_server.cli import EXIT_STORE, EXIT_USAGE, build_parser, main, settings_from

NO_SPEC = ["--spec", "no-such-folder/no-such-spec.yaml"]


def test_the_frontend_flags_reach_the_settings() -> None:
    args = build_parser().parse_args(
        [
            "--cors-origin",
            "http://localhost:5173/",
            "--cors-origin",
            "https://app.example.com",
            "--latency",
            "100-400ms",
            "--require-auth",
            "--store",
            "sqlite:state.db",
        ]
    )

    settings = settings_from(args)

    assert settings.cors is True
    assert settings.cors_origins == ("http://localhost:5173", "https://app.example.com")
    assert (settings.latency, settings.require_auth, settings.store) == ("100-400ms", True, "sqlite:state.db")


def test_the_defaults_are_cors_on_no_latency_no_auth_and_memory() -> None:
    settings = settings_from(build_parser().parse_args([]))

    assert (settings.cors, settings.cors_origins, settings.latency) == (True, (), None)
    assert (settings.require_auth, settings.store) == (False, "memory")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--latency", "fast"], "argument --latency: 'fast' is not a delay: use e.g. 200ms, 1.5s or a range"),
        (["--latency", "90s"], "argument --latency: '90s': delays are limited to 60s"),
        (["--cors-origin", "localhost:5173"], "invalid origin 'localhost:5173': use scheme://host[:port]"),
        (["--store", "redis://x"], "invalid store 'redis://x': use memory or sqlite:PATH"),
        (["--store", "sqlite:"], "invalid store 'sqlite:': use memory or sqlite:PATH"),
        (["--workers", "0"], "invalid worker count '0': use 1-64"),
        (["state"], "customers-mock state: the following arguments are required"),
        # `--spec` at a missing file: were the flags accepted, the mock would stop at once instead of serving.
        (["--latency", "250", *NO_SPEC], "argument --latency: '250' has no unit: write 250ms or 250s"),
        (["--latency", "-5ms", *NO_SPEC], "argument --latency: '-5ms': a delay cannot be negative"),
        (["--latency=-5ms", *NO_SPEC], "argument --latency: '-5ms': a delay cannot be negative"),
        (["--no-cors", "--cors-origin", "http://x.test", *NO_SPEC], "--cors-origin needs CORS, which --no-cors turns"),
    ],
)
def test_bad_values_are_one_line_and_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)

    assert exit_info.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_file_that_is_no_database_is_exit_6(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("shopping list\n" * 200, encoding="utf-8")

    assert main(["--store", f"sqlite:{not_a_db}"]) == EXIT_STORE
    assert capsys.readouterr().err == (
        f"customers-mock: bad store: cannot use '{not_a_db}' as a SQLite store: file is not a database\n"
    )


def test_no_cors_alone_turns_cors_off() -> None:
    assert settings_from(build_parser().parse_args(["--no-cors"])).cors is False


def test_a_store_in_a_missing_folder_is_exit_6_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-folder" / "deeper"

    # An unusable host: were the store accepted, the mock would stop at listening instead of serving.
    assert main(["--store", f"sqlite:{missing / 'state.db'}", "--host", "256.0.0.1"]) == EXIT_STORE
    err = capsys.readouterr().err
    assert err == (
        f"customers-mock: bad store: cannot use '{missing / 'state.db'}' as a SQLite store:"
        f" the folder '{missing}' does not exist\n"
    )
    assert not (tmp_path / "no-such-folder").exists()
