"""Leaderboard records on a real disk: bad files are skipped with a warning naming them, NaN never
ranks first, killed writers leave nothing visible, storage failures are storage errors, W&B runs
are re-logged by ``econ-leaderboard sync``, and identical resubmissions are listed once."""

from __future__ import annotations

import json
import math
import os
import resource
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from leaderboards import find_board, load_records, rank, submit, table_submission
from leaderboards.cli import main
from leaderboards.records import RecordWarning, StorageError, read_record
from leaderboards.render import render
from leaderboards.wandb_log import run_folders, run_state
from tests import ROOT
from tests.wandb_files import wandb_written

MSG = "econ_envs/MessageAllocation-v0"
BOARD = ("MessageAllocation-v0", "default")


def identity(method: str = "identity", table: list | None = None) -> dict:
    return table_submission(MSG, table or [0, 1, 2], method=method, steps=1234)


@pytest.fixture
def results(tmp_path: Path) -> Path:
    """A results root holding one valid record (identity table, score 1)."""
    root = tmp_path / "results"
    submit(identity(), results_dir=root, wandb_dir=None)
    return root


def folder(root: Path, board: tuple[str, str] = BOARD) -> Path:
    return root.joinpath(*board)


def good_record(root: Path) -> dict:
    (path,) = folder(root).glob("*.json")
    return json.loads(path.read_text())


def edited(change: Callable[[dict], None]) -> Callable[[Path, Path], None]:
    """A bad file: the valid record with ``change`` applied, written next to it."""

    def write(root: Path, path: Path) -> None:
        record = good_record(root)
        change(record)
        path.write_text(json.dumps(record))

    return write


def replaced(old: str, new: str) -> Callable[[Path, Path], None]:
    """A bad file: the valid record's JSON text with ``old`` replaced by ``new``."""

    def write(root: Path, path: Path) -> None:
        text = json.dumps(good_record(root))
        assert old in text
        path.write_text(text.replace(old, new, 1))

    return write


def _link_to_copy(root: Path, path: Path) -> None:
    elsewhere = root.parent / "elsewhere.json"
    elsewhere.write_text(json.dumps(good_record(root)))
    path.symlink_to(elsewhere)


def _set(*keys: str, value: object) -> Callable[[dict], None]:
    def change(record: dict) -> None:
        target = record
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


