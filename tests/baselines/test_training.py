"""End-to-end training: Escape and MSPM are solved, the W&B run holds the metrics, the step
budget is exact, runs resume, and a killed run resumes to the same end as an uninterrupted one."""

from __future__ import annotations

import json
import math
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from baselines.cli import main
from baselines.mappo.checkpoint import Checkpoint
from baselines.mappo.config import TrainConfig
from baselines.mappo.train import SUBMISSION_NAME, TABLE_NAME, TrainingRun, train
from econ_envs.policy_table import evaluate_table_seeds
from tests import ROOT
from tests.wandb_files import offline_history

ROLLOUT = 6400  # 64 envs x one 100-step Escape episode each


def _config(run_dir: Path, **overrides) -> TrainConfig:
    fields = {
        "env_id": "econ_envs/Escape-v0",
        "seed": 1,
        "num_envs": 64,
        "rollout_steps": ROLLOUT,
        "total_steps": 2 * ROLLOUT,
        "learning_rate": 3e-3,
        "eval_every": ROLLOUT,
        "stop_when_solved": False,
        "run_dir": str(run_dir),
        "progress": False,
        **overrides,
    }
    return TrainConfig(**fields)


@pytest.fixture(scope="module")
def escape_run(tmp_path_factory: pytest.TempPathFactory):
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_SILENT", "true")
    root = tmp_path_factory.mktemp("escape")
    monkeypatch.setenv("WANDB_DIR", str(root))  # the one folder of every W&B run
    config = _config(root)
    initial = TrainingRun(config, None).score()  # the untrained deterministic policy of this seed
    result = train(config, run_dir=root / "run")
    yield initial, result
    monkeypatch.undo()


def test_short_escape_training_reaches_the_optimum(escape_run):
    initial, result = escape_run
    assert initial.value < 1.0  # the untrained leader is not already optimal
    assert result.score.value == 1.0 and result.score.regret == 0.0
    assert result.score.table.tolist() == [2]  # commit to the row of the (30, 30) cell
    assert result.solved_at is not None and result.global_step == 2 * ROLLOUT
    document = json.loads((result.run_dir / TABLE_NAME).read_text())
    assert document["table"] == [2] and document["score"]["value"] == 1.0
    assert document["training_steps"] == 2 * ROLLOUT and document["method"] == "MAPPO"


def test_exported_submission_follows_the_leaderboard_schema(escape_run):
    jsonschema = pytest.importorskip("jsonschema")
    _, result = escape_run
    schema_path = ROOT / "leaderboards" / "schema" / "submission.schema.json"
    schema = json.loads(schema_path.read_text())
    submission = json.loads((result.run_dir / SUBMISSION_NAME).read_text())
    jsonschema.validate(submission, schema)
    assert submission["table"] == [2] and submission["env_id"] == "econ_envs/Escape-v0"
    assert [step for step, _ in submission["training"]["curve"]] == [ROLLOUT, 2 * ROLLOUT]
    assert submission["training"]["curve"][-1][1] == 1.0


def test_offline_wandb_run_holds_the_metrics(escape_run):
    _, result = escape_run
    runs = list((result.run_dir.parent / "wandb").glob("offline-run-*"))
    assert len(runs) == 1
    history, config = offline_history(next(runs[0].glob("run-*.wandb")))
    assert [row["_step"] for row in history] == [ROLLOUT, 2 * ROLLOUT]
    for name in (
        "econ/leader_return",
        "econ/follower_regret",
        "econ/optimality_gap",
        "charts/SPS",
        "losses/policy_loss",
        "losses/value_loss",
        "eval/value",
    ):
        assert all(name in row for row in history), name
    assert history[-1]["econ/optimality_gap"] == 0.0 and history[-1]["eval/value"] == 1.0
    assert 0.0 <= history[0]["econ/leader_return"] <= 1.0
    assert "git_commit" in config and config["env_id"] == "econ_envs/Escape-v0"


