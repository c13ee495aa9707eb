"""What the single and the vector gymnasium env share: construction and spaces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode

from econ_envs.followers import DYNAMICS
from econ_envs.games import StackelbergGame, make_game
from econ_envs.stackelberg import StackelbergEpisodes
from econ_envs.validation import (
    KeywordTypeError,
    check_bool,
    check_choice,
    check_int,
    check_keywords,
    check_positive_int,
)


@dataclass(frozen=True)
class EpisodeOptions:
    """Keywords of a Stackelberg env that are not the game's own (SPEC §1.3).

    Attributes:
        dynamics: follower dynamics name (``"mw"``, ``"best_response"``, ...).
        dynamics_kwargs: keywords of the dynamics (``eps``, ``final``, ...).
        response_iterations: iterations of the response phase; ``None`` = the game's default.
        reward_plays: plays of the reward phase; ``None`` = the game's default.
        privileged_state: observe ``{"observation": ..., "state": ...}`` (for centralized
            critics) instead of the leader's observation alone.

    Raises:
        KeywordTypeError: (a ``TypeError``) for a value of the wrong type, e.g.
            ``privileged_state=2`` or ``dynamics_kwargs=[...]``.
        ValueError: for an unknown dynamics or a count out of range.
    """

    dynamics: str = "mw"
    dynamics_kwargs: dict[str, Any] | None = None
    response_iterations: int | None = None
    reward_plays: int | None = None
    privileged_state: bool = False

    def __post_init__(self) -> None:
        check_choice("dynamics", self.dynamics, DYNAMICS)
        check_keywords("dynamics_kwargs", self.dynamics_kwargs)
        if self.response_iterations is not None:
            check_int("response_iterations", self.response_iterations, 0)
        if self.reward_plays is not None:
            check_positive_int("reward_plays", self.reward_plays)
        check_bool("privileged_state", self.privileged_state)


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


def split_env_kwargs(
    env_id: str, kwargs: dict[str, Any]
) -> tuple[str, EpisodeOptions, dict[str, Any]]:
    """Split ``gym.make(env_id, **kwargs)`` keywords into the game name, the episode options and
    the game's own parameters (the registry's preset keywords first, then ``kwargs``)."""
    from econ_envs.registry import STACKELBERG, check_identity, entry

    registered = entry(env_id)
    if registered.family != STACKELBERG:
        raise ValueError(f"env_id={env_id!r} is not a Stackelberg POMDP env")
    check_identity(env_id, kwargs)
    merged = {**registered.kwargs, **kwargs}
    merged.pop("env_id", None)
    game = merged.pop("game")
    option_names = EpisodeOptions.__dataclass_fields__
    options = EpisodeOptions(**{k: merged.pop(k) for k in list(merged) if k in option_names})
    merged.pop("render_mode", None)
    return game, options, merged


def check_autoreset_mode(
    value: Any, allowed: tuple[AutoresetMode, ...], why: str = ""
) -> AutoresetMode:
    """``value`` as an :class:`~gymnasium.vector.AutoresetMode` if it is one of ``allowed``
    (a member, or its value such as ``"SameStep"``, as gymnasium's vector envs accept).

    Raises:
        KeywordTypeError: for a value that is neither a mode nor a string.
        ValueError: for any other mode, listing ``allowed`` and adding ``why``.
    """
    listed = ", ".join(f"AutoresetMode.{mode.name} ({mode.value!r})" for mode in allowed)
    if not isinstance(value, AutoresetMode | str):
        raise KeywordTypeError(
            f"autoreset_mode must be one of {listed}, got {value!r} ({type(value).__name__})"
        )
    mode = next((m for m in AutoresetMode if value in (m, m.value)), None)
    if mode not in allowed:
        raise ValueError(f"autoreset_mode must be one of {listed}, got {value!r}{why}")
    return mode
