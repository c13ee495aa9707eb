"""The native gymnasium vector environment of a Stackelberg POMDP: one batched engine, no copies.

Sub-environment ``i`` behaves exactly like a single env seeded with ``seed + i`` and given the
same actions. The three autoreset modes of gymnasium (``autoreset_mode=``) are all implemented
over the batch, each equal to gymnasium's ``SyncVectorEnv`` in that mode:

- ``AutoresetMode.NEXT_STEP`` (the default, gymnasium's): the step that ends an episode returns
  its last observation and info; the next step ignores that sub-env's action and returns the
  first observation and info of a new episode, with reward 0, ``terminated`` and ``truncated``
  False.
- ``AutoresetMode.SAME_STEP``: the finished episode is reset within the step that ends it; the
  returned observation starts the next episode, and ``info["final_obs"]`` /
  ``info["final_info"]`` hold the last observation and info of the finished one. It needs no
  reset-only steps: the suite's trainer (``baselines.mappo``), evaluator checks and benchmarks
  ask for it explicitly.
- ``AutoresetMode.DISABLED``: nothing resets on its own; ``reset(options={"reset_mask": mask})``
  resets the sub-envs in ``mask`` (a bool array of shape ``(num_envs,)``), and stepping a
  finished sub-env without that is an error (``ResetNeeded``).

Why ``NEXT_STEP`` is the default of ``gym.make_vec(id, n)``: it is the default of gymnasium's own
vector envs, so code written for gymnasium expects it, and gymnasium's vector wrappers need it
(``NormalizeObservation`` refuses any other mode; CleanRL's PPO wrapper stack runs unchanged only
on it). SPEC.md does not fix a mode.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
from gymnasium.spaces import Box
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from econ_envs.adapters.common import build, check_autoreset_mode, observation_space
from econ_envs.adapters.reset_needed import ResetNeeded, reset_needed
from econ_envs.episode_options import EpisodeOptions
from econ_envs.random import key_from_seed
from econ_envs.stackelberg import PHASE_NAMES, StepResult
from econ_envs.state_layout import StateLayout
from econ_envs.validation import check_render_mode


class StackelbergVectorEnv(VectorEnv):
    """``num_envs`` Stackelberg POMDP episodes stepped together (keywords as
    :class:`econ_envs.adapters.gym_env.StackelbergEnv`; ``render_mode`` must be ``None``).

    Args:
        autoreset_mode: an :class:`~gymnasium.vector.AutoresetMode` or its value
            (``"NextStep"``, ``"SameStep"``, ``"Disabled"``); default ``NEXT_STEP``,
            gymnasium's (see the module docstring). ``metadata["autoreset_mode"]`` is this
            instance's mode. Gymnasium's ``SyncVectorEnv`` over single envs
            (``gym.make_vec(id, n, vectorization_mode="sync", vector_kwargs={"autoreset_mode":
            mode})``) gives the same results in the same mode.

    Raises:
        ValueError: naming ``autoreset_mode`` and the modes, for any other value.
    """

    #: the class's defaults; an instance's ``metadata`` holds its own ``autoreset_mode``
    metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}
    #: whether every sub-env was reset once (a reset starts its first episode)
    _has_reset = False

    def __init__(
        self,
        game: str,
        num_envs: int = 1,
        render_mode: str | None = None,
        env_id: str | None = None,
        autoreset_mode: AutoresetMode | str = AutoresetMode.NEXT_STEP,
        **keywords: Any,
    ):
        check_render_mode(render_mode, self.metadata["render_modes"])
        self.autoreset_mode = check_autoreset_mode(autoreset_mode, tuple(AutoresetMode))
        self.metadata = {**self.metadata, "autoreset_mode": self.autoreset_mode}
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
        #: sub-envs reset at least once (their random streams are seeded)
        self._started = np.zeros(num_envs, bool)
        #: episodes that ended and wait for their reset (NEXT_STEP and DISABLED only)
        self._ended = np.zeros(num_envs, bool)
        #: the action put in place of an ignored one (NEXT_STEP): a valid one, the space's lowest
        space = self.single_action_space
        self._ignored_action = np.asarray(space.low if isinstance(space, Box) else 0)

    @property
    def state_layout(self) -> StateLayout:
        """Where the parts of the privileged state lie (``info["state"]``, and the ``"state"``
        observation with ``privileged_state=True``): see :class:`econ_envs.StateLayout`."""
        return self.episodes.state_layout

    def reset(self, *, seed: int | list[int] | None = None, options: dict[str, Any] | None = None):
        """Start new episodes, in every sub-env or, with ``options={"reset_mask": mask}`` (a
        numpy bool array of shape ``(num_envs,)`` with a True entry), in those of ``mask`` only;
        the others keep their episode and observation, and ``info`` holds the reset sub-envs'
        entries under their masks (as gymnasium's vector envs do).

        ``seed`` is ``None``, an int ``s`` (sub-env ``i`` gets ``s + i``) or a list of one int
        per sub-env. Without a seed, a sub-env continues its random stream (as a single env's
        ``reset()`` does); one never reset before draws its seed from :attr:`np_random`.
        """
        if seed is None or isinstance(seed, Integral):
            super().reset(seed=None if seed is None else int(seed))
        elif len(seed) != self.num_envs:
            raise ValueError(f"seed must be an int or a list of {self.num_envs} ints, got {seed!r}")
        else:
            super().reset(seed=int(seed[0]))
        mask = self._reset_mask(options)
        rows = self._all if mask is None else np.flatnonzero(mask)
        episodes = self.episodes
        if seed is None:
            fresh = rows[~self._started[rows]]
            keys = self.np_random.integers(2**63, size=len(fresh)).tolist()
            episodes.rng.seed(fresh, np.array([key_from_seed(k) for k in keys], np.uint64))
            episodes.reset(rows)
        else:
            one = isinstance(seed, Integral)
            seeds = [int(seed) + i if one else int(seed[i]) for i in rows.tolist()]
            episodes.reset(rows, np.array([key_from_seed(s) for s in seeds], np.uint64))
        self._started[rows] = True
        self._has_reset = bool(self._started.all())
        self._ended[rows] = False
        reset = self._everyone if mask is None else mask.copy()
        info = {
            "phase": PHASE_NAMES.take(episodes.phase),
            "_phase": reset,
            "state": episodes.state.copy(),
            "_state": reset,
        }
        return self._observation(episodes.observe()), info

    def step(self, actions: Any):
        """One leader step of every sub-env: ``actions`` has shape
        ``(num_envs, *single_action_space.shape)`` (``ValueError`` otherwise, before anything
        moves). ``ResetNeeded`` (a ``RuntimeError``) before every sub-env was reset, and in
        ``DISABLED`` mode for a sub-env whose episode ended and was not reset."""
        if not self._has_reset:
            raise reset_needed(self, started=False)
        if self.autoreset_mode is not AutoresetMode.SAME_STEP:
            return self._step_then_reset(actions)
        episodes = self.episodes
        result = episodes.step(
            self.game.spec.action_check.as_batch(actions, "actions", self.num_envs)
        )
        observation = episodes.observe()
        finished = result.terminated
        info: dict[str, Any] = {"phase": PHASE_NAMES.take(result.phase), "_phase": self._everyone}
        play_info = self._play_info(result)
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

    def _step_then_reset(self, actions: Any):
        """:meth:`step` in the ``NEXT_STEP`` and ``DISABLED`` modes: the episodes that ended at
        the previous step are reset now, their actions ignored (``NEXT_STEP``), or refused
        (``DISABLED``); an episode that ends returns its own last observation and info."""
        episodes = self.episodes
        batch = self.game.spec.action_check.as_batch(actions, "actions", self.num_envs)
        waiting = np.flatnonzero(self._ended)
        frozen = None
        if waiting.size:
            if self.autoreset_mode is AutoresetMode.DISABLED:
                raise ResetNeeded(
                    f"{type(self).__name__}.step() was called after the episodes of sub-envs "
                    f"{waiting.tolist()} ended (autoreset_mode=AutoresetMode.DISABLED): call "
                    'reset(options={"reset_mask": mask}) for them first'
                )
            ignored = self._ignored_action
            batch = batch.astype(np.result_type(batch, ignored))  # a copy: the user's is kept
            batch[waiting] = ignored  # never read: their plays are finished
            frozen = self._ended
        result = episodes.step(batch, frozen)
        finished = result.terminated
        phase = result.phase
        if waiting.size:
            episodes.reset(waiting)
            phase = np.where(frozen, episodes.phase, phase)
        info: dict[str, Any] = {"phase": PHASE_NAMES.take(phase), "_phase": self._everyone}
        if result.play_ended.any():
            for key, value in self._play_info(result).items():
                info[key], info["_" + key] = value, result.play_ended
        if finished.any():
            info.update(self._episode_end_info(finished))
        info["state"], info["_state"] = episodes.state.copy(), self._everyone
        self._ended[:] = finished
        return (
            self._observation(episodes.observe()),
            result.reward,
            finished,
            np.zeros(self.num_envs, bool),
            info,
        )

    def _reset_mask(self, options: dict[str, Any] | None) -> np.ndarray | None:
        """``options["reset_mask"]`` after checking it as gymnasium does; None without one."""
        if not options or "reset_mask" not in options:
            return None
        mask = options["reset_mask"]
        if not isinstance(mask, np.ndarray) or mask.dtype != np.bool_:
            raise TypeError(
                'options["reset_mask"] must be a numpy array of dtype bool, got '
                f"{getattr(mask, 'dtype', type(mask).__name__)}"
            )
        if mask.shape != (self.num_envs,):
            raise ValueError(
                f'options["reset_mask"] must have shape ({self.num_envs},), got {mask.shape}'
            )
        if not mask.any():
            raise ValueError('options["reset_mask"] must hold at least one True entry')
        return mask

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

    def _play_info(self, result: StepResult) -> dict[str, Any]:
        """The utilities of the plays that ended in this step (0 in the other rows)."""
        return {
            "leader_utility": np.where(result.play_ended, result.leader_utility, 0.0),
            "follower_utilities": np.where(
                result.play_ended[:, None], result.follower_utilities, 0.0
            ),
        }

    def _episode_end_info(self, mask: np.ndarray) -> dict[str, Any]:
        """The end-of-episode entries of the finished episodes (``mask``), under that mask."""
        episodes = self.episodes
        info = {
            "follower_strategies": np.where(mask[:, None, None], episodes.final_strategies, -1),
            "_follower_strategies": mask,
            "equilibrium_regret": np.where(mask, episodes.regret, 0.0),
            "_equilibrium_regret": mask,
        }
        if self.game.spec.optimal_value is not None:
            info["optimal_value"] = np.full(self.num_envs, self.game.spec.optimal_value)
            info["_optimal_value"] = mask
        return info

    def _final_info(self, info: dict[str, Any], mask: np.ndarray) -> dict[str, Any]:
        """The last step's info of the finished episodes (``mask``), before they reset."""
        final = {key: info[key] for key in ("phase", "leader_utility", "follower_utilities")}
        for key in ("phase", "leader_utility", "follower_utilities", "state"):
            final["_" + key] = mask
        final["state"] = self.episodes.state.copy()
        final.update(self._episode_end_info(mask))
        return final