BAD_FILES: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "stray directory": (lambda root, path: path.mkdir(), "it is a folder"),
    "dangling symlink": (
        lambda root, path: path.symlink_to(root / "nowhere.json"),
        "it is a symbolic link",
    ),
    "training.steps a string": (
        edited(_set("training", "steps", value="1234")),
        "training/steps",
    ),
    "curve not a list": (edited(_set("training", "curve", value="up and up")), "training/curve"),
    "curve points of strings": (
        edited(_set("training", "curve", value=[["0", "x"], [1]])),
        "training/curve",
    ),
    "NaN score": (replaced('"score": 1.0', '"score": NaN'), "contains NaN"),
    "infinite score": (replaced('"score": 1.0', '"score": Infinity'), "contains Infinity"),
    "overflowing score": (replaced('"score": 1.0', '"score": 1e999'), "contains 1e999"),
    "negative infinite regret": (replaced('"regret": 0.0', '"regret": -1e400'), "contains -1e400"),
    "non-UTF-8 bytes": (
        lambda root, path: path.write_bytes(b'{"method": "caf\xe9"}'),
        "is not UTF-8 text (invalid continuation byte at byte 15)",
    ),
    "UTF-16 text": (
        lambda root, path: path.write_text(json.dumps(good_record(root)), encoding="utf-16"),
        "byte-order mark",
    ),
    "UTF-8 with a byte-order mark": (
        lambda root, path: path.write_text(json.dumps(good_record(root)), encoding="utf-8-sig"),
        "byte-order mark",
    ),
    "a link to a valid record outside the tree": (
        lambda root, path: _link_to_copy(root, path),
        "it is a symbolic link",
    ),
    "training.steps of 401 digits": (
        replaced('"steps": 1234', '"steps": 1' + "0" * 400),
        "an integer of 401 digits: numbers must be in float range",
    ),
    "not an object": (lambda root, path: path.write_text("[1, 2, 3]"), "schema"),
    "evaluation garbage": (edited(_set("evaluation", value={"per_seed": "x"})), "evaluation"),
    "fields disagree with the submission": (
        edited(_set("method", value="someone else")),
        "disagree",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_is_skipped_with_a_warning_naming_it(
    name: str, results: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, reason = BAD_FILES[name]
    bad = folder(results) / "zz-bad.json"
    make(results, bad)
    board = find_board(MSG, {})
    with pytest.warns(RecordWarning) as caught:
        records = load_records(board, results)
    assert [r["method"] for r in records] == ["identity"]
    (warning,) = caught
    assert str(bad) in str(warning.message) and reason in str(warning.message)

    assert main(["--results", str(results), "show", MSG]) == 0
    out, err = capsys.readouterr()
    assert "identity" in out and "1.0000" in out
    assert f"econ-leaderboard: warning: skipped: {bad} is not a valid result record" in err

    assert main(["--results", str(results), "render", "--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    assert str(bad) in err
    readme = (tmp_path / "out" / "README.md").read_text()
    assert "| 1 | identity | 1.0000 |" in readme


def test_a_record_copied_from_another_board_is_skipped(results: Path) -> None:
    (path,) = folder(results).glob("*.json")
    other = folder(results, ("MessageAllocation-v0", "n_messages-2"))
    other.mkdir(parents=True)
    copy = other / path.name
    shutil.copy(path, copy)
    doctored = other / "doctored.json"  # the board fields rewritten to the other board's
    record = json.loads(path.read_text())
    record.update(board="MessageAllocation-v0/n_messages-2", env_kwargs={"n_messages": 2})
    doctored.write_text(json.dumps(record))
    with pytest.warns(RecordWarning) as caught:
        assert load_records(find_board(MSG, {"n_messages": 2}), results) == []
    messages = {str(w.message).split()[1]: str(w.message) for w in caught}
    assert "disagree with its own submission" in messages[str(doctored)]
    assert "a record of board MessageAllocation-v0/default, not of " in messages[str(copy)]
    assert len(load_records(find_board(MSG, {}), results)) == 1  # the original still counts


@pytest.mark.parametrize("higher_is_better", [True, False])
def test_nan_never_ranks_first(higher_is_better: bool) -> None:
    env = MSG if higher_is_better else "econ_envs/TaskScheduling-v0"
    board = find_board(env, {})
    assert board.higher_is_better == higher_is_better
    records = [
        {"score": math.nan, "regret": 0.0, "timestamp": "2026-01-01", "method": "nan"},
        {"score": -math.inf, "regret": 0.0, "timestamp": "2026-01-02", "method": "-inf"},
        {"score": math.inf, "regret": 0.0, "timestamp": "2026-01-03", "method": "inf"},
        {"score": 0.5, "regret": math.nan, "timestamp": "2026-01-04", "method": "nan regret"},
        {"score": 0.5, "regret": 0.1, "timestamp": "2026-01-05", "method": "finite"},
    ]
    ranked = [r["method"] for r in rank(records, board)]
    assert ranked[:2] == ["finite", "nan regret"]
    assert set(ranked[2:]) == {"nan", "inf", "-inf"}


def _kill_during_write(root: Path) -> None:
    """Run the real ``write_record`` in a process that is killed just before its rename."""
    script = (
        "import os, signal, json, sys\n"
        "from leaderboards import records\n"
        "os.replace = lambda a, b: os.kill(os.getpid(), signal.SIGKILL)\n"
        "records.write_record(json.loads(sys.stdin.read()), sys.argv[1])\n"
    )
    record = good_record(root)
    process = subprocess.run(
        [sys.executable, "-c", script, str(root)],
        input=json.dumps(record),
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert process.returncode == -9


def test_a_killed_writer_leaves_a_git_ignored_temporary_that_the_next_write_removes(
    results: Path,
) -> None:
    _kill_during_write(results)
    (left,) = folder(results).glob(".*.tmp")
    assert json.loads(left.read_text())["method"] == "identity"  # the whole text, not renamed
    with warnings.catch_warnings():
        warnings.simplefilter("error", RecordWarning)  # a temporary is never read as a record
        assert len(load_records(find_board(MSG, {}), results)) == 1
    ignored = ROOT / "leaderboards" / "results" / "MSPM-v0" / "default" / left.name
    check = subprocess.run(["git", "check-ignore", "-q", str(ignored)], cwd=ROOT, check=False)
    assert check.returncode == 0, "temporaries under leaderboards/results must be git-ignored"

    fresh = folder(results) / ".live-writer.tmp"  # a write in progress is left alone
    fresh.write_text("{")
    an_hour_ago = time.time() - 3600
    os.utime(left, (an_hour_ago, an_hour_ago))
    submit(identity("second"), results_dir=results, wandb_dir=None)
    assert sorted(p.name for p in folder(results).glob(".*.tmp")) == [".live-writer.tmp"]


def _cli_in_subprocess(args: list[str], **popen: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "leaderboards.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        **popen,
    )


def test_disk_full_is_a_storage_error_naming_the_folder_and_leaves_nothing(tmp_path: Path) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(identity()))
    root = tmp_path / "results"
    board = folder(root)
    board.mkdir(parents=True)

    def small_disk() -> None:  # the kernel refuses any file past 1 KiB: EFBIG, like ENOSPC
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    args = ["--results", str(root), "submit", "--env", MSG, "--file", str(policy), "--no-track"]
    done = _cli_in_subprocess(args, preexec_fn=small_disk)
    assert done.returncode == 3, done.stderr
    assert f"econ-leaderboard: storage error: could not write {board}: File too large" in (
        done.stderr
    )
    assert "rejected" not in done.stderr
    assert [p.name for p in board.iterdir()] == [".lock"]  # no record, no temporary


def test_an_unwritable_results_folder_is_a_storage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(identity()))
    blocker = tmp_path / "results"
    blocker.write_text("a file where the results folder should be")
    args = ["--results", str(blocker), "submit", "--env", MSG, "--file", str(policy)]
    assert main([*args, "--no-track"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("econ-leaderboard: storage error: could not write ")
    assert str(blocker) in err and "rejected" not in err
    with pytest.raises(StorageError, match="could not write"):
        render(tmp_path / "none", blocker / "out")


def test_an_unwritable_wandb_folder_keeps_the_record_and_sync_logs_its_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_SILENT", "true")
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(identity()))
    root, runs = tmp_path / "results", tmp_path / "runs"
    runs.write_text("a file where the W&B folder should be")
    args = ["--results", str(root), "submit", "--env", MSG, "--file", str(policy)]
    assert main([*args, "--wandb-dir", str(runs)]) == 3
    err = capsys.readouterr().err
    assert "econ-leaderboard: storage error: the record " in err
    assert "was written, but not its W&B run" in err and "econ-leaderboard sync" in err
    (record,) = load_records(find_board(MSG, {}), root)
    runs.unlink()
    assert main(["--results", str(root), "sync", "--wandb-dir", str(runs)]) == 0
    out = capsys.readouterr().out
    assert "missing W&B run re-logged" in out and "1 W&B runs re-logged" in out
    assert wait_whole(record, runs)


def wait_whole(record: dict, runs: Path) -> bool:
    """Whether the record's offline run is whole, read once W&B has written it (its service may
    still be writing after ``run.finish()``)."""
    wandb_written()
    return run_state(record, runs) == "whole"


def test_sync_relogs_a_missing_and_a_truncated_run_and_then_has_nothing_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_SILENT", "true")
    root, runs = tmp_path / "results", tmp_path / "runs"
    logged = submit(identity("logged"), results_dir=root, wandb_dir=runs).record
    killed = submit(identity("killed before logging"), results_dir=root, wandb_dir=None).record
    assert wait_whole(logged, runs) and run_state(killed, runs) == "missing"
    (run_file,) = run_folders(logged, runs)[0].glob("run-*.wandb")
    data = run_file.read_bytes()
    run_file.write_bytes(data[: len(data) // 2])  # killed while W&B was writing
    assert run_state(logged, runs) == "truncated"

    sync = ["--results", str(root), "sync", "--wandb-dir", str(runs)]
    assert main(sync) == 0
    out = capsys.readouterr().out
    assert "truncated W&B run re-logged" in out and "missing W&B run re-logged" in out
    assert "checked 2 records: 2 W&B runs re-logged" in out
    assert wait_whole(logged, runs) and wait_whole(killed, runs)
    assert len(run_folders(logged, runs)) == 1  # the truncated run was replaced, not kept
    assert main(sync) == 0
    assert "checked 2 records: 0 W&B runs re-logged" in capsys.readouterr().out


def test_sync_refuses_online_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WANDB_MODE", "online")
    assert main(["--results", str(tmp_path), "sync", "--wandb-dir", str(tmp_path)]) == 2


def test_identical_resubmission_is_recognised_and_listed_once(
    results: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (first,) = folder(results).glob("*.json")
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(identity(table=[0.0, 1.0, 2.0])))  # the same table, as floats
    args = ["--results", str(results), "submit", "--env", MSG, "--file", str(policy)]
    assert main([*args, "--no-track"]) == 0
    out = capsys.readouterr().out
    assert (
        "MessageAllocation-v0/default: identity is already on the board with this table "
        "(recorded " in out
    )
    assert "leader value 1.0000; rank 1 of 1); nothing written (--force records it again)" in out
    assert f"record: {first}" in out
    assert list(folder(results).glob("*.json")) == [first]

    shutil.copy(first, folder(results) / "copy-of-the-same-record.json")
    submit(identity("another method"), results_dir=results, wandb_dir=None)
    assert main([*args, "--no-track", "--force"]) == 0  # recorded again, still listed once
    capsys.readouterr()
    methods = [r["method"] for r in load_records(find_board(MSG, {}), results)]
    assert sorted(methods) == ["another method", "identity"]
    assert len(list(folder(results).glob("*.json"))) == 4
    assert main(["--results", str(results), "show", MSG]) == 0
    assert capsys.readouterr().out.count("identity") == 1


def test_read_record_accepts_every_committed_record() -> None:
    paths = sorted((ROOT / "leaderboards" / "results").glob("*/*/*.json"))
    assert paths
    for path in paths:
        stored = read_record(path)
        assert stored.record["board"] == stored.submission.board.key
