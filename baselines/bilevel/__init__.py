"""Bilevel baselines for the dynamic AMA family (Curry et al., AAAI 2024): Sobol grid search,
zeroth-order gradient ascent and first-order ascent through an entropy-regularized planner in
torch. Scores always come from the exact planner of :mod:`econ_envs.ama`."""

from baselines.bilevel.methods import FirstOrderConfig, GridConfig, ZerothOrderConfig
from baselines.bilevel.runner import BilevelResult, load_params, optimize
from baselines.bilevel.soft_planner import SoftPlan, SoftPlanner

__all__ = [
    "BilevelResult",
    "FirstOrderConfig",
    "GridConfig",
    "SoftPlan",
    "SoftPlanner",
    "ZerothOrderConfig",
    "load_params",
    "optimize",
]
