"""The three bilevel optimizers of Curry et al.: Sobol grid search, zeroth-order gradient
ascent (Gaussian smoothing), and first-order ascent through the soft planner.

Each takes a :class:`~baselines.bilevel.problem.BilevelProblem`, a start vector, a frozen
config and a seeded generator, calls ``log(step, metrics)`` as it goes, and returns the final
parameter vector. Scores and gradients use fresh type profiles every step (common to all
candidates or perturbations of that step).
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil, log2

import numpy as np
import torch
from scipy.stats import qmc
from tqdm.auto import tqdm

from baselines.bilevel.problem import BilevelProblem
from baselines.bilevel.settings import (
    METHOD_CONFIGS,
    FirstOrderConfig,
    GridConfig,
    MethodConfig,
    ZerothOrderConfig,
)
from baselines.bilevel.soft_planner import SoftPlanner

Logger = Callable[[int, dict[str, float]], None]


def grid_search(
    problem: BilevelProblem,
    start: np.ndarray,
    config: GridConfig,
    rng: np.random.Generator,
    log: Logger,
    progress: bool = True,
) -> np.ndarray:
    """Best of ``start`` and ``n_points`` scrambled Sobol points of the box, all scored on the
    same ``n_profiles`` profiles."""
    low, high = problem.bounds()
    sobol = qmc.Sobol(problem.dim, scramble=True, seed=rng)
    points = sobol.random_base2(ceil(log2(max(config.n_points, 1))))[: config.n_points]
    candidates = np.vstack([start, low + (high - low) * points])
    types = problem.sample_types(rng, config.n_profiles)
    best, best_score = start, -np.inf
    for k, x in enumerate(tqdm(candidates, desc="grid", disable=not progress)):
        score = problem.exact_score(x, types)
        if score > best_score:
            best, best_score = x, score
        log(k, {"train/score": score, "train/best_score": best_score})
    return best


def zeroth_order(
    problem: BilevelProblem,
    start: np.ndarray,
    config: ZerothOrderConfig,
    rng: np.random.Generator,
    log: Logger,
    progress: bool = True,
) -> np.ndarray:
    """Gradient ascent with the antithetic Gaussian-smoothing estimate
    ``mean_k (f(x + s e_k) - f(x - s e_k)) / (2 s) e_k``."""
    low, high = problem.bounds()
    x = start.copy()
    for step in tqdm(range(config.steps), desc="zeroth-order", disable=not progress):
        types = problem.sample_types(rng, config.n_profiles)
        noise = rng.standard_normal((config.n_perturbations, problem.dim))
        plus = np.array([problem.exact_score(x + config.sigma * e, types) for e in noise])
        minus = np.array([problem.exact_score(x - config.sigma * e, types) for e in noise])
        gradient = ((plus - minus)[:, None] * noise).mean(axis=0) / (2 * config.sigma)
        x = np.clip(x + config.learning_rate * gradient, low, high)
        log(
            step,
            {
                "train/score": float((plus + minus).mean() / 2),
                "train/gradient_norm": float(np.linalg.norm(gradient)),
            },
        )
    return x


def first_order(
    problem: BilevelProblem,
    start: np.ndarray,
    config: FirstOrderConfig,
    rng: np.random.Generator,
    log: Logger,
    progress: bool = True,
) -> np.ndarray:
    """Adam ascent on the soft planner's objective, differentiated by autograd.

    Runs torch on one thread: the tensors are small, and intra-op threads only contend.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _first_order(problem, start, config, rng, log, progress)
    finally:
        torch.set_num_threads(threads)


def _first_order(
    problem: BilevelProblem,
    start: np.ndarray,
    config: FirstOrderConfig,
    rng: np.random.Generator,
    log: Logger,
    progress: bool,
) -> np.ndarray:
    low, high = (torch.as_tensor(bound) for bound in problem.bounds())
    planner = SoftPlanner(problem.domain.mdp, config.temperature)
    x = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([x], lr=config.learning_rate)
    for step in tqdm(range(config.steps), desc="first-order", disable=not progress):
        types = problem.sample_types(rng, config.n_profiles)
        optimizer.zero_grad()
        score = problem.soft_score(x, types, planner)
        (-score).backward()
        optimizer.step()
        with torch.no_grad():
            x.copy_(torch.clamp(x, low, high))
        log(step, {"train/soft_score": float(score.detach())})
    return x.detach().numpy().copy()


_FUNCTIONS: dict[str, Callable[..., np.ndarray]] = {
    "grid": grid_search,
    "zeroth-order": zeroth_order,
    "first-order": first_order,
}

#: method name -> (optimizer, the type of its settings)
METHODS: dict[str, tuple[Callable[..., np.ndarray], type[MethodConfig]]] = {
    name: (_FUNCTIONS[name], config_type) for name, config_type in METHOD_CONFIGS.items()
}
