"""Follower dynamics, selected by name from :data:`DYNAMICS` (SPEC §1.2)."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from econ_envs.followers.base import FollowerDynamics
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


def make_dynamics(
    name: str, spec: GameSpec, types: TypeDistribution, batch: int, **params: Any
) -> FollowerDynamics:
    """Construct dynamics ``name`` (a key of :data:`DYNAMICS`) for ``batch`` episodes.

    Raises:
        ValueError: for an unknown name, or keywords the dynamics does not take (checked
            against its signature; errors of the dynamics' own checks pass unchanged).
    """
    module, name_in_module = DYNAMICS[check_choice("dynamics", name, DYNAMICS)].split(":")
    cls = getattr(importlib.import_module(module), name_in_module)
    try:
        inspect.signature(cls).bind(spec, types, batch, **params)
    except TypeError as error:
        raise ValueError(
            f"dynamics_kwargs {params} do not fit dynamics={name!r}: {error}"
        ) from None
    return cls(spec, types, batch, **params)


__all__ = ["DYNAMICS", "FollowerDynamics", "make_dynamics"]
