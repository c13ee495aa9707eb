"""The keywords of a Stackelberg env that belong to the episode, not to the game (SPEC §1.3).

Every Stackelberg adapter (single env, vector env, PettingZoo views) and the policy-table
evaluator take the same five episode options; :class:`EpisodeOptions` declares them once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from econ_envs.followers import DYNAMICS
from econ_envs.registry import STACKELBERG, check_identity, entry
from econ_envs.validation import (
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

    @staticmethod
    def names() -> tuple[str, ...]:
        """The option keywords, in declaration order."""
        return tuple(f.name for f in dataclasses.fields(EpisodeOptions))

    @staticmethod
    def defaults() -> dict[str, Any]:
        """Every option keyword with its default value."""
        return {f.name: f.default for f in dataclasses.fields(EpisodeOptions)}

    @classmethod
    def split(cls, kwargs: Mapping[str, Any]) -> tuple[EpisodeOptions, dict[str, Any]]:
        """The options among ``kwargs`` (checked) and the other keywords, in their order."""
        names = cls.names()
        options = cls(**{k: v for k, v in kwargs.items() if k in names})
        return options, {k: v for k, v in kwargs.items() if k not in names}


def split_env_kwargs(
    env_id: str, kwargs: Mapping[str, Any]
) -> tuple[str, EpisodeOptions, dict[str, Any]]:
    """Split ``gym.make(env_id, **kwargs)`` keywords into the game name, the episode options and
    the game's own parameters (the registry's preset keywords first, then ``kwargs``)."""
    registered = entry(env_id)
    if registered.family != STACKELBERG:
        raise ValueError(f"env_id={env_id!r} is not a Stackelberg POMDP env")
    check_identity(env_id, kwargs)
    merged = {**registered.kwargs, **kwargs}
    merged.pop("env_id", None)
    game = merged.pop("game")
    options, params = EpisodeOptions.split(merged)
    params.pop("render_mode", None)
    return game, options, params