def test_resume_continues_the_step_count_and_the_wandb_run(escape_run, capsys):
    _, result = escape_run
    before = Checkpoint.load(result.run_dir)
    assert (before.global_step, before.updates) == (2 * ROLLOUT, 2)
    code = main(["train", "--resume", str(result.run_dir), "--steps", str(3 * ROLLOUT)])
    assert code == 0
    after = Checkpoint.load(result.run_dir)
    assert (after.global_step, after.updates) == (3 * ROLLOUT, 3)
    assert after.wall_clock > before.wall_clock
    assert after.run_name == before.run_name and after.wandb_run_id == before.wandb_run_id
    document = json.loads((result.run_dir / TABLE_NAME).read_text())
    assert document["training_steps"] == 3 * ROLLOUT and document["score"]["value"] == 1.0
    assert "value 1.0000" in capsys.readouterr().out
    # the resumed part is a second offline part of the same W&B run, continuing its steps
    parts = sorted((result.run_dir.parent / "wandb").glob("offline-run-*"))
    assert len(parts) == 2
    # (W&B appends "-1" to the second part's folder when both start within the same second)
    named = re.compile(rf"offline-run-\d{{8}}_\d{{6}}-{before.wandb_run_id}(-\d+)?")
    assert all(named.fullmatch(part.name) for part in parts), parts
    history, _ = offline_history(next(parts[-1].glob("run-*.wandb")))
    assert [row["_step"] for row in history] == [3 * ROLLOUT]


def test_training_is_reproducible_from_its_seed(tmp_path):
    # two epochs of four shuffled minibatches (the preset: 80 minibatch steps) suffice
    config = _config(tmp_path, total_steps=ROLLOUT, track=False, update_epochs=2, num_minibatches=4)
    runs = [train(config, run_dir=tmp_path / name) for name in ("first", "second")]
    first, second = (Checkpoint.load(run.run_dir).algorithm for run in runs)
    assert first.keys() == second.keys()
    for key, value in first.items():
        if isinstance(value, torch.Tensor):
            assert torch.equal(value, second[key]), key
    assert runs[0].score.table.tolist() == runs[1].score.table.tolist()


def test_command_line_options_map_onto_the_config():
    import argparse

    from baselines.mappo.cli import add_arguments, config_from_args

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(
        [
            "--env",
            "econ_envs/MessageAllocation-v0",
            "--env-kwargs",
            '{"n_messages": 2}',
            "--algo",
            "ppo",
            "--steps",
            "2e6",
            "--learning-rate",
            "1e-3",
            "--basic-pomdp",
            "--hidden-sizes",
            "32",
            "32",
        ]
    )
    config = config_from_args(args)
    assert config.total_steps == 2_000_000 and config.learning_rate == 1e-3
    assert config.env_kwargs == {"n_messages": 2} and config.algo == "ppo"
    assert config.basic_pomdp and config.hidden_sizes == (32, 32)
    # the preset's rollout: 15 published rollouts of (1 + response / reward plays) x 2048 steps
    assert config.gamma == 1.0 and config.rollout_steps == 15 * int((1 + 33 * 2 / 30) * 2048)
    assert config.num_envs == config.rollout_steps // (33 * 2 + 30)  # one episode each
    with pytest.raises(SystemExit):
        parser.parse_args(["--steps", "1.5"])


@pytest.mark.slow
def test_mspm_optimum_is_found_and_its_reported_score_is_the_evaluators(tmp_path):
    # the flagship: MSPM, 3 types, 2 messages, the preset (the reference method), seed 0
    config = TrainConfig(
        env_id="econ_envs/MSPM-v0",
        env_kwargs={"n_types": 3},
        total_steps=2_000_000,
        track=False,
        progress=False,
    )
    result = train(config, run_dir=tmp_path)
    assert result.solved_at is not None and result.global_step == result.solved_at
    assert result.source == "best verified table"
    assert result.score.value >= -0.005 and result.score.regret == 0.0
    document = json.loads((tmp_path / TABLE_NAME).read_text())
    again = evaluate_table_seeds(
        "econ_envs/MSPM-v0",
        np.array(document["table"], np.float32),
        seeds=config.eval_seeds,
        n_types=3,
    )
    assert [r.value for r in again] == document["score"]["values"]
    assert max(r.regret for r in again) == document["score"]["regret"] == 0.0
    assert "deterministic_policy" in document and document["table_source"] == result.source


@pytest.mark.parametrize("steps", [1000, 1001])
def test_steps_is_the_budget(tmp_path, steps):
    # the last rollout is cut to what is left: whole vector steps of 8 envs
    config = TrainConfig(
        env_id="econ_envs/MessageAllocation-v0",
        num_envs=8,
        total_steps=steps,
        stop_when_solved=False,
        eval_every=10**9,
        track=False,
        progress=False,
    )
    assert config.rollout_steps > steps  # one preset rollout would overshoot
    result = train(config, run_dir=tmp_path)
    assert result.global_step == math.ceil(steps / 8) * 8  # 1000 exactly, 1001 -> 1008
    assert Checkpoint.load(tmp_path).updates == 1


#: the kill-and-resume runs: 5 updates of 2,000 steps, killed while update 4 is under way
KILL_STEPS, KILL_AFTER = 10_000, 3


