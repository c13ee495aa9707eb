"""The settings of the three bilevel optimizers, without the optimizers (no torch, no scipy).

The command line reads these to declare its options, so ``econ-baselines bilevel --help``
answers without importing torch; :mod:`baselines.bilevel.methods` holds the optimizers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GridConfig:
    """Sobol grid search (published: 10,000 points x 2,000 profiles)."""

    n_points: int = 1024
    n_profiles: int = 500


@dataclass(frozen=True)
class ZerothOrderConfig:
    """Gaussian-smoothing gradient ascent (published: 20 perturbations, std 0.05, 20 profiles,
    learning rate 0.1). Antithetic pairs; one set of profiles per step."""

    steps: int = 300
    n_perturbations: int = 20
    sigma: float = 0.05
    learning_rate: float = 0.1
    n_profiles: int = 20


@dataclass(frozen=True)
class FirstOrderConfig:
    """Adam ascent on the soft planner's objective (published: entropy strength 0.01,
    20 profiles per step, learning rate 0.01)."""

    steps: int = 300
    temperature: float = 0.01
    learning_rate: float = 0.01
    n_profiles: int = 20


MethodConfig = GridConfig | ZerothOrderConfig | FirstOrderConfig

#: method name -> the type of its settings
METHOD_CONFIGS: dict[str, type[MethodConfig]] = {
    "grid": GridConfig,
    "zeroth-order": ZerothOrderConfig,
    "first-order": FirstOrderConfig,
}

#: what each setting (a field of one or more method configs) means, for the command line
SETTING_HELP: dict[str, str] = {
    "n_points": "Sobol points scored by the grid search",
    "n_profiles": "type profiles drawn per step; grid: one set, shared by every point",
    "steps": "optimization steps",
    "n_perturbations": "antithetic Gaussian perturbations per gradient estimate",
    "sigma": "standard deviation of the perturbations",
    "learning_rate": "step size of the ascent; first-order: Adam's learning rate",
    "temperature": "entropy strength of the soft planner",
}
