"""Run folders never collide and a live run's folder is locked: two runs started in the same
second keep their own folders, and a second ``--resume`` of a running run stops with one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from baselines.cli import main
from baselines.mappo.config import TrainConfig
from baselines.mappo.run_folder import RunFolderInUse, claim_run_folder, run_folder_lock
from baselines.mappo.train import train


def test_a_name_taken_in_the_same_second_gets_the_next_free_folder(tmp_path: Path) -> None:
    claims = [claim_run_folder(tmp_path, "MSPM-v0__mappo__0__1796680000") for _ in range(3)]
    names = [name for name, _ in claims]
    assert names == [
        "MSPM-v0__mappo__0__1796680000",
        "MSPM-v0__mappo__0__1796680000-2",
        "MSPM-v0__mappo__0__1796680000-3",
    ]
    assert [folder for _, folder in claims] == [tmp_path / name for name in names]


def test_two_runs_in_the_same_second_write_two_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("time.time", lambda: 1796680000.0)  # both start in one second
    results = [
        train(
            TrainConfig(
                env_id="econ_envs/MessageAllocation-v0",
                total_steps=steps,
                run_dir=str(tmp_path),
                track=False,
                progress=False,
            )
        )
        for steps in (2000, 4000)
    ]
    first, second = (result.run_dir for result in results)
    assert (first.name, second.name) == (
        "MessageAllocation-v0__mappo__0__1796680000",
        "MessageAllocation-v0__mappo__0__1796680000-2",
    )
    assert [r.global_step for r in results] == [2046, 4092]
    for folder in (first, second):
        assert {"checkpoint.pt", "policy_table.json", "submission.json"} <= {
            p.name for p in folder.iterdir()
        }


def test_a_second_resume_of_a_running_run_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = TrainConfig(
        env_id="econ_envs/MessageAllocation-v0",
        total_steps=2000,
        run_dir=str(tmp_path),
        track=False,
        progress=False,
    )
    folder = train(config).run_dir
    with run_folder_lock(folder):  # the running run
        before = {p: p.stat().st_mtime_ns for p in folder.iterdir()}
        with pytest.raises(RunFolderInUse, match=f"pid {os.getpid()}"), run_folder_lock(folder):
            pass
        with pytest.raises(SystemExit) as stopped:
            main(["train", "--resume", str(folder), "--steps", "4000"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err == (
        f"econ-baselines: error: --resume: {folder} is in use by a training run that is still "
        f"running (pid {os.getpid()})\n"
    )
    assert {p: p.stat().st_mtime_ns for p in folder.iterdir()} == before
