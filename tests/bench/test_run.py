from pathlib import Path

import pytest

from bench import run
from bench.tools import MissingTool, ensure_prism


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--parts", "1,5"], "--parts takes numbers from 1 to 4"),
        (["--parts", "one"], "--parts takes numbers from 1 to 4 separated by commas"),
        (["--threads", "4", "--connections", "2"], "--connections ≥ --threads"),
        (["--page-limit", "500"], "between 1 and 100"),
        (["--runs", "0"], "--runs at least 1"),
    ],
)
def test_wrong_options_exit_2_with_the_reason(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run.main(arguments)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_quick_shortens_every_load() -> None:
    args = run.parse_args(["--quick"])
    assert (args.duration, args.runs, args.warmup, args.parts) == (2.0, 1, 1.0, {1, 2, 3, 4})


def test_missing_wrk_exits_2_saying_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert run.main(["--parts", "3"]) == 2
    hint = "install it with `apt-get update && apt-get install -y wrk` (Debian/Ubuntu)"
    assert capsys.readouterr().err == f"bench: wrk is not installed: {hint}\n"


def test_prism_cannot_be_installed_without_node(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MissingTool, match=r"^node is not installed: install Node.js"):
        ensure_prism(tmp_path / "cache")
