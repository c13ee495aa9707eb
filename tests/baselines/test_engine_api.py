"""Baselines read what the engine declares instead of re-deriving it (issue 13, part 3)."""

from __future__ import annotations

import re

import gymnasium as gym
import pytest

from baselines import presets
from baselines.oracles.table_search import best_mspm_table
from econ_envs import DYNAMICS, STACKELBERG, game_of, ids, response_schedule

MSG = "econ_envs/MessageAllocation-v0"  # 33 iterations, 30 reward plays, 3 messages


@pytest.mark.parametrize(
    ("dynamics", "plays"), [("mw", 33 * 3), ("q_learning", 33), ("best_response", 3 * 3)]
)
def test_response_plays_are_the_dynamics_plays_per_iteration(dynamics, plays):
    """q_learning plays once per iteration (it was counted as sum(n_messages), 3x too many);
    best_response one iteration per type profile, not the game's 33 (11x too many)."""
    assert presets.response_plays(MSG, {"dynamics": dynamics}) == plays


def played_response_plays(env: gym.Env) -> int:
    """The plays of the first episode's response phase, counted by stepping ``env``: the steps
    that end a play of the response phase, until a step belongs to the reward phase."""
    env.action_space.seed(0)
    action = env.action_space.sample()
    _, info = env.reset(seed=0)
    plays = 0
    while info["phase"] == "response":
        _, _, _, _, info = env.step(action)
        plays += info["phase"] == "response" and "leader_utility" in info
    return plays


@pytest.mark.parametrize("options", [{}, {"response_iterations": 2}], ids=["default", "two"])
@pytest.mark.parametrize("dynamics", sorted(DYNAMICS))
@pytest.mark.parametrize("env_id", ids(STACKELBERG))
def test_response_plays_are_the_plays_the_engine_makes(env_id, dynamics, options):
    """The presets budget rollouts with the plays a real env's response phase makes, for every
    id and dynamics (best_response counted 250 x 4 on MSPM where the env plays 9 x 4); where the
    env refuses the options, the presets refuse them with the same message."""
    kwargs = {"dynamics": dynamics, **options}
    try:
        env = gym.make(env_id, **kwargs)
    except ValueError as refused:
        with pytest.raises(ValueError, match=re.escape(str(refused))):
            presets.response_plays(env_id, kwargs)
        return
    plays = played_response_plays(env)
    assert presets.response_plays(env_id, kwargs) == plays
    assert response_schedule(env_id, **kwargs).plays == plays


def test_q_learning_rollout_follows_its_response_plays():
    assert presets.rollout_steps(MSG, {"dynamics": "q_learning"}) == int((1 + 33 / 30) * 2048)
    longer = {"dynamics": "q_learning", "response_iterations": 60}
    assert presets.rollout_steps(MSG, longer) == 3 * 2048


def test_lane_coordination_counts_its_registered_logit_plays():
    """LaneCoordination registers dynamics="logit" (full information): sum of the messages."""
    spec = game_of("econ_envs/LaneCoordination-v0").spec
    plays = presets.response_plays("econ_envs/LaneCoordination-v0", {})
    assert plays == spec.response_iterations * sum(spec.n_messages)


@pytest.mark.parametrize(
    ("env_id", "kwargs", "got"),
    [
        (MSG, {}, "got MessageAllocation with 1 followers"),
        ("econ_envs/MSPM-v0", {"n_items": 2}, "got MSPM with 2 followers"),
        ("econ_envs/MSPM-v0", {"n_agents": 3}, "got MSPM with 3 followers"),
    ],
)
def test_best_mspm_table_refuses_other_games_by_their_spec(env_id, kwargs, got):
    with pytest.raises(ValueError, match=f"handles MSPM with two agents and one item, {got}"):
        best_mspm_table(env_id, **kwargs)
