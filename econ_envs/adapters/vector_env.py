"""The native gymnasium vector environment of a Stackelberg POMDP: one batched engine, no copies.

Sub-environment ``i`` behaves exactly like a single env seeded with ``seed + i`` and given the
same actions. Finished episodes reset within the same step (``AutoresetMode.SAME_STEP``): the
returned observation starts the next episode, and ``info["final_obs"]`` / ``info["final_info"]``
hold the last observation and info of the finished one.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from econ_envs.adapters.common import build, check_autoreset_mode, observation_space
from econ_envs.adapters.reset_needed import reset_needed
from econ_envs.episode_options import EpisodeOptions
from econ_envs.random import key_from_seed
from econ_envs.stackelberg import PHASE_NAMES
from econ_envs.state_layout import StateLayout
from econ_envs.validation import check_render_mode

_ONLY_SAME_STEP = (
    ": the native vector env only autoresets in the same step; for another mode use "
    'gym.make_vec(id, num_envs, vectorization_mode="sync", '
    'vector_kwargs={"autoreset_mode": ...})'
)


class StackelbergVectorEnv(VectorEnv):
    """``num_envs`` Stackelberg POMDP episodes stepped together (keywords as
    :class:`econ_envs.adapters.gym_env.StackelbergEnv`; ``render_mode`` must be ``None``).

    ``autoreset_mode`` may only be ``AutoresetMode.SAME_STEP`` (or ``"SameStep"``), the mode
    this env implements; any other raises ``ValueError``. Gymnasium's ``SyncVectorEnv``
    (``gym.make_vec(id, n, vectorization_mode="sync")``) autoresets in the *next* step unless
    given ``vector_kwargs={"autoreset_mode": AutoresetMode.SAME_STEP}``, with which it gives the
    same results as this env.
    """

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": []}
    #: whether :meth:`reset` was called (it starts every episode; later ones start on their own)
    _has_reset = False

    def __init__(
        self,
        game: str,
        num_envs: int = 1,
        render_mode: str | None = None,
        env_id: str | None = None,
        autoreset_mode: AutoresetMode | str = AutoresetMode.SAME_STEP,
        **keywords: Any,
    ):
        check_render_mode(render_mode, self.metadata["render_modes"])
        check_autoreset_mode(autoreset_mode, (AutoresetMode.SAME_STEP,), _ONLY_SAME_STEP)
        options, game_params = EpisodeOptions.split(keywords)
        self.game, self.episodes = build(game, num_envs, options, game_params, env_id)
        self.num_envs = self.episodes.batch
        self.privileged_state = options.privileged_state
        self.single_observation_space = observation_space(self.episodes, self.privileged_state)
        self.single_action_space = self.game.spec.action_space
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self._all = np.arange(num_envs)
        self._everyone = np.ones(num_envs, bool)
        self._everyone.flags.writeable = False

    @property
    def state_layout(self) -> StateLayout:
        """Where the parts of the privileged state lie (``info["state"]``, and the ``"state"``
        observation with ``privileged_state=True``): see :class:`econ_envs.StateLayout`."""
        return self.episodes.state_layout

    def reset(self, *, seed: int | list[int] | None = None, options: dict[str, Any] | None = None):
        """Start every episode: ``seed`` is ``None``, an int ``s`` (sub-env ``i`` gets ``s + i``)
        or a list of one int per sub-env."""
        if seed is None or isinstance(seed, Integral):
            super().reset(seed=None if seed is None else int(seed))
        elif len(seed) != self.num_envs:
            raise ValueError(f"seed must be an int or a list of {self.num_envs} ints, got {seed!r}")
        else:
            super().reset(seed=int(seed[0]))
        if seed is None:
            seeds = self.np_random.integers(2**63, size=self.num_envs).tolist()
        elif isinstance(seed, Integral):
            seeds = [int(seed) + i for i in range(self.num_envs)]
        else:
            seeds = [int(s) for s in seed]
        self.episodes.reset(self._all, np.array([key_from_seed(s) for s in seeds], np.uint64))
        self._has_reset = True
        info = {
            "phase": PHASE_NAMES.take(self.episodes.phase),
            "_phase": self._everyone,
            "state": self.episodes.state.copy(),
            "_state": self._everyone,
        }
        return self._observation(self.episodes.observe()), info

    def step(self, actions: Any):
        """One leader step of every sub-env: ``actions`` has shape
        ``(num_envs, *single_action_space.shape)`` (``ValueError`` otherwise, before anything
        moves); ``ResetNeeded`` (a ``RuntimeError``) before the first :meth:`reset`."""
        if not self._has_reset:
            raise reset_needed(self, started=False)
        episodes = self.episodes
        result = episodes.step(
            self.game.spec.action_check.as_batch(actions, "actions", self.num_envs)
        )
        observation = episodes.observe()
        finished = result.terminated
        info: dict[str, Any] = {"phase": PHASE_NAMES.take(result.phase), "_phase": self._everyone}
        play_info = {
            "leader_utility": np.where(result.play_ended, result.leader_utility, 0.0),
            "follower_utilities": np.where(
                result.play_ended[:, None], result.follower_utilities, 0.0
            ),
        }
        done = np.flatnonzero(finished)
        if done.size:
            info["final_obs"], info["_final_obs"] = self._final_observations(observation, done)
            info["final_info"] = self._final_info({**info, **play_info}, finished)
            info["_final_info"] = finished
            episodes.reset(done)
            observation = episodes.observe()
            # rows that reset carry their new episode's reset info, as gymnasium's SAME_STEP does
            info["phase"] = PHASE_NAMES.take(np.where(finished, episodes.phase, result.phase))
        reported = result.play_ended & ~finished
        if reported.any():
            for key, value in play_info.items():
                info[key], info["_" + key] = value, reported
        info["state"], info["_state"] = episodes.state.copy(), self._everyone
        return (
            self._observation(observation),
            result.reward,
            finished,
            np.zeros(self.num_envs, bool),
            info,
        )

    def follower_strategies(self) -> np.ndarray:
        """The followers' final strategies of every episode, (num_envs, n, max_types): the
        message each follower type sends in the reward phase. Valid for the episodes in the
        reward phase (privileged state entry 0 is 1); fixed from the step the phase begins to
        the end of the episode (the end-of-episode ``info["follower_strategies"]``)."""
        return self.episodes.final_strategies.copy()

    def _observation(self, observation: np.ndarray) -> Any:
        if self.privileged_state:
            return {"observation": observation, "state": self.episodes.state.copy()}
        return observation

    def _final_observations(self, observation: np.ndarray, done: np.ndarray):
        finals = np.full(self.num_envs, None, dtype=object)
        for row in done:
            obs = observation[row].copy()
            if self.privileged_state:
                obs = {"observation": obs, "state": self.episodes.state[row].copy()}
            finals[row] = obs
        mask = np.zeros(self.num_envs, bool)
        mask[done] = True
        return finals, mask

    def _final_info(self, info: dict[str, Any], mask: np.ndarray) -> dict[str, Any]:
        """The last step's info of the finished episodes (``mask``), before they reset."""
        episodes = self.episodes
        final = {key: info[key] for key in ("phase", "leader_utility", "follower_utilities")}
        for key in ("phase", "leader_utility", "follower_utilities", "state"):
            final["_" + key] = mask
        final["state"] = episodes.state.copy()
        final["follower_strategies"] = np.where(mask[:, None, None], episodes.final_strategies, -1)
        final["_follower_strategies"] = mask
        final["equilibrium_regret"] = np.where(mask, episodes.regret, 0.0)
        final["_equilibrium_regret"] = mask
        if self.game.spec.optimal_value is not None:
            final["optimal_value"] = np.full(self.num_envs, self.game.spec.optimal_value)
            final["_optimal_value"] = mask
        return final
