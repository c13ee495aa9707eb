"""The fuzz judge's check of an env that was built: it resets and steps with valid actions to
finite outputs, and no action bound is infinite (see :mod:`tests.envs.fuzz_judge`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import gymnasium as gym
import numpy as np

from tests.envs.fuzz_cases import MAKE, MAKE_VEC, NUM_ENVS, PZ_AEC, PZ_PARALLEL

#: valid steps taken to check an env that was built (enough to finish a response iteration of
#: LaneCoordination, whose NaN appeared at the end of the first one)
CHECK_STEPS = 64


def nonfinite(value: Any) -> bool:
    """Whether ``value`` (nested) holds a NaN or an infinity."""
    if isinstance(value, Mapping):
        return any(nonfinite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(nonfinite(v) for v in value)
    if isinstance(value, float | np.floating | np.ndarray):
        array = np.asarray(value)
        return array.dtype.kind in "fc" and not np.isfinite(array).all()
    return False


def _infinite_bounds(space: gym.Space[Any]) -> bool:
    if isinstance(space, gym.spaces.Dict):
        return any(_infinite_bounds(s) for s in space.spaces.values())
    if isinstance(space, gym.spaces.Box):
        return not (np.isfinite(space.low).all() and np.isfinite(space.high).all())
    return False


def outputs(adapter: str, env: Any, result: Any) -> list[Any]:
    """What to check for NaN after a step: its results, and the state of the PettingZoo views."""
    return [result, env.state()] if adapter in (PZ_AEC, PZ_PARALLEL) else [result]


def exercise(adapter: str, env: Any) -> str:
    """Reset ``env`` and take up to :data:`CHECK_STEPS` valid steps (one for a vector env wider
    than :data:`NUM_ENVS`); return what is wrong (``""`` if nothing)."""
    broken = "non-finite observation, reward, info or state"
    if adapter in (MAKE, MAKE_VEC):
        spaces = [env.action_space] + ([env.single_action_space] if adapter == MAKE_VEC else [])
        if any(_infinite_bounds(s) for s in spaces):
            return f"infinite Box bound in {spaces[-1]}"
        steps = 1 if adapter == MAKE_VEC and env.num_envs > NUM_ENVS else CHECK_STEPS
        result = env.reset(seed=0)
        env.action_space.seed(0)
        for _ in range(steps):
            if nonfinite(result):
                return broken
            result = env.step(env.action_space.sample())
            if adapter == MAKE and (result[2] or result[3]):
                break
        return broken if nonfinite(result) else ""
    if any(_infinite_bounds(env.action_space(a)) for a in env.possible_agents):
        return "infinite Box bound in an agent's action space"
    result = env.reset(seed=0)
    if adapter == PZ_AEC:
        for step, agent in enumerate(env.agent_iter(CHECK_STEPS)):
            result = env.last()
            if nonfinite([result, env.state()]):
                return broken
            space = env.action_space(agent)
            space.seed(step)
            env.step(None if result[2] or result[3] else space.sample())
        return ""
    for step in range(CHECK_STEPS):
        if nonfinite([result, env.state()]):
            return broken
        if not env.agents:
            break
        result = env.step(valid_dict(env, env.agents, step))
    return broken if nonfinite([result, env.state()]) else ""


def valid_dict(env: Any, agents: list[str], seed: int) -> dict[str, Any]:
    """A valid action for each of ``agents`` of a PettingZoo env, drawn with ``seed``."""
    actions = {}
    for agent in agents:
        env.action_space(agent).seed(seed)
        actions[agent] = env.action_space(agent).sample()
    return actions
