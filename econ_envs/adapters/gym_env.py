"""The gymnasium single environment of a Stackelberg POMDP: a batch of one."""

from __future__ import annotations

from typing import Any, SupportsFloat

import gymnasium as gym
import numpy as np

from econ_envs.adapters.common import build, observation_space
from econ_envs.adapters.reset_needed import reset_needed
from econ_envs.episode_options import EpisodeOptions
from econ_envs.random import key_from_seed
from econ_envs.stackelberg import PHASE_NAMES
from econ_envs.state_layout import StateLayout
from econ_envs.validation import RenderModes, check_render_mode

_ROW = np.zeros(1, np.intp)
_PHASES: tuple[str, ...] = tuple(PHASE_NAMES.tolist())  # indexing a tuple is cheaper per step


class StackelbergEnv(gym.Env[Any, Any]):
    """A Stackelberg POMDP (SPEC §1.3) over the base game ``game``.

    Args:
        game: a key of :data:`econ_envs.games.GAMES` (``"MSPM"``, ``"NormalForm"``, ...).
        render_mode: ``None`` or ``"ansi"``.
        env_id: the registered id this env is made for (``gym.make`` passes it): a ``game`` or
            ``preset`` other than the id's own is refused (see
            :func:`econ_envs.registry.check_identity`).
        **keywords: the episode options (``dynamics``, ``dynamics_kwargs``,
            ``response_iterations``, ``reward_plays``, ``privileged_state``: see
            :class:`econ_envs.EpisodeOptions`) and the game's own keywords (e.g. ``n_types=4``
            for MSPM).

    Bad keywords raise ``ValueError`` (a value out of range) or ``TypeError`` (a value of the
    wrong type, e.g. ``privileged_state=2``) naming the keyword, before anything is built.

    ``info`` always holds ``phase`` and the privileged ``state``; when a play ends,
    ``leader_utility`` and ``follower_utilities``; when the episode ends, ``follower_strategies``
    (follower x type -> message), ``equilibrium_regret`` and ``optimal_value`` where known.
    Seeding: ``reset(seed=s)`` starts the counter-based stream of seed ``s``; ``reset()``
    continues the stream, so an episode sequence is reproducible from the first seed.
    """

    #: ``render_fps``: the pace a viewer replays ``"ansi"`` frames at (gymnasium's text envs')
    metadata = {"render_modes": RenderModes(("ansi",)), "render_fps": 4}

    def __init__(
        self,
        game: str,
        render_mode: str | None = None,
        env_id: str | None = None,
        **keywords: Any,
    ):
        self.render_mode = check_render_mode(render_mode, self.metadata["render_modes"])
        options, game_params = EpisodeOptions.split(keywords)
        self.game, self.episodes = build(game, 1, options, game_params, env_id)
        self.privileged_state = options.privileged_state
        self.observation_space = observation_space(self.episodes, self.privileged_state)
        self.action_space = self.game.spec.action_space
        self._seeded = False
        self._terminated = False

    @property
    def state_layout(self) -> StateLayout:
        """Where the parts of the privileged state lie (``info["state"]``, and the ``"state"``
        observation with ``privileged_state=True``): see :class:`econ_envs.StateLayout`."""
        return self.episodes.state_layout

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        keys = None
        if seed is not None:
            keys = np.array([key_from_seed(seed)])
        elif not self._seeded:
            keys = np.array([key_from_seed(int(self.np_random.integers(2**63)))])
        self._seeded = True
        self._terminated = False
        self.episodes.reset(_ROW, keys)
        phase = _PHASES[self.episodes.phase.item(0)]  # "reward" if response_iterations == 0
        return self._observation(), {"phase": phase, "state": self.episodes.state[0].copy()}

    def step(self, action: Any) -> tuple[Any, SupportsFloat, bool, bool, dict[str, Any]]:
        """One leader step with ``action``, an element of :attr:`action_space`.

        Raises:
            ValueError: naming ``action``, for a wrong shape, dtype or value (nothing moves).
            ResetNeeded: (a ``RuntimeError``) before the first :meth:`reset` or after the
                episode ended.
        """
        if self._terminated or not self._seeded:
            raise reset_needed(self, self._seeded)
        result = self.episodes.step(self.game.spec.action_check.as_batch(action))
        episodes = self.episodes
        info: dict[str, Any] = {
            "phase": _PHASES[result.phase.item(0)],
            "state": episodes.state[0].copy(),
        }
        if result.play_ended.item(0):
            info["leader_utility"] = result.leader_utility.item(0)
            info["follower_utilities"] = result.follower_utilities[0].copy()
        terminated = result.terminated.item(0)
        if terminated:
            self._terminated = True
            info["follower_strategies"] = episodes.final_strategies[0].copy()
            info["equilibrium_regret"] = episodes.regret.item(0)
            if self.game.spec.optimal_value is not None:
                info["optimal_value"] = self.game.spec.optimal_value
        return self._observation(), result.reward.item(0), terminated, False, info

    def _observation(self) -> Any:
        observation = self.episodes.observe()[0]
        if self.privileged_state:
            return {"observation": observation, "state": self.episodes.state[0].copy()}
        return observation

    def render(self) -> str | None:
        if self.render_mode != "ansi":
            return None
        e = self.episodes
        phase = PHASE_NAMES[e.phase[0]]
        return (
            f"{self.game.spec.name} | phase={phase} iteration={e.iteration[0]}/"
            f"{e.response_iterations} play={e.play[0]} | observation={e.observe()[0]}"
        )
