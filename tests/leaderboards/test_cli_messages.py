"""What ``econ-leaderboard`` tells a user who is close: an id or board without its namespace or
mistyped is suggested ("did you mean"), a training result file submitted or validated as a
submission names ``--format mappo`` and the submission written beside it, and ``show`` prints
each board once and how to read their scores once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from econ_envs import ids
from econ_envs.ama import AMAParams, make_domain
from leaderboards import submit, table_submission
from leaderboards.boards import select
from leaderboards.cli import main
from leaderboards.render import score_notes

MSG = "econ_envs/MessageAllocation-v0"
REJECTED = "econ-leaderboard: rejected: "
KNOWN_IDS = ", ".join(ids())


def _rejected(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one line of a rejected command (status 2, nothing on stdout)."""
    assert main(list(argv)) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(REJECTED) and err.count("\n") == 1, err
    return err[len(REJECTED) : -1]


def _training_result(folder: Path, *, beside: bool) -> Path:
    """A ``policy_table.json`` as ``econ-baselines train`` writes it (the fields a conversion
    reads, and some it ignores), with its ``submission.json`` beside it if ``beside``."""
    folder.mkdir()
    path = folder / "policy_table.json"
    result = {"env_id": MSG, "table": [0, 1, 2], "method": "MAPPO", "training_seed": 0}
    path.write_text(json.dumps({**result, "config": {}, "table_source": "best verified table"}))
    if beside:
        submission = table_submission(MSG, [0, 1, 2], method="MAPPO", training_seeds=[0])
        (folder / "submission.json").write_text(json.dumps(submission))
    return path


@pytest.mark.parametrize("beside", [True, False], ids=["submission beside", "alone"])
@pytest.mark.parametrize("command", ["submit", "validate"])
def test_a_training_result_file_names_the_format_and_the_submission_beside_it(
    command: str, beside: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _training_result(tmp_path / "run", beside=beside)
    results = tmp_path / "results"
    argv = ["submit", "--env", MSG, "--file", str(path), "--no-track"]
    message = _rejected(
        capsys, "--results", str(results), *(argv if command == "submit" else [command, str(path)])
    )
    alternative = f", or use {path.with_name('submission.json')} (the submission beside it)"
    assert message == (
        f"{path} is a result file of `econ-baselines train`, not a submission: submit it with "
        f"--format mappo{alternative if beside else ''}"
    )
    assert not results.exists()


def test_a_bilevel_result_file_names_its_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = {
        "env": "econ_envs/SequentialSales-v0",
        "domain_config": {"domain": "SequentialSales", "n_agents": 3, "n_items": 2},
        "method": "grid",
        "seed": 0,
        "params": AMAParams.vcg(make_domain("SequentialSales").mdp).to_dict(),
    }
    path = tmp_path / "bilevel.json"
    path.write_text(json.dumps(result))
    assert _rejected(capsys, "validate", str(path)) == (
        f"{path} is a result file of `econ-baselines bilevel`, not a submission: submit it with "
        "--format bilevel"
    )


def test_a_submission_that_is_no_result_file_keeps_its_own_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"env_id": MSG, "table": [0, 1, 2], "extra": 1}))
    message = _rejected(capsys, "validate", str(path))
    assert message.startswith("submission does not match the schema at (top level): ")


def test_submit_suggests_the_id_with_its_namespace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "submission.json"
    path.write_text(json.dumps(table_submission(MSG, [0, 1, 2], method="identity")))
    message = _rejected(
        capsys, "submit", "--env", "MessageAllocation-v0", "--file", str(path), "--no-track"
    )
    assert message == (
        f"env_id='MessageAllocation-v0' is not an econ_envs id (did you mean {MSG!r}?); "
        f"known ids: {KNOWN_IDS}"
    )


@pytest.mark.parametrize(
    ("query", "meant"),
    [("MSPM", "MSPM-v0"), ("econ_envs/mspm", "MSPM-v0"), ("MSPM-v0/n_types4", "MSPM-v0/n_types-4")],
)
def test_show_suggests_the_board(
    query: str, meant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    message = _rejected(capsys, "show", query)
    assert message.startswith(f"no board matches {query!r} (did you mean {meant!r}?); boards: ")


def test_show_prints_each_board_once_and_how_to_read_them_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    default, one, two = select("MessageAllocation-v0")
    for board, table in ((default, [0, 1, 2]), (two, [0, 1])):
        entry = table_submission(MSG, table, method="identity", env_kwargs=dict(board.env_kwargs))
        submit(entry, results_dir=tmp_path, wandb_dir=None)
    monkeypatch.setenv("COLUMNS", "1000")  # no wrapped lines
    assert main(["--results", str(tmp_path), "show", "MessageAllocation-v0"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    titles = [line.strip() for line in lines if line.strip().startswith("MessageAllocation-v0/")]
    assert titles == [default.key, one.key, two.key]  # each table once
    assert out.count("no submissions yet") == 1  # n_messages-1
    notes = score_notes(default)
    assert notes == score_notes(two)
    assert lines[-len(notes) :] == [f"  {note}" for note in notes]  # once, after the boards
    assert all(out.count(note) == 1 for note in notes)
