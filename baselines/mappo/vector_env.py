"""Tianshou's vector-env interface over the native batched Stackelberg vector env.

Tianshou's :class:`~tianshou.data.Collector` drives a ``BaseVectorEnv``: ``step`` returns the
terminal observation of a finished episode and the collector then calls ``reset(env_id=...)``
for those envs. The native env (``gym.make_vec``) resets finished episodes within the same step
(``AutoresetMode.SAME_STEP``). :class:`TianshouVectorEnv` bridges the two with whole-batch array
operations (no per-env Python loop; only the episodes that finish in a step are unpacked from
the native env's ``final_obs``): it returns the terminal observation on the finishing step,
keeps the first observation of the next episode and hands it out on ``reset``.

Observations are tianshou :class:`~tianshou.data.Batch` objects with the keys ``observation``
(the leader's, for the actor) and ``state`` (the privileged state, for a centralized critic; its
first entry is the phase flag, 1 in the reward phase). Per-step infos are empty: the finished
episodes' statistics (return, equilibrium regret, reward-phase utility) are accumulated in
:class:`EpisodeStats` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray
from tianshou.data import Batch

import econ_envs  # noqa: F401  (registers the ids)


@dataclass
class EpisodeStats:
    """Statistics of the episodes finished since the last :meth:`drain`."""

    returns: list[NDArray[np.float64]] = field(default_factory=list)
    regrets: list[NDArray[np.float64]] = field(default_factory=list)
    lengths: list[NDArray[np.int64]] = field(default_factory=list)

    def add(self, returns, regrets, lengths) -> None:
        """Record finished episodes (arrays over them)."""
        self.returns.append(returns)
        self.regrets.append(regrets)
        self.lengths.append(lengths)

    def drain(self) -> dict[str, NDArray[Any]]:
        """The recorded arrays concatenated (empty arrays if none), and forget them."""
        out = {
            name: np.concatenate(values) if values else np.zeros(0)
            for name, values in (
                ("returns", self.returns),
                ("regrets", self.regrets),
                ("lengths", self.lengths),
            )
        }
        self.returns, self.regrets, self.lengths = [], [], []
        return out


class TianshouVectorEnv:
    """``num_envs`` episodes of ``env_id`` behind tianshou's ``BaseVectorEnv`` interface.

    Args:
        env_id: a Stackelberg POMDP id.
        num_envs: number of episodes stepped together.
        **env_kwargs: keywords of ``gym.make_vec`` (``privileged_state`` is always on).
    """

    is_async = False

    def __init__(self, env_id: str, num_envs: int, **env_kwargs: Any):
        self.venv = gym.make_vec(env_id, num_envs=num_envs, privileged_state=True, **env_kwargs)
        self.env_num = num_envs
        self.observation_space = self.venv.single_observation_space
        self.action_space = self.venv.single_action_space
        self.stats = EpisodeStats()
        self._next_start: Batch | None = None
        self._returns = np.zeros(num_envs)
        self._lengths = np.zeros(num_envs, np.int64)
        self._no_info = np.array([{}] * num_envs, dtype=object)

    def __len__(self) -> int:
        return self.env_num

    def reset(
        self, env_id: int | list[int] | NDArray[np.intp] | None = None, **kwargs: Any
    ) -> tuple[Batch, NDArray[np.object_]]:
        """Reset all envs (``env_id=None``; keyword ``seed``) or hand out the first observation
        of the episodes the native env already started in ``env_id``."""
        if env_id is None:
            observation, _ = self.venv.reset(seed=kwargs.get("seed"))
            self._next_start = Batch(observation)
            self._returns[:] = 0.0
            self._lengths[:] = 0
            return Batch(observation), self._no_info.copy()
        rows = np.atleast_1d(np.asarray(env_id))
        return self._next_start[rows], self._no_info[rows]

    def step(
        self, action: NDArray[Any], id: NDArray[np.intp] | None = None
    ) -> tuple[Batch, NDArray, NDArray, NDArray, NDArray[np.object_]]:
        """Step every env (tianshou's synchronous collector always passes all ids)."""
        if id is not None and len(id) != self.env_num:
            raise ValueError("TianshouVectorEnv steps all envs together")
        observation, reward, terminated, truncated, info = self.venv.step(action)
        observation = Batch(observation)
        self._returns += reward
        self._lengths += 1
        done = np.flatnonzero(terminated)
        if done.size:
            self._next_start[done] = observation[done]
            final = info["final_obs"][done]
            observation.observation[done] = np.stack([o["observation"] for o in final])
            observation.state[done] = np.stack([o["state"] for o in final])
            regret = info["final_info"]["equilibrium_regret"][done]
            self.stats.add(self._returns[done].copy(), regret, self._lengths[done].copy())
            self._returns[done] = 0.0
            self._lengths[done] = 0
        return observation, reward, terminated, truncated, self._no_info.copy()

    def close(self) -> None:
        """Close the native env."""
        self.venv.close()
