"""Multi-start bilevel optimization of AMA parameters, evaluated by the official evaluator.

Start 0 is VCG (all boosts 0, weights 1); further starts add Gaussian noise. Each start runs the
chosen method; the best start on held-out validation profiles is kept and scored by
:func:`econ_envs.ama.evaluate` (exact planner, fixed evaluation seed). Randomness: every start
and the validation set get their own stream spawned from ``seed``, so runs are reproducible.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from baselines.bilevel.methods import METHODS, Logger, MethodConfig
from baselines.bilevel.problem import BilevelProblem
from econ_envs import git_commit, package_version
from econ_envs.ama import AMAParams, evaluate, resolve_domain


@dataclass(frozen=True)
class BilevelResult:
    """Everything a bilevel run produced (JSON-friendly through :meth:`to_dict`)."""

    env: str
    domain_config: dict[str, Any]
    method: str
    method_config: dict[str, Any]
    seed: int
    n_starts: int
    optimize_weights: bool
    validation_scores: list[float]
    best_start: int
    params: dict[str, list]
    evaluation: dict[str, Any]
    wall_clock_s: float
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for ``json.dump``."""
        return asdict(self)

    def write_json(self, path: Path | str) -> Path:
        """Write the result to ``path`` (parents created); returns the path."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(self.to_dict(), indent=2))
        return target


def optimize(
    env: str,
    method: str,
    *,
    config: MethodConfig | None = None,
    n_starts: int = 1,
    seed: int = 0,
    optimize_weights: bool | None = None,
    init_std: float = 0.1,
    n_validation: int = 2000,
    eval_profiles: int = 10_000,
    eval_seed: int = 0,
    log: Logger | None = None,
    progress: bool = True,
    **domain_kwargs: Any,
) -> BilevelResult:
    """Optimize the AMA of ``env`` (an id or a domain name) with ``method``.

    Args:
        method: ``"grid"``, ``"zeroth-order"`` or ``"first-order"``.
        config: the method's config (default: its defaults).
        n_starts: independent starts; the best on validation profiles is kept.
        optimize_weights: default: only for asymmetric type distributions.
        init_std: noise of starts 1, 2, ... around VCG.
        log: ``log(step, metrics)`` callback (e.g. a W&B run's ``log``).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    run_method, config_type = METHODS[method]
    config = config_type() if config is None else config
    if not isinstance(config, config_type):
        raise ValueError(f"method {method!r} needs a {config_type.__name__}, got {config!r}")
    if n_starts < 1:
        raise ValueError(f"n_starts must be >= 1, got {n_starts!r}")
    domain = resolve_domain(env, **domain_kwargs)
    domain.check_profiles("n_validation", n_validation)  # before any optimization, not after
    domain.check_profiles("eval_profiles", eval_profiles, minimum=2)
    weights_too = not domain.symmetric if optimize_weights is None else optimize_weights
    problem = BilevelProblem(domain, weights_too)
    begin = time.perf_counter()
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(n_starts + 1)]
    validation = problem.sample_types(streams[0], n_validation)
    low, high = problem.bounds()
    candidates, scores = [], []
    counter = itertools.count()  # one monotonic step axis across starts
    for start_index, rng in enumerate(streams[1:]):
        noise = 0.0 if start_index == 0 else init_std * rng.standard_normal(problem.dim)
        start = np.clip(np.zeros(problem.dim) + noise, low, high)

        def start_log(step: int, metrics: dict[str, float], start_index: int = start_index) -> None:
            if log is not None:
                log(next(counter), {**metrics, "train/start": start_index, "train/step": step})

        x = run_method(problem, start, config, rng, start_log, progress)
        candidates.append(x)
        scores.append(problem.exact_score(x, validation))
        start_log(-1, {"validation/score": scores[-1]})
    best = int(np.argmax(scores))
    params = problem.params(candidates[best])
    report = evaluate(
        domain.name, params, n_profiles=eval_profiles, seed=eval_seed, **domain.config
    )
    return BilevelResult(
        env=env,
        domain_config={"domain": domain.name, **domain.config},
        method=method,
        method_config=asdict(config),
        seed=seed,
        n_starts=n_starts,
        optimize_weights=weights_too,
        validation_scores=scores,
        best_start=best,
        params=params.to_dict(),
        evaluation=asdict(report),
        wall_clock_s=time.perf_counter() - begin,
        provenance={"git_commit": git_commit(), "package_version": package_version()},
    )


def load_params(path: Path | str) -> AMAParams:
    """The AMA parameters stored in a result JSON written by :meth:`BilevelResult.write_json`."""
    return AMAParams.from_dict(json.loads(Path(path).read_text())["params"])
