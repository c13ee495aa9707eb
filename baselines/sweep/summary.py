"""The summary of a sweep: one row per setting (env setting, algorithm, hyperparameter variant).

A *run* counts its best restart (equilibrium verified and optimal first, then the exact score);
a run *succeeds* when that restart reached the optimum within the training tolerance with
follower regret 0 (Stackelberg settings with a known optimum; AMA settings have none). Scores
are the exact evaluator's: mean ± standard deviation, median, best and worst over runs. Wall
clock and env steps are summed over the row's trials.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from baselines.sweep.layout import RESULT_NAME, SUMMARY_JSON, SUMMARY_MD, TRIALS_DIR
from baselines.sweep.schema import SweepConfig


@dataclass(frozen=True)
class Row:
    """One row of the summary.

    Attributes:
        setting, algorithm, variant, varied: what the row is (``varied``: its grid/random values).
        env_id, env_kwargs: the row's env.
        runs: runs with a result, of ``planned_runs``.
        failed: trials of the row without a result (failed, or not run yet).
        successes: runs that reached the optimum (``None``: no known optimum).
        mean, std, median, best, worst: the runs' exact scores (``None`` without runs).
        higher_is_better: the direction of the score.
        wall_clock_s: seconds of the row's trials, summed.
        env_steps: env steps of the row's trials, summed (``None`` for bilevel runs).
        best_trial: the trial with the best result (the one ``--submit best`` sends).
    """

    setting: str
    algorithm: str
    variant: int
    varied: dict[str, Any]
    env_id: str
    env_kwargs: dict[str, Any]
    runs: int
    planned_runs: int
    failed: int
    successes: int | None
    mean: float | None
    std: float | None
    median: float | None
    best: float | None
    worst: float | None
    higher_is_better: bool
    wall_clock_s: float
    env_steps: int | None
    best_trial: str | None

    @property
    def label(self) -> str:
        """``setting / algorithm`` and the varied values, if any."""
        values = ", ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in self.varied.items()
        )
        return f"{self.setting} / {self.algorithm}" + (f" ({values})" if values else "")


def load_results(sweep_dir: Path | str) -> list[dict[str, Any]]:
    """Every trial result written under the sweep directory."""
    paths = sorted((Path(sweep_dir) / TRIALS_DIR).glob(f"*/{RESULT_NAME}"))
    return [json.loads(path.read_text()) for path in paths]


def _rank(result: dict[str, Any]) -> tuple[bool, float, float]:
    """Sort key, larger is better: solved, then lower regret, then the score's direction."""
    sign = 1.0 if result["higher_is_better"] else -1.0
    return bool(result["solved"]), -float(result["regret"] or 0.0), sign * result["score"]


def summarize(config: SweepConfig, results: list[dict[str, Any]]) -> list[Row]:
    """One :class:`Row` per (setting, algorithm, variant) of ``config``, in sweep order."""
    planned: dict[tuple[str, str, int], list[Any]] = {}
    for trial in config.trials():
        planned.setdefault((trial.setting, trial.algorithm, trial.variant), []).append(trial)
    names = {trial.name for trials in planned.values() for trial in trials}
    by_row: dict[tuple[str, str, int], list[dict[str, Any]]] = {key: [] for key in planned}
    for result in results:
        if result["name"] in names:
            by_row[(result["setting"], result["algorithm"], result["variant"])].append(result)
    return [_row(config, planned[key], by_row[key]) for key in planned]


def _row(config: SweepConfig, planned: list[Any], results: list[dict[str, Any]]) -> Row:
    first = planned[0]
    runs: dict[int, dict[str, Any]] = {}
    for result in results:
        best = runs.get(result["run"])
        if best is None or _rank(result) > _rank(best):
            runs[result["run"]] = result
    scores = [r["score"] for r in runs.values()]
    higher = results[0]["higher_is_better"] if results else True
    ordered = sorted(scores, reverse=higher)
    known = [r for r in runs.values() if r["solved"] is not None]
    steps = [r["env_steps"] for r in results if r["env_steps"] is not None]
    return Row(
        setting=first.setting,
        algorithm=first.algorithm,
        variant=first.variant,
        varied=first.varied,
        env_id=first.env_id,
        env_kwargs=first.env_kwargs,
        runs=len(runs),
        planned_runs=config.runs,
        failed=len(planned) - len(results),
        successes=sum(bool(r["solved"]) for r in known) if known else None,
        mean=statistics.fmean(scores) if scores else None,
        std=statistics.pstdev(scores) if scores else None,
        median=statistics.median(scores) if scores else None,
        best=ordered[0] if scores else None,
        worst=ordered[-1] if scores else None,
        higher_is_better=higher,
        wall_clock_s=sum(r["wall_clock_s"] for r in results),
        env_steps=sum(steps) if steps else None,
        best_trial=max(runs.values(), key=_rank)["name"] if runs else None,
    )


def _fmt(value: float | None, digits: int = 4) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def markdown(rows: list[Row], wall_clock_s: float) -> str:
    """The summary as a markdown table, with the sweep's wall clock below it."""
    lines = [
        "| setting | successes | mean ± std | median | best | worst | wall clock (s) | "
        "env steps | failed |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        successes = "–" if row.successes is None else f"{row.successes}/{row.runs}"
        steps = "–" if row.env_steps is None else f"{row.env_steps:,}"
        lines.append(
            f"| {row.label} | {successes} | {_fmt(row.mean)} ± {_fmt(row.std)} | "
            f"{_fmt(row.median)} | {_fmt(row.best)} | {_fmt(row.worst)} | "
            f"{row.wall_clock_s:.1f} | {steps} | {row.failed} |"
        )
    lines.append("")
    lines.append(f"Sweep wall clock: {wall_clock_s:.1f} s.")
    return "\n".join(lines) + "\n"


def write_summary(
    sweep_dir: Path | str, config: SweepConfig, rows: list[Row], wall_clock_s: float
) -> tuple[Path, Path]:
    """Write ``summary.json`` and ``summary.md`` in the sweep directory; return both paths."""
    directory = Path(sweep_dir)
    document = {
        "sweep": config.name,
        "wall_clock_s": wall_clock_s,
        "trials": len(config.trials()),
        "rows": [{**asdict(row), "label": row.label} for row in rows],
    }
    json_path, md_path = directory / SUMMARY_JSON, directory / SUMMARY_MD
    json_path.write_text(json.dumps(document, indent=2))
    md_path.write_text(markdown(rows, wall_clock_s))
    return json_path, md_path
