"""The designer env of SPEC §2.3 through gymnasium ids."""

from __future__ import annotations

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

from econ_envs.ama import AMAParams
from econ_envs.registry import AMA, ids

AMA_IDS = ids(AMA)


# the action is in natural units (boosts, then positive weights), hence not normalized
@pytest.mark.filterwarnings("ignore:.*symmetric and normalized space")
@pytest.mark.parametrize("env_id", AMA_IDS)
def test_the_env_passes_the_gymnasium_checker_and_its_spec_serializes(env_id):
    env = gymnasium.make(env_id)
    check_env(env.unwrapped, skip_render_check=True)
    assert gymnasium.spec(env_id).to_json()


@pytest.mark.parametrize("env_id", AMA_IDS)
def test_same_seed_same_action_gives_identical_results(env_id):
    first, second = gymnasium.make(env_id), gymnasium.make(env_id)
    action = first.action_space.sample()
    outcomes = []
    for env in (first, second):
        env.reset(seed=11)
        outcomes.append([(env.step(action)[1:], env.reset()) for _ in range(3)])
    assert outcomes[0] == outcomes[1]


def test_vcg_action_earns_the_vcg_value_and_info_reports_both():
    env = gymnasium.make("econ_envs/SequentialSales-v0", n_agents=3, n_items=2, n_samples=50)
    mdp = env.unwrapped.domain.mdp
    vcg = AMAParams.vcg(mdp).to_flat()
    env.reset(seed=0)
    _, reward, terminated, truncated, info = env.step(vcg)
    assert terminated and not truncated
    assert reward == info["revenue"] == info["vcg_revenue"] == info["vcg_objective"]
    assert info["welfare"] == info["vcg_welfare"]
    assert env.action_space.shape == (mdp.n_states * mdp.n_actions + 3,)
    assert np.all(env.action_space.low[-3:] > 0)


def test_task_scheduling_reward_is_minus_the_makespan():
    env = gymnasium.make("econ_envs/TaskScheduling-v0", makespan_rule="curry2024")
    env.reset(seed=1)
    _, reward, _, _, info = env.step(env.action_space.sample())
    assert reward == -info["makespan"] == -info["objective"]
    assert "vcg_makespan" in info


def test_bad_actions_raise_value_errors():
    env = gymnasium.make("econ_envs/SequentialSales-v0").unwrapped
    env.reset(seed=0)
    action = env.action_space.sample()
    with pytest.raises(ValueError, match="shape"):
        env.step(action[:-1])
    action[0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        env.step(action)
    with pytest.raises(ValueError, match="weight_bounds"):
        gymnasium.make("econ_envs/SequentialSales-v0", weight_bounds=(0.0, 1.0))
    with pytest.raises(ValueError, match="distribution must be one of"):
        gymnasium.make("econ_envs/SequentialSales-v0", distribution="beta")


def test_actions_outside_the_box_are_rejected_not_clipped():
    import gymnasium as gym
    import numpy as np
    import pytest

    env = gym.make("econ_envs/SequentialSales-v0", disable_env_checker=True)
    env.reset(seed=0)
    action = env.action_space.sample()
    action[-1] = 0.0  # a weight of 0 is below the positive lower bound
    with pytest.raises(ValueError, match="action must lie in"):
        env.step(action)
    action[-1] = np.nan
    with pytest.raises(ValueError, match="finite"):
        env.step(action)
