"""A vector env restored from a pickled copy mid-episode continues exactly as the original."""

from __future__ import annotations

import pickle

import gymnasium as gym
import numpy as np
import pytest

from econ_envs.followers import DYNAMICS
from econ_envs.registry import STACKELBERG, ids
from econ_envs.snapshot import load_state


def _stepped(env_id: str, seed: int, steps: int, **kwargs):
    env = gym.make_vec(env_id, num_envs=5, privileged_state=True, **kwargs)
    env.reset(seed=seed)
    env.action_space.seed(seed)
    for _ in range(steps):
        env.step(env.action_space.sample())
    return env


def _same_future(a, b, steps: int = 400) -> bool:
    a.action_space.seed(7)
    for _ in range(steps):
        action = a.action_space.sample()
        (oa, ra, ta, _, _), (ob, rb, tb, _, _) = a.step(action), b.step(action)
        if not (
            all(np.array_equal(oa[k], ob[k]) for k in oa)
            and np.array_equal(ra, rb)
            and np.array_equal(ta, tb)
        ):
            return False
    return True


@pytest.mark.parametrize(
    ("env_id", "dynamics"),
    [(i, "mw") for i in ids(STACKELBERG)]
    + [("econ_envs/MSPM-v0", d) for d in DYNAMICS if d != "mw"],
)
def test_restored_env_continues_bit_for_bit(env_id, dynamics):
    kwargs = {} if dynamics == "mw" else {"dynamics": dynamics}
    original = _stepped(env_id, 1, 300, **kwargs)
    fresh = _stepped(env_id, 2, 0, **kwargs)  # another seed, not yet stepped
    load_state(fresh, pickle.loads(pickle.dumps(original)))
    assert _same_future(original, fresh)


def test_a_plain_unpickled_copy_continues_too():
    # the engine and the games hold named arrays, no views into each other's: a pickled copy
    # needs no load_state to continue bit for bit (MSPM's packed board was such a view)
    original = _stepped("econ_envs/MSPM-v0", 1, 300)
    assert _same_future(original, pickle.loads(pickle.dumps(original)), 3000)