def _train_args(run_dir: Path, *extra: str) -> list[str]:
    return [
        "train",
        "--env",
        "econ_envs/MessageAllocation-v0",
        "--seed",
        "3",
        "--steps",
        str(KILL_STEPS),
        "--num-envs",
        "16",
        "--rollout-steps",
        "2000",
        "--no-stop-when-solved",
        "--eval-every",
        "1000000",
        "--no-track",
        "--no-progress",
        "--checkpoint-seconds",
        "0",
        "--run-dir",
        str(run_dir),
        *extra,
    ]


@pytest.mark.slow
@pytest.mark.parametrize("extra", [(), ("--elite-fraction", "0.5")], ids=["reference", "elite"])
def test_a_killed_run_resumes_to_the_uninterrupted_end(tmp_path, extra):
    whole = tmp_path / "whole"
    assert main(_train_args(whole, *extra)) == 0
    (whole_dir,) = whole.iterdir()
    # the same command in its own process, SIGKILLed at a count of updates (after the
    # checkpoint of update 3, in update 4): no race with the run
    killed = tmp_path / "killed"
    command = [sys.executable, "-m", "tests.baselines.killed_run", str(KILL_AFTER)]
    env = {**os.environ, "WANDB_MODE": "offline"}
    process = subprocess.run(
        [*command, *_train_args(killed, *extra)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr[-2000:]
    (killed_dir,) = killed.iterdir()
    interrupted = Checkpoint.load(killed_dir)
    assert (interrupted.updates, interrupted.global_step) == (KILL_AFTER, KILL_AFTER * 2000)
    assert interrupted.updates < Checkpoint.load(whole_dir).updates == 5
    assert main(["train", "--resume", str(killed_dir)]) == 0
    first, second = Checkpoint.load(whole_dir), Checkpoint.load(killed_dir)
    assert first.global_step == second.global_step == KILL_STEPS
    for key, value in first.algorithm.items():
        if isinstance(value, torch.Tensor):
            assert torch.equal(value, second.algorithm[key]), key
    assert first.rollout["raw_tables"].tobytes() == second.rollout["raw_tables"].tobytes()
    if extra:  # the elite and which episodes play it are part of the state
        assert interrupted.rollout["elite"].table is not None  # resumed with an elite
        assert first.rollout["elite"].table is not None
        assert first.rollout["elite"].table.tobytes() == second.rollout["elite"].table.tobytes()
        assert first.rollout["elite_episode"].any()
    tables = [json.loads((d / TABLE_NAME).read_text()) for d in (whole_dir, killed_dir)]
    assert tables[0]["table"] == tables[1]["table"]
    assert tables[0]["score"] == tables[1]["score"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("env_id", "env_kwargs", "target"),
    [
        ("econ_envs/Maintain-v0", {"mixed": True}, 0.90),  # supremum 0.9167
        ("econ_envs/MatrixDesign-v0", {}, 1.0),  # off-diagonal, no transfer paid
    ],
)
def test_box_action_presets_reach_their_targets(tmp_path, env_id, env_kwargs, target):
    config = TrainConfig(
        env_id=env_id, env_kwargs=env_kwargs, total_steps=4_000_000, track=False, progress=False
    )
    result = train(config, run_dir=tmp_path)
    assert result.solved_at is not None
    assert result.score.value >= target and result.score.regret == 0.0


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--explore-eps", "2"], "--explore-eps must be in [0, 1]"),
        (["--checkpoint-seconds", "-1"], "--checkpoint-seconds must be >= 0"),
        (["--solve-tolerance", "nan"], "--solve-tolerance must be >= 0"),
        (["--resume", "no/such/run"], "--resume: no checkpoint at no/such/run"),
    ],
)
def test_bad_options_exit_with_one_line_naming_them(tmp_path, capsys, arguments, named):
    with pytest.raises(SystemExit) as exited:
        main(["train", "--env", "econ_envs/Escape-v0", "--run-dir", str(tmp_path), *arguments])
    error = capsys.readouterr().err
    assert exited.value.code == 2 and error.startswith("econ-baselines: error: " + named)
    assert error.count("\n") == 1
    assert not any(tmp_path.iterdir())  # nothing written


def test_a_game_too_large_to_check_exactly_is_refused_before_training():
    # LaneCoordination: 6^5 type profiles x 6^5 message profiles per table
    with pytest.raises(ValueError, match="60,466,176 plays per policy table"):
        TrainConfig(env_id="econ_envs/LaneCoordination-v0")
