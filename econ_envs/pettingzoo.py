"""PettingZoo versions of the Stackelberg base games (SPEC §3), by registry id.

::

    from econ_envs import pettingzoo as pz
    aec = pz.env("econ_envs/MSPM-v0", n_types=4)       # AEC, order-enforcing wrapper
    par = pz.parallel_env("econ_envs/MSPM-v0")          # parallel
    raw = pz.raw_env("econ_envs/MessageAllocation-v0")  # AEC, unwrapped

Each id of the Stackelberg family has both views: one play of the base game, without the
response phase, with the followers as agents (see :mod:`econ_envs.adapters.pettingzoo_env`).
The keywords are the game's own (those of ``gym.make(env_id, ...)`` minus the episode options,
which have no meaning here). AMA ids have no PettingZoo view (their agents do not act).
"""

from __future__ import annotations

from typing import Any

from pettingzoo.utils import wrappers

from econ_envs.adapters.common import EpisodeOptions, split_env_kwargs
from econ_envs.adapters.pettingzoo_env import StackelbergAECEnv, StackelbergParallelEnv
from econ_envs.registry import STACKELBERG
from econ_envs.registry import ids as _registry_ids


def ids() -> tuple[str, ...]:
    """Every id that has a PettingZoo view (the Stackelberg family)."""
    return _registry_ids(STACKELBERG)


def _game_kwargs(env_id: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    episode_keys = sorted(k for k in kwargs if k in EpisodeOptions.__dataclass_fields__)
    if episode_keys:
        raise ValueError(
            f"{episode_keys} are Stackelberg-episode options; the PettingZoo view of {env_id!r} "
            "is one play of the base game and takes only the game's keywords"
        )
    game, _, params = split_env_kwargs(env_id, kwargs)
    return {"game": game, "name": env_id, "render_mode": kwargs.get("render_mode"), **params}


def raw_env(env_id: str, **kwargs: Any) -> StackelbergAECEnv:
    """The unwrapped AEC env of ``env_id`` with the game keywords ``kwargs``.

    Raises:
        ValueError: for an unknown id, an AMA id, or episode options (``dynamics``, ...).
    """
    return StackelbergAECEnv(**_game_kwargs(env_id, kwargs))


def env(env_id: str, **kwargs: Any) -> wrappers.OrderEnforcingWrapper:
    """The AEC env of ``env_id`` (see :func:`raw_env`) behind PettingZoo's order-enforcing
    wrapper (``step`` before ``reset`` raises)."""
    return wrappers.OrderEnforcingWrapper(raw_env(env_id, **kwargs))


def parallel_env(env_id: str, **kwargs: Any) -> StackelbergParallelEnv:
    """The parallel env of ``env_id`` (see :func:`raw_env`): messages at step 0, then leader
    steps."""
    return StackelbergParallelEnv(**_game_kwargs(env_id, kwargs))


__all__ = ["env", "ids", "parallel_env", "raw_env"]
