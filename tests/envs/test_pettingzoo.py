"""Known truths of the PettingZoo views of the base games (SPEC §3)."""

from __future__ import annotations

import subprocess
import sys

import gymnasium as gym
import numpy as np
import pytest

from econ_envs import pettingzoo as pz
from econ_envs.adapters.gym_env import StackelbergEnv
from econ_envs.games import make_game
from econ_envs.policy_table import game_of

MESSAGE_ALLOCATION = "econ_envs/MessageAllocation-v0"
MSPM = "econ_envs/MSPM-v0"


def play_aec(env, message_of_type, leader_policy, seed=None):
    """Play one AEC play to the end; return (cumulative rewards, types, messages)."""
    env.reset(seed=seed)
    rewards, types, messages = {}, {}, {}
    for agent in env.agent_iter():
        obs, reward, terminated, truncated, _ = env.last()
        rewards[agent] = reward
        if terminated or truncated:
            env.step(None)
        elif agent == "leader":
            env.step(leader_policy(obs))
        else:
            types[agent] = int(np.argmax(obs))
            messages[agent] = message_of_type(agent, types[agent])
            env.step(messages[agent])
    return rewards, types, messages


@pytest.mark.parametrize("wanted_item_sent", [True, False])
def test_message_allocation_truthful_message_and_matching_allocation_pay_both(wanted_item_sent):
    env = pz.env(MESSAGE_ALLOCATION)
    for seed in range(6):
        shift = 0 if wanted_item_sent else 1
        rewards, types, messages = play_aec(
            env, lambda _, t, s=shift: (t + s) % 3, lambda obs: int(np.argmax(obs)), seed
        )
        hit = float(wanted_item_sent)
        assert rewards == {"leader": hit, "follower_0": hit}
        assert messages["follower_0"] == (types["follower_0"] + shift) % 3
    assert env.agents == []


def test_message_allocation_parallel_phases():
    env = pz.parallel_env(MESSAGE_ALLOCATION)
    obs, infos = env.reset(seed=1)
    assert set(obs) == set(infos) == {"leader", "follower_0"}
    wanted = int(np.argmax(obs["follower_0"]))
    np.testing.assert_array_equal(obs["leader"], np.zeros(3, np.float32))
    # step 0: the follower's message; the leader's action is ignored
    obs, rewards, terms, truncs, _ = env.step({"leader": 2, "follower_0": wanted})
    np.testing.assert_array_equal(obs["leader"], np.eye(3, dtype=np.float32)[wanted])
    assert rewards == {"leader": 0.0, "follower_0": 0.0} and not any(terms.values())
    # step 1: the leader allocates; the follower's action is ignored
    obs, rewards, terms, truncs, _ = env.step({"leader": wanted, "follower_0": 0})
    assert rewards == {"leader": 1.0, "follower_0": 1.0}
    assert all(terms.values()) and not any(truncs.values())
    assert env.agents == []
    with pytest.raises(RuntimeError, match="reset"):
        env.step({"leader": 0})


@pytest.mark.parametrize("objective", ["welfare_loss", "welfare", "revenue"])
def test_mspm_rewards_equal_the_game_utilities_of_a_scripted_play(objective):
    params = {"n_agents": 3, "n_items": 2, "n_types": 3, "n_messages": 2, "objective": objective}
    env = pz.env(MSPM, **params)
    # visit agents in the order 2, 0, 1 with prices 0.5 then 0.25 on both items
    actions = np.array(
        [[0.5, 0.1, 1.0, 0.5, 0.5], [1.0, 0.5, 0.0, 0.25, 0.25], [0.0, 0.0, 0.0, 0.0, 0.0]],
        np.float32,
    )
    game = make_game("MSPM", **params)
    for seed in range(5):
        steps = iter(actions)
        rewards, types, messages = play_aec(
            env, lambda agent, t: t % 2, lambda _, steps=steps: next(steps), seed
        )
        plays, rows = game.new_plays(1), np.zeros(1, np.intp)
        names = [f"follower_{i}" for i in range(3)]
        profile = np.array([[types[n] for n in names]])
        game.start(plays, rows, profile, np.array([[messages[n] for n in names]]))
        for action in actions:
            if game.step(plays, action[None])[0]:
                break
        leader, followers = game.utilities(plays, rows)
        assert rewards["leader"] == pytest.approx(leader[0])
        assert [rewards[n] for n in names] == pytest.approx(followers[0].tolist())


def test_mspm_revenue_of_one_posted_price_by_hand():
    # 2 agents, 1 item, values on {0, 0.5, 1}: visit agent 0 at price 0.5, then agent 1 at 0
    env = pz.parallel_env(MSPM, objective="revenue")
    seen = set()
    for seed in range(8):
        obs, _ = env.reset(seed=seed)
        v0, v1 = (np.argmax(obs[f"follower_{i}"]) / 2 for i in range(2))
        seen.add(v0 >= 0.5)
        env.step({"follower_0": 0, "follower_1": 1})
        out = env.step({"leader": np.array([1.0, 0.0, 0.5], np.float32)})
        if v0 >= 0.5:  # agent 0 buys at 0.5 and the play ends (the item is sold)
            assert out[1] == {"leader": 0.5, "follower_0": v0 - 0.5, "follower_1": 0.0}
            continue
        assert env.agents and out[1]["leader"] == 0.0
        out = env.step({"leader": np.array([0.0, 0.0, 0.0], np.float32)})
        assert out[1] == {"leader": 0.0, "follower_0": 0.0, "follower_1": v1}
        assert not env.agents
    assert seen == {True, False}


