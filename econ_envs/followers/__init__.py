"""Follower dynamics, selected by name from :data:`DYNAMICS` (SPEC §1.2)."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from econ_envs.followers.base import FollowerDynamics, ResponseSchedule
from econ_envs.games.base import GameSpec
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import check_choice

#: dynamics name -> "module:Class"; adding a dynamics is one line here and one module
DYNAMICS: dict[str, str] = {
    "mw": "econ_envs.followers.mw:MultiplicativeWeights",
    "best_response": "econ_envs.followers.best_response:BestResponse",
    "q_learning": "econ_envs.followers.q_learning:QLearning",
    "logit": "econ_envs.followers.logit:Logit",
    "regret_matching": "econ_envs.followers.regret_matching:RegretMatching",
}


def dynamics_class(name: str) -> type[FollowerDynamics]:
    """The class of the dynamics ``name`` (a key of :data:`DYNAMICS`; ``ValueError`` otherwise)."""
    module, name_in_module = DYNAMICS[check_choice("dynamics", name, DYNAMICS)].split(":")
    return getattr(importlib.import_module(module), name_in_module)


def plays_per_iteration(name: str, spec: GameSpec) -> int:
    """The plays one response iteration of dynamics ``name`` takes on a game declaring
    ``spec`` (e.g. ``sum(spec.n_messages)`` for ``"mw"``, 1 for ``"q_learning"``)."""
    return dynamics_class(name).plays_per_iteration(spec)


def make_dynamics(
    name: str, spec: GameSpec, types: TypeDistribution, batch: int, **params: Any
) -> FollowerDynamics:
    """Construct dynamics ``name`` (a key of :data:`DYNAMICS`) for ``batch`` episodes.

    Raises:
        ValueError: for an unknown name, or keywords the dynamics does not take (checked
            against its signature; errors of the dynamics' own checks pass unchanged).
    """
    cls = dynamics_class(name)
    try:
        inspect.signature(cls).bind(spec, types, batch, **params)
    except TypeError as error:
        raise ValueError(
            f"dynamics_kwargs {params} do not fit dynamics={name!r}: {error}"
        ) from None
    return cls(spec, types, batch, **params)


__all__ = [
    "DYNAMICS",
    "FollowerDynamics",
    "ResponseSchedule",
    "dynamics_class",
    "make_dynamics",
    "plays_per_iteration",
]
