"""The Stackelberg POMDP episode (SPEC §1.3): schedule, rewards, info, privileged state."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from econ_envs.policy_table import evaluate_table, game_of, outcome_tensor
from econ_envs.published import optimal_mspm_table
from tests.envs.episodes import run_episode, table_policy

MSPM3 = {"n_types": 3}


@pytest.mark.parametrize("seed", [0, 7])
def test_env_agrees_with_exact_evaluator(seed):
    table = optimal_mspm_table(3)
    env = gym.make("econ_envs/MSPM-v0", **MSPM3)
    total, _, infos = run_episode(env, table_policy("econ_envs/MSPM-v0", table, **MSPM3), seed)
    exact = evaluate_table("econ_envs/MSPM-v0", table, seed=seed, **MSPM3)
    final = infos[-1]
    assert np.array_equal(final["follower_strategies"], exact.follower_strategies)
    assert final["equilibrium_regret"] == exact.empirical_regret
    assert total == pytest.approx(exact.value)  # welfare loss 0 on every reward play


def test_return_is_mean_utility_of_reward_plays():
    table = np.array([0, 1])  # two messages, item j for message j
    env_id, kwargs = "econ_envs/MessageAllocation-v0", {"n_messages": 2}
    env = gym.make(env_id, **kwargs)
    total, _, infos = run_episode(env, table_policy(env_id, table, **kwargs), seed=3)
    paid = [i["leader_utility"] for i in infos[1:] if i["phase"] == "reward"]
    assert len(paid) == 30
    assert total == pytest.approx(np.mean(paid))
    strategies = infos[-1]["follower_strategies"][0]
    tensor = outcome_tensor(game_of(env_id, **kwargs), table)
    assert set(paid) <= set(np.unique(tensor.leader))
    assert strategies.tolist() == [0, 1, 0]  # type 2 is indifferent: lowest message


def test_no_padded_steps_and_phase_counts():
    """MSPM plays last 1 or 2 leader steps; the episode has exactly the steps its plays need."""
    env = gym.make("econ_envs/MSPM-v0", response_iterations=5, reward_plays=4, **MSPM3)
    table = optimal_mspm_table(3)
    _, steps, infos = run_episode(env, table_policy("econ_envs/MSPM-v0", table, **MSPM3), 0)
    ended = [i for i in infos[1:] if "leader_utility" in i]
    phases = [i["phase"] for i in ended]
    assert phases.count("response") == 5 * 4  # 5 iterations x (2 agents x 2 messages)
    assert phases.count("reward") == 4
    assert steps == sum(1 for _ in infos[1:])
    assert steps < 2 * len(ended)  # some plays end after one step (item sold at once)
    rewards_in_response = [i for i in infos[1:] if i["phase"] == "response"]
    assert rewards_in_response  # the response phase is stepped by the leader


def test_rewards_only_in_reward_phase():
    env = gym.make("econ_envs/Escape-v0", response_iterations=4, reward_plays=3)
    env.reset(seed=0)
    phases, rewards = [], []
    terminated = False
    while not terminated:
        _, reward, terminated, _, info = env.step(2)
        phases.append(info["phase"])
        rewards.append(reward)
    assert phases == ["response"] * 12 + ["reward"] * 3
    assert rewards == [0.0] * 12 + [1.0 / 3] * 3


def test_info_fields_at_episode_end():
    env = gym.make("econ_envs/MessageAllocation-v0", response_iterations=3, reward_plays=2)
    _, _, infos = run_episode(env, lambda obs: 0, seed=0)
    final = infos[-1]
    assert {
        "phase",
        "state",
        "leader_utility",
        "follower_utilities",
        "follower_strategies",
        "equilibrium_regret",
        "optimal_value",
    } <= set(final)
    assert final["optimal_value"] == 1.0
    assert final["follower_strategies"].shape == (1, 3)
    # the leader always allocates item 0: no message changes the follower's utility
    assert final["equilibrium_regret"] == 0.0


def test_equilibrium_regret_of_one_iteration_is_the_gain_of_the_best_message():
    """Escape, leader on row 2: the follower gets 1 for column 2 and 0 for the others, so after
    one iteration the regret is 1 - u(the column it played): 0 or 1, and both happen."""
    env = gym.make("econ_envs/Escape-v0", response_iterations=1, reward_plays=1)
    regrets = [
        run_episode(env, lambda obs: 2, seed=s)[2][-1]["equilibrium_regret"] for s in range(8)
    ]
    assert set(regrets) == {0.0, 1.0}


def test_privileged_state_dict_observation():
    env = gym.make("econ_envs/MessageAllocation-v0", privileged_state=True)
    obs, info = env.reset(seed=0)
    assert isinstance(env.observation_space, gym.spaces.Dict)
    assert set(obs) == {"observation", "state"}
    assert env.observation_space.contains(obs)
    assert np.array_equal(obs["state"], info["state"])
    state = obs["state"]
    n_types = n_messages = 3
    plays = 3  # one follower, three deviations
    assert state.shape == (2 + n_types + n_messages + plays + n_types * n_messages,)
    strategies = state[-9:].reshape(3, 3)
    assert np.allclose(strategies, 1 / 3)  # fresh learners are uniform
    assert state[0] == 0.0  # response phase


def test_leader_observation_hides_types_and_phase():
    """Different hidden states, one observation: every type sending a message is observed as
    that message alone, and the same observations occur in both phases."""
    game = game_of("econ_envs/MessageAllocation-v0")
    types, messages = np.repeat(np.arange(3), 3)[:, None], np.tile(np.arange(3), 3)[:, None]
    plays = game.new_plays(9)
    game.start(plays, np.arange(9), types, messages)
    np.testing.assert_array_equal(game.observe(plays), np.eye(3, dtype=np.float32)[messages[:, 0]])
    env = gym.make("econ_envs/MessageAllocation-v0", privileged_state=True, response_iterations=3)
    obs, _ = env.reset(seed=0)
    seen: dict[float, set[bytes]] = {0.0: set(), 1.0: set()}  # phase flag -> observations
    terminated = False
    while not terminated:
        seen[float(obs["state"][0])].add(obs["observation"].tobytes())
        obs, _, terminated, _, _ = env.step(0)
    assert seen[0.0] & seen[1.0]


def test_reset_seed_is_deterministic_and_reset_continues_the_stream():
    env = gym.make("econ_envs/MSPM-v0", response_iterations=3, reward_plays=3)
    rng = np.random.default_rng(0)
    actions = rng.random((200, 3)).astype(np.float32)

    def trajectory(seed):
        out = []
        obs, _ = env.reset(seed=seed)
        for a in actions:
            obs, reward, terminated, _, info = env.step(a)
            out.append((obs.tobytes(), reward, info["state"].tobytes()))
            if terminated:
                obs, _ = env.reset()
        return out

    assert trajectory(5) == trajectory(5)
    assert trajectory(5) != trajectory(6)


def test_step_after_termination_needs_reset():
    env = gym.make("econ_envs/Escape-v0", response_iterations=0, reward_plays=1).unwrapped
    env.reset(seed=0)
    assert env.step(0)[2]
    with pytest.raises(RuntimeError, match="reset"):
        env.step(0)


def test_final_sample_draws_a_deterministic_map_per_episode():
    kwargs = {"dynamics_kwargs": {"final": "sample"}, "response_iterations": 2, "reward_plays": 5}
    env = gym.make("econ_envs/MessageAllocation-v0", **kwargs)
    _, _, infos = run_episode(env, lambda obs: 0, seed=1)
    exact = evaluate_table("econ_envs/MessageAllocation-v0", np.zeros(3, int), seed=1, **kwargs)
    assert np.array_equal(infos[-1]["follower_strategies"], exact.follower_strategies)
