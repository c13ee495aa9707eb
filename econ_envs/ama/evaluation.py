"""Scoring AMA parameters: per-profile objectives and the leaderboard evaluator.

:func:`evaluate` is the official score of an AMA submission: the exact, unregularized planner on
``n_profiles`` type profiles drawn from ``numpy.random.default_rng(seed)``, with VCG evaluated on
the same profiles beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from econ_envs.ama.domains import AMADomain, make_domain
from econ_envs.ama.mechanism import AMAParams, Outcome, run_mechanism
from econ_envs.validation import KeywordTypeError, check_int

ENV_PREFIX = "econ_envs/"


@dataclass(frozen=True, eq=False)
class ProfileScores:
    """Per-profile results of one mechanism on a batch of profiles.

    Attributes:
        objective: ``(B,)`` the domain's objective (revenue, or makespan).
        outcome: payments, revenue and welfare.
        makespan: ``(B,)`` or ``None`` where the domain has none.
    """

    objective: np.ndarray
    outcome: Outcome
    makespan: np.ndarray | None


def score_profiles(domain: AMADomain, params: AMAParams, types: np.ndarray) -> ProfileScores:
    """Run the AMA ``params`` on ``types`` (truthful reports) and score every profile."""
    outcome = run_mechanism(domain.mdp, params, types)
    span = None
    if domain.makespan_fn is not None:
        span = domain.makespan_fn(types, outcome.plan.path_actions)
    objective = span if domain.objective == "makespan" else outcome.revenue
    return ProfileScores(objective, outcome, span)


@dataclass(frozen=True)
class AMAEvaluation:
    """The official evaluation of one AMA on fixed type profiles.

    ``objective`` is the domain's score (revenue, higher is better; or makespan, lower is
    better: see ``higher_is_better``); ``*_se`` are standard errors of the means;
    ``vcg_*`` are VCG's values on the same profiles.
    """

    domain: str
    config: dict[str, Any]
    objective_name: str
    higher_is_better: bool
    objective: float
    objective_se: float
    revenue: float
    revenue_se: float
    welfare: float
    welfare_se: float
    makespan: float | None
    makespan_se: float | None
    vcg_objective: float
    vcg_objective_se: float
    vcg_revenue: float
    vcg_welfare: float
    vcg_makespan: float | None
    n_profiles: int
    seed: int


def _mean_se(values: np.ndarray) -> tuple[float, float]:
    se = float(values.std(ddof=1) / np.sqrt(values.size)) if values.size > 1 else 0.0
    return float(values.mean()), se


def resolve_domain(domain_or_env_id: str, **domain_kwargs: Any) -> AMADomain:
    """A domain from its name or from a registered id (``econ_envs/SequentialSales-v0``), the
    id's preset overridden by ``domain_kwargs``."""
    if not isinstance(domain_or_env_id, str):
        raise KeywordTypeError(
            "domain_or_env_id must be a domain name or an econ_envs id (a str), got "
            f"{domain_or_env_id!r}"
        )
    if domain_or_env_id.startswith(ENV_PREFIX):
        from econ_envs.registry import AMA, check_identity, entry

        spec = entry(domain_or_env_id)
        if spec.family != AMA:
            raise ValueError(f"{domain_or_env_id!r} is not an AMA environment id")
        check_identity(domain_or_env_id, domain_kwargs)  # no domain= swapping the id's domain
        kwargs = {**spec.kwargs, **domain_kwargs}
        return make_domain(kwargs.pop("domain"), **kwargs)
    return make_domain(domain_or_env_id, **domain_kwargs)


def evaluate(
    domain_or_env_id: str,
    params: AMAParams | None,
    *,
    n_profiles: int = 10_000,
    seed: int = 0,
    **domain_kwargs: Any,
) -> AMAEvaluation:
    """Evaluate ``params`` (``None`` = VCG) exactly on ``n_profiles`` profiles (an integer
    >= 2 within the domain's size guard, see :meth:`AMADomain.check_profiles`) drawn from
    ``seed`` (an integer >= 0)."""
    if params is not None and not isinstance(params, AMAParams):
        raise KeywordTypeError(
            f"params must be AMAParams or None (VCG), got {type(params).__name__}: use "
            "AMAParams.from_dict or AMAParams.from_flat"
        )
    seed = check_int("seed", seed, 0)
    domain = resolve_domain(domain_or_env_id, **domain_kwargs)
    n_profiles = domain.check_profiles("n_profiles", n_profiles, minimum=2)
    vcg_params = AMAParams.vcg(domain.mdp)
    params = vcg_params if params is None else params.check(domain.mdp)
    types = domain.sample_types(np.random.default_rng(seed), n_profiles)
    scores = score_profiles(domain, params, types)
    vcg = score_profiles(domain, vcg_params, types)
    objective, objective_se = _mean_se(scores.objective)
    revenue, revenue_se = _mean_se(scores.outcome.revenue)
    welfare, welfare_se = _mean_se(scores.outcome.welfare)
    span, span_se = (None, None) if scores.makespan is None else _mean_se(scores.makespan)
    vcg_objective, vcg_objective_se = _mean_se(vcg.objective)
    return AMAEvaluation(
        domain=domain.name,
        config=dict(domain.config),
        objective_name=domain.objective,
        higher_is_better=domain.higher_is_better,
        objective=objective,
        objective_se=objective_se,
        revenue=revenue,
        revenue_se=revenue_se,
        welfare=welfare,
        welfare_se=welfare_se,
        makespan=span,
        makespan_se=span_se,
        vcg_objective=vcg_objective,
        vcg_objective_se=vcg_objective_se,
        vcg_revenue=float(vcg.outcome.revenue.mean()),
        vcg_welfare=float(vcg.outcome.welfare.mean()),
        vcg_makespan=None if vcg.makespan is None else float(vcg.makespan.mean()),
        n_profiles=n_profiles,
        seed=seed,
    )
