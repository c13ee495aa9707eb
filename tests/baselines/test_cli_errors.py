"""``econ-baselines`` user errors: one line ``econ-baselines: error: ...`` naming the option, exit
status 2, no traceback; ``train`` checks ``--env`` and ``--env-kwargs`` before importing torch.
Every case runs the real command line in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import econ_envs
from econ_envs import AMA
from tests import ROOT

PREFIX = "econ-baselines: error: "
SALES, MSPM = "econ_envs/SequentialSales-v0", "econ_envs/MSPM-v0"


def cli(*argv: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """``python -m baselines.cli *argv`` from the repository root, with ``environment`` added."""
    command = [sys.executable, "-m", "baselines.cli", *argv]
    env = {**os.environ, **environment}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single error line of a failed run (after checking status 2, no traceback)."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(PREFIX), result.stderr
    return lines[0][len(PREFIX) :]


def test_train_refuses_an_ama_id_and_names_the_bilevel_command():
    message = one_line_error(cli("train", "--env", SALES))
    assert message.startswith("--env of `econ-baselines train` must be one of (")
    assert message.endswith(f"{SALES} is an AMA env: use `econ-baselines bilevel --env {SALES}`")


def test_bilevel_refuses_a_stackelberg_id_and_names_the_train_command():
    message = one_line_error(cli("bilevel", "--env", MSPM, "--no-track"))
    assert message == (
        "--env of `econ-baselines bilevel` must be one of ('econ_envs/SequentialSales-v0', "
        "'econ_envs/TaskScheduling-v0', 'econ_envs/GridworldAMA-v0'); econ_envs/MSPM-v0 is a "
        "Stackelberg POMDP env: use `econ-baselines train --env econ_envs/MSPM-v0`"
    )


def test_unknown_id_is_named():
    message = one_line_error(cli("train", "--env", "econ_envs/Nope-v0"))
    assert message.startswith("--env of `econ-baselines train` must be one of (")
    assert message.endswith("; got 'econ_envs/Nope-v0'")


#: the ids ``econ-baselines train`` takes, as its message lists them
TRAIN_IDS = (
    "('econ_envs/NormalForm-v0', 'econ_envs/Escape-v0', 'econ_envs/Maintain-v0', "
    "'econ_envs/MatrixDesign-v0', 'econ_envs/MessageAllocation-v0', 'econ_envs/MSPM-v0', "
    "'econ_envs/MSPM-Agrawal-v0', 'econ_envs/MSPM-Revenue-v0', 'econ_envs/Persuasion-v0', "
    "'econ_envs/LaneCoordination-v0')"
)


@pytest.mark.parametrize(
    ("command", "given", "hint"),
    [
        ("train", "MSPM-v0", "got 'MSPM-v0' (did you mean 'econ_envs/MSPM-v0'?)"),
        ("train", "econ_envs/mspm", "got 'econ_envs/mspm' (did you mean 'econ_envs/MSPM-v0'?)"),
        (
            "train",
            "SequentialSales-v0",
            f"got 'SequentialSales-v0' (did you mean {SALES!r}?); {SALES} is an AMA env: use "
            f"`econ-baselines bilevel --env {SALES}`",
        ),
        (
            "bilevel",
            "sequentialsales",
            f"got 'sequentialsales' (did you mean {SALES!r}?)",
        ),
    ],
)
def test_an_id_without_its_namespace_or_mistyped_is_suggested(command, given, hint):
    allowed = TRAIN_IDS if command == "train" else str(econ_envs.ids(AMA))
    message = one_line_error(cli(command, "--env", given, "--no-track"))
    assert message == f"--env of `econ-baselines {command}` must be one of {allowed}; {hint}"


def test_a_sweep_setting_without_the_namespace_is_suggested(tmp_path: Path) -> None:
    path = tmp_path / "sweep.yaml"
    path.write_text("name: s\nsettings: [{env_id: MSPM-v0}]\nalgorithms: [mappo]\n")
    message = one_line_error(cli("sweep", "--config", str(path)))
    assert message.startswith(f"{path}: settings[0].env_id must be one of 'econ_envs/Escape-v0'")
    assert message.endswith(", got 'MSPM-v0' (did you mean 'econ_envs/MSPM-v0'?)")


def test_bilevel_domain_option_the_domain_does_not_take():
    message = one_line_error(cli("bilevel", "--env", SALES, "--size", "3", "--no-track"))
    assert message == (
        f"--size: not an option of {SALES} (its options: --n-agents, --n-items, --distribution)"
    )


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--n-agents", "-1", "--n-agents must be an integer >= 1, got -1"),
        (
            "--distribution",
            "foo",
            "--distribution must be one of 'asymmetric', 'uniform', got 'foo'",
        ),
    ],
)
def test_bilevel_bad_domain_values_name_their_option(option, value, expected):
    assert one_line_error(cli("bilevel", "--env", SALES, option, value, "--no-track")) == expected


@pytest.mark.parametrize(
    ("env_kwargs", "expected"),
    [
        ('{"n_types": "x"}', "--env-kwargs: n_types must be an integer >= 1, got 'x' (str)"),
        ('{"dynamics": "foo"}', "--env-kwargs: dynamics must be one of "),
        ("[1]", "argument --env-kwargs: expected a JSON object {...}, got '[1]'"),
        ("{n_types: 3}", "argument --env-kwargs: invalid JSON ("),
    ],
)
def test_train_bad_env_keywords_name_env_kwargs(env_kwargs, expected):
    message = one_line_error(cli("train", "--env", MSPM, "--env-kwargs", env_kwargs))
    assert message.startswith(expected)


@pytest.mark.parametrize("option", ["--explore-eps", "--elite-fraction", "--elite-mutation"])
def test_train_config_errors_name_the_option_not_the_field(option):
    assert one_line_error(cli("train", option, "2")) == f"{option} must be in [0, 1], got 2.0"


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--learning-rate", "-1", "--learning-rate must be > 0 and finite, got -1.0"),
        ("--time-limit", "-1", "--time-limit must be > 0 seconds, got -1.0"),
        ("--clip", "-0.2", "--clip must be > 0 and finite, got -0.2"),
        ("--seed", "-1", "--seed must be between 0 and 4294967295 (2**32 - 1), got -1"),
    ],
)
def test_out_of_range_training_values_are_one_line(option, value, expected):
    """Before: a 41-line traceback (learning rate), or accepted (time limit, clip, seed)."""
    assert one_line_error(cli("train", option, value, "--no-track")) == expected


@pytest.mark.parametrize("steps", ["inf", "x"])
def test_train_steps_must_be_a_whole_number(steps):
    assert one_line_error(cli("train", "--steps", steps)) == (
        f"argument --steps: expected a whole number (like 2e6), got '{steps}'"
    )


def test_missing_resume_checkpoint(tmp_path):
    missing = tmp_path / "nowhere"
    assert one_line_error(cli("train", "--resume", str(missing))) == (
        f"--resume: no checkpoint at {missing}"
    )


def test_train_env_errors_come_before_torch_is_imported():
    probe = (
        "import sys\n"
        "from baselines.cli import main\n"
        "try:\n"
        f"    main(['train', '--env', {SALES!r}])\n"
        "except SystemExit as stop:\n"
        "    print(stop.code, 'torch' in sys.modules, 'tianshou' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.stdout.split() == ["2", "False", "False"], result.stderr
    assert result.stderr.startswith(PREFIX + "--env of `econ-baselines train`")


@pytest.mark.parametrize("blocked", ["a file in its place", "a read-only folder"])
def test_a_wandb_folder_that_cannot_be_written_is_one_line_before_the_run_starts(
    blocked: str, tmp_path: Path
) -> None:
    """W&B itself would fall back silently to a folder in the system's temporary directory."""
    wandb_dir = tmp_path / "tracking"
    if blocked == "a file in its place":
        wandb_dir.write_text("not a folder")
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        wandb_dir.mkdir(mode=0o500)
    runs = tmp_path / "runs"
    result = cli("train", "--steps", "2000", "--run-dir", str(runs), WANDB_DIR=str(wandb_dir))
    assert one_line_error(result) == (
        f"W&B runs cannot be written to {wandb_dir / 'wandb'} "
        f"({'Not a directory' if wandb_dir.is_file() else 'Permission denied'}): set WANDB_DIR "
        "to a writable folder, or run without tracking (--no-track)"
    )
    assert not runs.exists()
