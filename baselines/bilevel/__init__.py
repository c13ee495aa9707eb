"""Bilevel baselines for the dynamic AMA family (Curry et al., AAAI 2024): Sobol grid search,
zeroth-order gradient ascent and first-order ascent through an entropy-regularized planner in
torch. Scores always come from the exact planner of :mod:`econ_envs.ama`.

The names below are imported on first use (PEP 562), so that importing a torch-free submodule
(:mod:`baselines.bilevel.settings`, the command line) does not import torch.
"""

from __future__ import annotations

import importlib
from typing import Any

#: public name -> the submodule defining it
_EXPORTS = {
    "BilevelResult": "runner",
    "FirstOrderConfig": "settings",
    "GridConfig": "settings",
    "SoftPlan": "soft_planner",
    "SoftPlanner": "soft_planner",
    "ZerothOrderConfig": "settings",
    "load_params": "runner",
    "optimize": "runner",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import ``name`` from its submodule on first access."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
