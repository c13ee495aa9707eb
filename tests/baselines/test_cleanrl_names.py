"""CleanRL's conventions in the baselines (issue 15, part 4): the metric names of an offline W&B
run, explained variance, episode lengths across rollouts, approx_kl and clipfrac, and the README's
mapping of CleanRL config names onto ``TrainConfig``."""

from __future__ import annotations

import math
import re
from dataclasses import fields

import numpy as np
import pytest
import torch

from tests import ROOT
from tests.baselines.update_batches import random_mspm_batch
from tests.wandb_files import offline_history

CLEANRL_METRICS = (
    "charts/episodic_return",
    "charts/episodic_length",
    "charts/SPS",
    "charts/learning_rate",
    "losses/value_loss",
    "losses/policy_loss",
    "losses/entropy",
    "losses/approx_kl",
    "losses/clipfrac",
    "losses/explained_variance",
)


@pytest.fixture(scope="module")
def escape_history(tmp_path_factory):
    from baselines.mappo.config import TrainConfig
    from baselines.mappo.train import train

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_SILENT", "true")
    root = tmp_path_factory.mktemp("conventions")
    monkeypatch.setenv("WANDB_DIR", str(root))
    # 64 envs x 50 steps per rollout: each 100-step Escape episode spans two rollouts; the
    # names are the test, not the learning: two minibatch steps per update (the preset: 80)
    config = TrainConfig(
        env_id="econ_envs/Escape-v0",
        seed=1,
        num_envs=64,
        rollout_steps=3200,
        total_steps=12800,
        learning_rate=3e-3,
        update_epochs=1,
        num_minibatches=2,
        torch_threads=1,
        eval_every=6400,
        stop_when_solved=False,
        run_dir=str(root),
        progress=False,
    )
    train(config, run_dir=root / "run")
    (run,) = (root / "wandb").glob("offline-run-*")
    history, _ = offline_history(next(run.glob("run-*.wandb")))
    yield history
    monkeypatch.undo()


def test_offline_wandb_run_holds_cleanrl_metric_names(escape_history):
    assert [row["_step"] for row in escape_history] == [3200, 6400, 9600, 12800]
    finished = [row for row in escape_history if row["charts/episodes"]]
    assert [row["_step"] for row in finished] == [6400, 12800]  # 64 episodes end each time
    for row in escape_history:
        for name in CLEANRL_METRICS:
            if name.startswith("charts/episodic_"):
                assert (name in row) == (row in finished), name
            else:
                assert name in row, name
    for row in finished:
        assert row["charts/episodic_length"] == 100.0  # 33 iterations x 3 plays + 1 reward play
        assert row["charts/episodic_return"] == row["econ/leader_return"]
    for row in escape_history:
        assert row["losses/approx_kl"] >= 0.0 and 0.0 <= row["losses/clipfrac"] <= 1.0
        assert row["losses/explained_variance"] <= 1.0


def test_explained_variance_is_cleanrls():
    from baselines.mappo.metrics import explained_variance

    returns = torch.tensor([1.0, 2.0, 3.0, 6.0])
    assert explained_variance(returns, returns) == 1.0
    assert explained_variance(torch.zeros(4), returns) == 0.0
    assert explained_variance(returns.mean().expand(4), returns) == 0.0
    assert math.isnan(explained_variance(returns, torch.ones(4)))


def test_episode_lengths_span_rollouts():
    from baselines.mappo.metrics import episode_lengths

    terminated = np.zeros((5, 3), bool)
    terminated[[1, 4], 0] = True  # env 0: ends at steps 1 and 4 (3 steps before the rollout)
    terminated[0, 1] = True  # env 1: ends at step 0, then runs on; env 2 never ends
    lengths, under_way = episode_lengths(terminated, np.array([3, 0, 7]))
    assert lengths.tolist() == [1, 5, 3]  # time-major: env 1 at step 0, env 0 at 1, env 0 at 4
    assert under_way.tolist() == [0, 4, 12]


def test_approx_kl_and_clipfrac_are_zero_without_a_policy_change():
    from baselines.mappo.agent import build_agent
    from baselines.mappo.config import TrainConfig
    from baselines.mappo.rollout import spaces

    env_id = "econ_envs/MSPM-v0"
    config = TrainConfig(env_id=env_id, learning_rate=1e-30, num_minibatches=1, update_epochs=1)
    algorithm = build_agent(config, *spaces(env_id, {}))
    n = 32
    batch = random_mspm_batch(n, returns=False)
    stats = algorithm.learn(batch, n, 1)
    assert stats.approx_kl == pytest.approx(0.0, abs=1e-6) and stats.clipfrac == 0.0
    assert np.isfinite(stats.loss.mean)


def _readme_mapping() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### CleanRL names", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| `([a-z_]+)` \|", section, flags=re.MULTILINE)
    return dict(rows)


def test_readme_maps_cleanrl_config_names_onto_train_config_fields():
    from baselines.mappo.config import TrainConfig

    mapping = _readme_mapping()
    ours = {f.name for f in fields(TrainConfig)}
    assert {"total_timesteps", "num_steps", "clip_coef"} <= set(mapping)
    assert set(mapping.values()) <= ours
    assert mapping["total_timesteps"] == "total_steps" and mapping["clip_coef"] == "clip"