def test_mspm_parallel_equals_aec_under_the_same_seed_and_actions():
    aec, par = pz.env(MSPM), pz.parallel_env(MSPM)
    action = np.array([0.2, 0.9, 0.3], np.float32)
    for seed in range(5):
        aec_rewards, _, messages = play_aec(aec, lambda agent, t: t % 2, lambda _: action, seed)
        par.reset(seed=seed)
        out = par.step({name: messages[name] for name in ("follower_0", "follower_1")})
        while par.agents:
            out = par.step({"leader": action})
        assert out[1] == pytest.approx(aec_rewards)
        assert par.state() == pytest.approx(aec.state())


def test_state_holds_types_messages_and_leader_observation():
    env = pz.raw_env(MSPM)  # 2 agents, 3 types, 2 messages, 1 item
    env.reset(seed=4)
    types = env.play.types.copy()
    state = env.state()
    assert env.state_space.contains(state) and state.shape == (6 + 4 + 4 + 2 + 1,)
    np.testing.assert_array_equal(state[:6], np.eye(3)[types].ravel())
    np.testing.assert_array_equal(state[6:], 0.0)  # no messages yet; leader sees zeros
    env.step(1)
    env.step(0)
    state = env.state()
    np.testing.assert_array_equal(state[6:10], [0, 1, 1, 0])
    np.testing.assert_array_equal(state[10:], env.observe("leader"))
    np.testing.assert_array_equal(env.observe("leader"), [0, 1, 1, 0, 0, 0, 0])


def test_types_follow_the_game_distribution_and_reset_is_deterministic():
    env = pz.raw_env("econ_envs/MSPM-Agrawal-v0")  # P(type 1) = 0.2 for agent 0, 0.5 for agent 1
    env.reset(seed=7)
    drawn = []
    for _ in range(4000):
        drawn.append(env.play.types.copy())
        env.reset()
    frequency = np.mean(drawn, axis=0)
    assert frequency == pytest.approx([0.2, 0.5], abs=0.03)
    again = pz.raw_env("econ_envs/MSPM-Agrawal-v0")
    again.reset(seed=7)
    replay = []
    for _ in range(50):
        replay.append(again.play.types.copy())
        again.reset()
    np.testing.assert_array_equal(replay, drawn[:50])
    again.reset(seed=8)
    other = []
    for _ in range(50):
        other.append(again.play.types.copy())
        again.reset()
    assert not np.array_equal(other, drawn[:50])


def test_invalid_actions_name_the_agent_and_the_allowed_values():
    env = pz.env(MESSAGE_ALLOCATION)
    env.reset(seed=0)
    for bad in (3, -1, 1.0, True, np.array([1])):
        with pytest.raises(ValueError, match=r"'follower_0'.*\[0, 2\]"):
            env.step(bad)
    env.step(np.int32(1))
    with pytest.raises(ValueError, match=r"'leader'.*\[0, 2\]"):
        env.step(5)
    mspm = pz.env(MSPM)
    mspm.reset(seed=0)
    mspm.step(0)
    mspm.step(1)
    with pytest.raises(ValueError, match=r"'leader'.*finite"):
        mspm.step(np.array([np.nan, 0.0, 0.5], np.float32))
    with pytest.raises(ValueError, match=r"'leader'.*\[0.0, 0.0, 0.0\]"):
        mspm.step(np.array([0.0, 0.0, 2.0], np.float32))
    par = pz.parallel_env(MSPM)
    par.reset(seed=0)
    with pytest.raises(ValueError, match=r"missing.*follower_1"):
        par.step({"follower_0": 0, "leader": np.zeros(3, np.float32)})
    with pytest.raises(ValueError, match=r"'follower_1'.*\[0, 1\]"):
        par.step({"follower_0": 0, "follower_1": 2})
    par.step({"follower_0": 0, "follower_1": 1})
    with pytest.raises(ValueError, match="leader must act"):
        par.step({"follower_0": 0})


def test_constructor_rejects_episode_options_and_ama_ids():
    with pytest.raises(ValueError, match="dynamics"):
        pz.env(MSPM, dynamics="mw")
    with pytest.raises(ValueError, match="not a Stackelberg"):
        pz.parallel_env("econ_envs/SequentialSales-v0")
    with pytest.raises(ValueError, match="n_messages"):
        pz.raw_env(MSPM, n_messages=0)
    with pytest.raises(ValueError, match="render_mode"):
        pz.env(MSPM, render_mode="human")


def test_an_id_has_both_views_exactly_when_its_gymnasium_env_is_a_stackelberg_episode():
    """The ids come from gymnasium's registry and the env each makes, the follower count from
    the game: not from the list the views are built from."""
    for env_id in sorted(i for i in gym.registry if i.startswith("econ_envs/")):
        if not isinstance(gym.make(env_id).unwrapped, StackelbergEnv):
            assert env_id not in pz.ids()
            with pytest.raises(ValueError, match="not a Stackelberg"):
                pz.env(env_id)
            continue
        assert env_id in pz.ids()
        aec, par = pz.env(env_id, render_mode="ansi"), pz.parallel_env(env_id)
        n_followers = len(game_of(env_id).spec.n_messages)
        followers = [f"follower_{i}" for i in range(n_followers)]
        assert aec.possible_agents == par.possible_agents == ["leader", *followers]
        aec.reset(seed=0)
        assert isinstance(aec.render(), str) and str(aec.unwrapped) == env_id


def test_importing_the_views_pulls_no_heavy_dependency():
    code = (
        "import sys, econ_envs, econ_envs.pettingzoo, econ_envs.testing; "
        "bad = {'torch', 'tianshou', 'wandb', 'baselines', 'leaderboards'} & set(sys.modules); "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
