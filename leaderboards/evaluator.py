"""The official evaluator: recompute a submission's score from its data with the suite's exact
evaluators and the board's fixed seeds (SPEC §5). A submitted score is never read.

Stackelberg boards: :func:`econ_envs.policy_table.evaluate_table_seeds` on the board's seeds;
score = mean exact leader value, regret = max exact equilibrium regret. AMA boards:
:func:`econ_envs.ama.evaluate` on the board's fixed profiles, VCG beside it. Evaluation always
uses the board's keywords, never the submission's own copy of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from econ_envs import ama
from econ_envs.policy_table import evaluate_table_seeds
from econ_envs.registry import STACKELBERG
from leaderboards.submission import Submission

#: bump when a change of the evaluator can change a score
EVALUATOR_VERSION = "1.0"
#: the fields of each seed's result on a Stackelberg board (``details["per_seed"]``)
PER_SEED_FIELDS = ("seed", "value", "regret", "empirical_regret", "follower_strategies")
#: the metrics of an AMA board's ``details`` (each with ``<name>_se`` and ``vcg_<name>``)
AMA_METRICS = ("objective", "revenue", "welfare", "makespan")


@dataclass(frozen=True)
class Evaluation:
    """The official result of one submission on its board.

    Attributes:
        score: the board's metric.
        score_se: standard error of the score (over seeds or type profiles).
        regret: the exact equilibrium regret (0 for AMA: truthful reporting is dominant).
        optimality_gap: distance to the board's known optimum, ``None`` where unknown.
        details: everything else the evaluator computed (per-seed values, VCG, ...), JSON data;
            the record keeps it as ``evaluation``.
    """

    score: float
    score_se: float
    regret: float
    optimality_gap: float | None
    details: dict[str, Any] = field(default_factory=dict)


def _stackelberg(submission: Submission) -> Evaluation:
    board = submission.board
    results = evaluate_table_seeds(
        board.env_id,
        np.asarray(submission.data["table"], dtype=np.float64),
        seeds=board.seeds,
        **board.env_kwargs,
    )
    values = np.array([r.value for r in results])
    score = float(values.mean())
    rows = tuple(
        (r.seed, r.value, r.regret, r.empirical_regret, r.follower_strategies.tolist())
        for r in results
    )
    return Evaluation(
        score=score,
        score_se=float(values.std(ddof=1) / np.sqrt(values.size)) if values.size > 1 else 0.0,
        regret=max(r.regret for r in results),
        optimality_gap=board.gap(score),
        details={"per_seed": [dict(zip(PER_SEED_FIELDS, row, strict=True)) for row in rows]},
    )


def _ama(submission: Submission) -> Evaluation:
    board = submission.board
    params = ama.AMAParams.from_dict(submission.data["params"])
    result = ama.evaluate(
        board.env_id, params, n_profiles=board.n_profiles, seed=board.seeds[0], **board.env_kwargs
    )
    rows = tuple(
        (
            name,
            getattr(result, name),
            getattr(result, f"{name}_se"),
            result.vcg_objective if name == "objective" else getattr(result, f"vcg_{name}"),
        )
        for name in AMA_METRICS
    )
    details = {
        "objective_name": result.objective_name,
        "domain": result.domain,
        "config": result.config,
        "n_profiles": result.n_profiles,
        "seed": result.seed,
    }
    for name, value, se, vcg in rows:
        details.update({name: value, f"{name}_se": se, f"vcg_{name}": vcg})
    return Evaluation(
        score=result.objective,
        score_se=result.objective_se,
        regret=0.0,
        optimality_gap=board.gap(result.objective),
        details=details,
    )


def evaluate_submission(submission: Submission) -> Evaluation:
    """Score a checked submission on its board (deterministic: same data, same result)."""
    if submission.board.family == STACKELBERG:
        return _stackelberg(submission)
    return _ama(submission)
