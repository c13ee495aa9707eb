"""What the single and the vector gymnasium env share: construction and spaces."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode

from econ_envs.episode_options import EpisodeOptions
from econ_envs.games import StackelbergGame, make_game
from econ_envs.stackelberg import StackelbergEpisodes
from econ_envs.validation import KeywordTypeError


def build(
    game: str,
    batch: int,
    options: EpisodeOptions,
    game_params: dict[str, Any],
    env_id: str | None = None,
) -> tuple[StackelbergGame, StackelbergEpisodes]:
    """The game ``game`` and ``batch`` episodes of it; made for a registered id (``gym.make``
    passes ``env_id``), first refuse an ``env_id``, ``game`` or ``preset`` that is not the id's
    own (:func:`econ_envs.registry.check_made`)."""
    from econ_envs.registry import check_made

    check_made({"env_id": env_id, "game": game, **game_params})
    base = make_game(game, **game_params)
    episodes = StackelbergEpisodes(
        base,
        batch,
        options.dynamics,
        options.dynamics_kwargs,
        options.response_iterations,
        options.reward_plays,
    )
    return base, episodes


def observation_space(episodes: StackelbergEpisodes, privileged: bool) -> gym.Space[Any]:
    """The single env's observation space: the game's, or a ``Dict`` with the privileged state."""
    leader = episodes.game.spec.observation_space
    if not privileged:
        return leader
    state = gym.spaces.Box(0.0, 1.0, (episodes.state_size,), np.float32)
    return gym.spaces.Dict({"observation": leader, "state": state})


def check_autoreset_mode(value: Any, allowed: tuple[AutoresetMode, ...]) -> AutoresetMode:
    """``value`` as an :class:`~gymnasium.vector.AutoresetMode` if it is one of ``allowed``
    (a member, or its value such as ``"SameStep"``, as gymnasium's vector envs accept).

    Raises:
        KeywordTypeError: for a value that is neither a mode nor a string.
        ValueError: for any other mode, listing ``allowed``.
    """
    listed = ", ".join(f"AutoresetMode.{mode.name} ({mode.value!r})" for mode in allowed)
    if not isinstance(value, AutoresetMode | str):
        raise KeywordTypeError(
            f"autoreset_mode must be one of {listed}, got {value!r} ({type(value).__name__})"
        )
    mode = next((m for m in AutoresetMode if value in (m, m.value)), None)
    if mode not in allowed:
        raise ValueError(f"autoreset_mode must be one of {listed}, got {value!r}")
    return mode
