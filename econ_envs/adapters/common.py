"""What the single and the vector gymnasium env share: construction and spaces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np

from econ_envs.games import StackelbergGame, make_game
from econ_envs.stackelberg import StackelbergEpisodes


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
    """

    dynamics: str = "mw"
    dynamics_kwargs: dict[str, Any] | None = None
    response_iterations: int | None = None
    reward_plays: int | None = None
    privileged_state: bool = False


def build(
    game: str, batch: int, options: EpisodeOptions, game_params: dict[str, Any]
) -> tuple[StackelbergGame, StackelbergEpisodes]:
    """The game ``game`` and ``batch`` episodes of it."""
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
    from econ_envs.registry import STACKELBERG, entry

    registered = entry(env_id)
    if registered.family != STACKELBERG:
        raise ValueError(f"env_id={env_id!r} is not a Stackelberg POMDP env")
    merged = {**registered.kwargs, **kwargs}
    game = merged.pop("game")
    option_names = EpisodeOptions.__dataclass_fields__
    options = EpisodeOptions(**{k: merged.pop(k) for k in list(merged) if k in option_names})
    merged.pop("render_mode", None)
    return game, options, merged
