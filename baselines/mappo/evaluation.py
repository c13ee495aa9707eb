"""Deterministic evaluation of a learned leader: export it as a policy table and score the table
exactly with the econ_envs evaluator (SPEC §5), then write it as JSON: a readable file with the
score, and a leaderboard submission (``econ-leaderboard submit``; data only, no score)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from tianshou.algorithm.modelfree.reinforce import ProbabilisticActorPolicy

from baselines.mappo.agent import policy_table
from baselines.mappo.rollout import REGRET_TOLERANCE
from econ_envs import describe_observations, evaluate_table_seeds


@dataclass(frozen=True)
class TableScore:
    """Exact scores of one policy table over several follower-dynamics seeds.

    Attributes:
        table: the policy table, (n_observations, *action_shape).
        values: the leader's exact expected utility per seed.
        regrets: exact follower equilibrium regret per seed.
        optimal_value: the env's known optimum, if any.
        seeds: the evaluator's seeds.
    """

    table: NDArray[Any]
    values: NDArray[np.float64]
    regrets: NDArray[np.float64]
    optimal_value: float | None
    seeds: tuple[int, ...]

    @property
    def value(self) -> float:
        """Mean exact value over the seeds."""
        return float(self.values.mean())

    @property
    def regret(self) -> float:
        """Largest exact regret over the seeds."""
        return float(self.regrets.max())

    @property
    def optimality_gap(self) -> float | None:
        """``optimal_value - value`` where the optimum is known."""
        return None if self.optimal_value is None else self.optimal_value - self.value

    def solved(self, tolerance: float = 0.02) -> bool:
        """Within ``tolerance`` of the optimum for every seed, with equilibrium regret 0."""
        return self.seeds_optimal(tolerance) == len(self.seeds)

    @property
    def seeds_in_equilibrium(self) -> int:
        """On how many seeds the followers end in equilibrium (exact regret 0)."""
        return int((self.regrets <= REGRET_TOLERANCE).sum())

    def seeds_optimal(self, tolerance: float = 0.02) -> int:
        """On how many seeds the value is within ``tolerance`` of the optimum with the followers
        in equilibrium (0 where the optimum is unknown)."""
        if self.optimal_value is None:
            return 0
        close = self.optimal_value - self.values <= tolerance
        return int((close & (self.regrets <= REGRET_TOLERANCE)).sum())

    def metrics(self) -> dict[str, float]:
        """W&B metrics of this evaluation."""
        out = {"eval/value": self.value, "eval/regret": self.regret}
        if self.optimality_gap is not None:
            out["econ/optimality_gap"] = self.optimality_gap
        return out


def score_table(
    table: NDArray[Any], env_id: str, env_kwargs: dict[str, Any], seeds: tuple[int, ...]
) -> TableScore:
    """Evaluate a policy table exactly with the official evaluator, for every seed."""
    results = evaluate_table_seeds(env_id, table, seeds=seeds, **env_kwargs)
    return TableScore(
        np.asarray(table),
        np.array([r.value for r in results]),
        np.array([r.regret for r in results]),
        results[0].optimal_value,
        tuple(seeds),
    )


def score_policy(
    policy: ProbabilisticActorPolicy,
    vectors: NDArray[np.float32],
    env_id: str,
    env_kwargs: dict[str, Any],
    seeds: tuple[int, ...],
) -> TableScore:
    """Export ``policy`` at the observation ``vectors`` and evaluate the table exactly."""
    return score_table(policy_table(policy, vectors), env_id, env_kwargs, seeds)


def score_document(score: TableScore, tolerance: float) -> dict[str, Any]:
    """A score as JSON-friendly fields, with its seed counts for the run's ``tolerance``."""
    return {
        "value": score.value,
        "values": score.values.tolist(),
        "regret": score.regret,
        "optimal_value": score.optimal_value,
        "optimality_gap": score.optimality_gap,
        "evaluator_seeds": list(score.seeds),
        "seeds_in_equilibrium": score.seeds_in_equilibrium,
        "seeds_optimal": score.seeds_optimal(tolerance),
        "solved": score.solved(tolerance),
    }


def write_table_json(
    path: Path,
    score: TableScore,
    held_out: TableScore,
    record: dict[str, Any],
    source: str,
    deterministic: TableScore,
) -> None:
    """Write the exported table, a readable description of its rows, its exact score on the
    run's evaluation seeds (``score``) and on its held-out check seeds (``held_out_score``),
    where it comes from (``source``), the deterministic policy's table and score beside it, and
    ``record`` (env id and kwargs, method, training seed and steps, wall-clock, provenance,
    config: its ``solve_tolerance`` counts the optimal seeds)."""
    tolerance = record["config"]["solve_tolerance"]
    env_id, env_kwargs = record["env_id"], record.get("env_kwargs", {})
    rows = describe_observations(env_id, **env_kwargs)
    document = {
        **record,
        "table_source": source,
        "table": score.table.tolist(),
        "observations": rows,
        "score": score_document(score, tolerance),
        "held_out_score": score_document(held_out, tolerance),
        "deterministic_policy": {
            "table": deterministic.table.tolist(),
            "score": score_document(deterministic, tolerance),
        },
    }
    _write_atomically(path, json.dumps(document, indent=2, default=_jsonable))


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    temporary.replace(path)


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def write_submission(
    path: Path,
    score: TableScore,
    record: dict[str, Any],
    curve: list[tuple[int, float]],
) -> None:
    """Write the table as a leaderboard submission (``leaderboards/schema/submission.schema
    .json``): env id and kwargs, the table, the method and how it was trained, with the
    learning ``curve`` of (env steps, exact value) pairs."""
    document = {
        "version": 1,
        "env_id": record["env_id"],
        "env_kwargs": record.get("env_kwargs", {}),
        "table": score.table.tolist(),
        "method": record["method"],
        "training": {
            "seeds": [int(record["training_seed"])],
            "steps": int(record["training_steps"]),
            "wall_clock_s": float(record["wall_clock_s"]),
            "curve": [[float(step), float(value)] for step, value in curve],
        },
        "notes": f"econ-baselines train; run {record['run_name']}; git {record['git_commit']}",
    }
    _write_atomically(path, json.dumps(document, indent=2))
