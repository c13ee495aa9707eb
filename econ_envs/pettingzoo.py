"""PettingZoo versions of the Stackelberg base games (SPEC §3), by registry id.

::

    from econ_envs import pettingzoo as pz
    aec = pz.env("econ_envs/MSPM-v0", n_types=4)       # AEC, order-enforcing wrapper
    par = pz.parallel_env("econ_envs/MSPM-v0")          # parallel
    raw = pz.raw_env("econ_envs/MessageAllocation-v0")  # AEC, unwrapped

    from econ_envs.pettingzoo import mspm_v0             # or one module per id, as PettingZoo
    aec, par, raw = mspm_v0.env(n_types=4), mspm_v0.parallel_env(), mspm_v0.raw_env()

The per-id modules are generated from the registry (module ``__getattr__``): their names are the
ids in PettingZoo's form (:func:`econ_envs.registry.pettingzoo_name`, also the envs'
``metadata["name"]``), listed by :func:`modules`.
Each id of the Stackelberg family has both views: one play of the base game, without the
response phase, with the followers as agents (see :mod:`econ_envs.adapters.pettingzoo_env`).
The keywords are the game's own (those of ``gym.make(env_id, ...)`` minus the episode options,
which have no meaning here). AMA ids have no PettingZoo view (their agents do not act).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import Any

from pettingzoo.utils import wrappers

from econ_envs.adapters.pettingzoo_env import StackelbergAECEnv, StackelbergParallelEnv
from econ_envs.episode_options import EpisodeOptions, split_env_kwargs
from econ_envs.registry import STACKELBERG, pettingzoo_name
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


def modules() -> dict[str, str]:
    """The per-id module names (``"mspm_v0"``, ...) and the id each one builds."""
    return {pettingzoo_name(env_id): env_id for env_id in ids()}


@cache
def _id_module(env_id: str) -> ModuleType:
    """The module of ``env_id``: its ``env``, ``parallel_env`` and ``raw_env``."""
    name = pettingzoo_name(env_id)
    module = ModuleType(f"{__name__}.{name}", f"PettingZoo constructors of {env_id!r}.")
    module.env_id = env_id  # type: ignore[attr-defined]
    for factory in (env, parallel_env, raw_env):
        setattr(module, factory.__name__, _bound(factory, env_id, module.__name__))
    return module


def _bound(factory: Callable[..., Any], env_id: str, module: str) -> Callable[..., Any]:
    """``factory`` with its id fixed to ``env_id``, named as a function of ``module``."""

    def bound(**kwargs: Any) -> Any:
        return factory(env_id, **kwargs)

    bound.__name__ = bound.__qualname__ = factory.__name__
    bound.__module__ = module
    bound.__doc__ = f"``{factory.__name__}({env_id!r}, **kwargs)``: {factory.__doc__}"
    return bound


def __getattr__(name: str) -> ModuleType:
    """``econ_envs.pettingzoo.mspm_v0`` and the other per-id modules (see :func:`modules`)."""
    found = modules().get(name)
    if found is None:
        raise AttributeError(
            f"module {__name__!r} has no attribute {name!r}; its per-environment modules are "
            f"{', '.join(modules())}"
        )
    return _id_module(found)


def __dir__() -> list[str]:
    return sorted([*globals(), *modules()])


__all__ = ["env", "ids", "modules", "parallel_env", "raw_env"]
