"""A checkpoint is data: resuming from a file that carries code runs none of it, and a damaged or
mismatched checkpoint is one line (exit status 2) with nothing written."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import torch

from baselines.cli import main
from baselines.mappo.checkpoint import CHECKPOINT_NAME, Checkpoint
from baselines.mappo.config import TrainConfig
from baselines.mappo.safe_load import CheckpointError, load_checkpoint_data
from baselines.mappo.train import train


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished tiny run (its checkpoint, table and submission)."""
    config = TrainConfig(
        env_id="econ_envs/MessageAllocation-v0",
        total_steps=2000,
        run_dir=str(tmp_path_factory.mktemp("runs")),
        track=False,
        progress=False,
    )
    return train(config).run_dir


class _Payload:
    """What an attacker pickles: unpickling it would create ``canary``."""

    def __init__(self, canary: Path) -> None:
        self.canary = canary

    def __reduce__(self):
        return (os.system, (f"touch {self.canary}",))


def _copy(run_dir: Path, folder: Path) -> Path:
    """A copy of the finished run (without its lock) to damage or edit."""
    shutil.copytree(run_dir, folder, ignore=shutil.ignore_patterns(".lock"))
    return folder


def _resume(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    before = {p: p.stat().st_mtime_ns for p in folder.iterdir()}
    with pytest.raises(SystemExit) as stopped:
        main(["train", "--resume", str(folder), "--steps", "4000", "--no-track"])
    assert stopped.value.code == 2
    assert {p: p.stat().st_mtime_ns for p in folder.iterdir()} == before  # nothing written
    err = capsys.readouterr().err
    assert err.startswith("econ-baselines: error: --resume: ") and err.count("\n") == 1, err
    return err


def test_a_checkpoint_carrying_code_is_refused_without_running_it(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canary = tmp_path / "canary"
    folder = tmp_path / "shared-run"
    shutil.copytree(run_dir, folder, ignore=shutil.ignore_patterns(".lock"))
    data = dict(Checkpoint.load(folder).__dict__)
    torch.save({**data, "run_name": _Payload(canary)}, folder / CHECKPOINT_NAME)
    err = _resume(folder, capsys)
    assert "posix.system, which a checkpoint never holds" in err
    assert not canary.exists()
    with pytest.raises(CheckpointError):
        Checkpoint.load(folder)
    assert not canary.exists()


@pytest.mark.parametrize(
    "damage",
    ["truncated", "zero bytes", "random bytes", "JSON", "a policy table", "not a dict"],
)
def test_a_damaged_checkpoint_is_one_line(
    damage: str, run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(run_dir, tmp_path / "run")
    path = folder / CHECKPOINT_NAME
    whole = path.read_bytes()
    writes = {
        "truncated": lambda: path.write_bytes(whole[: len(whole) // 2]),
        "zero bytes": lambda: path.write_bytes(b""),
        "random bytes": lambda: path.write_bytes(os.urandom(4096)),
        "JSON": lambda: path.write_text(json.dumps({"config": {}})),
        "a policy table": lambda: shutil.copy(folder / "policy_table.json", path),
        "not a dict": lambda: torch.save([1, 2, 3], path),
    }
    writes[damage]()
    assert str(path) in _resume(folder, capsys)


@pytest.mark.parametrize(("key", "value"), [("hidden_sizes", [7]), ("num_envs", 7)])
def test_a_checkpoint_whose_config_no_longer_fits_its_weights_is_one_line(
    key: str, value: object, run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(run_dir, tmp_path / "run")
    checkpoint = Checkpoint.load(folder)
    checkpoint.config = {**checkpoint.config, key: value}
    checkpoint.save(folder)  # with the edited configuration's hash
    assert "does not fit its own configuration" in _resume(folder, capsys)


def test_a_configuration_edited_inside_the_checkpoint_is_refused(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(run_dir, tmp_path / "run")
    path = folder / CHECKPOINT_NAME
    data = load_checkpoint_data(path)
    data["config"]["learning_rate"] = 0.01
    torch.save(data, path)
    assert "was changed after the run wrote it" in _resume(folder, capsys)
    del data["config_sha256"]
    torch.save(data, path)
    assert "holds no hash of its configuration" in _resume(folder, capsys)


def test_a_setting_given_beside_resume_changes_it_and_is_printed(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(run_dir, tmp_path / "run")
    stored = Checkpoint.load(folder).config["learning_rate"]
    resumed = ["train", "--resume", str(folder), "--steps", "4000", "--no-track"]
    assert main([*resumed, "--learning-rate", "0.01", "--seed", "0"]) == 0
    out = capsys.readouterr().out
    assert f"resuming with --learning-rate 0.01 (was {stored!r})" in out
    assert "--seed" not in out  # the stored seed, repeated: no change
    checkpoint = Checkpoint.load(folder)  # the new configuration with its own hash
    assert checkpoint.config["learning_rate"] == 0.01 and checkpoint.global_step >= 4000


@pytest.mark.parametrize(
    ("option", "value"),
    [("--hidden-sizes", "7"), ("--seed", "3"), ("--env", "econ_envs/MSPM-v0")],
)
def test_a_setting_the_checkpoint_was_built_from_cannot_change(
    option: str, value: str, run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(run_dir, tmp_path / "run")
    before = {p: p.stat().st_mtime_ns for p in folder.iterdir()}
    with pytest.raises(SystemExit) as stopped:
        main(["train", "--resume", str(folder), option, value])
    assert stopped.value.code == 2
    assert {p: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"--resume: {option} cannot change when a run resumes" in err


@pytest.mark.parametrize("edit", ["a missing setting", "an unknown setting"])
def test_a_configuration_without_this_versions_settings_is_refused_even_rehashed(
    edit: str, run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(run_dir, tmp_path / "run")
    checkpoint = Checkpoint.load(folder)
    config = dict(checkpoint.config)
    if edit == "a missing setting":
        del config["gamma"]
    else:
        config["turbo"] = True
    checkpoint.config = config
    checkpoint.save(folder)  # with the edited configuration's own hash
    err = _resume(folder, capsys)
    assert "does not fit this version's settings" in err
    assert ("['gamma']" if edit == "a missing setting" else "['turbo']") in err
