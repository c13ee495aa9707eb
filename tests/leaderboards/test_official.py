"""The two roots of a board: the official records shipped with the package (read, never written)
and the user's results folder (``--results``, ``$ECON_LEADERBOARD_RESULTS``, ``./leaderboard``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import leaderboards
from leaderboards import find_board, load_records, records, submit, table_submission
from leaderboards.cli import main

MSG = "econ_envs/MessageAllocation-v0"
#: the shipped official records (the package's own folder; this file's conftest empties it)
SHIPPED = Path(leaderboards.__file__).with_name("results")


@pytest.fixture
def official(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real official records, as an installed package reads them."""
    monkeypatch.setattr(records, "OFFICIAL_RESULTS_DIR", SHIPPED)
    return SHIPPED


def listing(root: Path) -> list[Path]:
    return sorted(root.rglob("*"))


def shipped_methods(env_id: str) -> set[str]:
    folder = SHIPPED / env_id.split("/")[-1] / "default"
    return {json.loads(path.read_text())["method"] for path in folder.glob("*.json")}


def test_a_board_shows_the_official_records_and_the_users_new_one(
    official: Path, tmp_path: Path
) -> None:
    before = listing(official)
    board = find_board(MSG, {})
    assert {r["method"] for r in load_records(board, tmp_path)} == shipped_methods(MSG)
    result = submit(
        table_submission(MSG, [0, 1, 1], method="mine"), results_dir=tmp_path, wandb_dir=None
    )
    assert result.path.is_relative_to(tmp_path) and not result.duplicate
    ranked = load_records(board, tmp_path)
    assert {r["method"] for r in ranked} == shipped_methods(MSG) | {"mine"}
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    assert listing(official) == before  # nothing written inside the package


def test_an_official_entry_resubmitted_is_already_on_the_board(
    official: Path, tmp_path: Path
) -> None:
    shipped = next((official / "MessageAllocation-v0" / "default").glob("*.json"))
    data = json.loads(shipped.read_text())["submission"]
    result = submit(data, results_dir=tmp_path, wandb_dir=None)
    assert result.duplicate and result.path == shipped
    assert listing(tmp_path) == []


def test_the_results_folder_defaults_to_the_variable_then_the_working_directory(
    official: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(records.RESULTS_ENV, raising=False)
    assert records.user_results_dir() == Path("leaderboard")
    first = submit(table_submission(MSG, [0, 0, 0], method="cwd"), wandb_dir=None)
    assert first.path.resolve().is_relative_to(tmp_path / "leaderboard")
    monkeypatch.setenv(records.RESULTS_ENV, str(tmp_path / "elsewhere"))
    second = submit(table_submission(MSG, [1, 1, 1], method="variable"), wandb_dir=None)
    assert second.path.is_relative_to(tmp_path / "elsewhere")
    # the official folder given as --results is read once, not twice
    assert len(records.record_roots(official)) == 1


def test_render_writes_into_the_results_folder_by_default(
    official: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "results"
    assert main(["--results", str(results), "render"]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {results / 'README.md'} and ")
    readme = (results / "README.md").read_text()
    assert all(method in readme for method in shipped_methods(MSG))
    assert (results / "plots").is_dir() and not (SHIPPED.parent / "README.md").samefile(
        results / "README.md"
    )
