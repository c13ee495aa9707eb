"""Sweep progress on the console: one line per finished, failed or retried trial, each with the
live count of trials done, running and failed (Tune's own console output is off)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ray.tune import Callback
from ray.tune.experiment import Trial


class Progress(Callback):
    """A Tune callback printing the sweep's progress with ``out`` (default ``print``)."""

    def __init__(self, max_failures: int, out: Callable[[str], None] = print) -> None:
        self.max_failures = max_failures
        self.out = out

    def _line(self, trials: list[Trial], trial: Trial, finished: str, text: str) -> None:
        statuses = [t.status for t in trials if t is not trial]
        done = statuses.count(Trial.TERMINATED) + (finished == Trial.TERMINATED)
        failed = statuses.count(Trial.ERROR) + (finished == Trial.ERROR)
        running = statuses.count(Trial.RUNNING) + (finished == Trial.RUNNING)
        name = trial.config["trial"]["name"]
        self.out(f"[{done}/{len(trials)} done, {running} running, {failed} failed] {name}: {text}")

    def on_trial_complete(
        self, iteration: int, trials: list[Trial], trial: Trial, **info: Any
    ) -> None:
        """A trial finished: its exact score, regret, steps and seconds."""
        result = trial.last_result or {}
        parts = [f"score {result.get('score', float('nan')):.4f}"]
        if "regret" in result:
            parts.append(f"regret {result['regret']:.4f}")
        if "solved" in result:
            parts.append("optimal" if result["solved"] else "not optimal")
        if "env_steps" in result:
            parts.append(f"{result['env_steps']:,} env steps")
        parts.append(f"{result.get('wall_clock_s', 0.0):.1f} s")
        if result.get("resumed_from_step"):
            parts.append(f"resumed at step {result['resumed_from_step']:,}")
        self._line(trials, trial, Trial.TERMINATED, ", ".join(parts))

    def on_trial_recover(
        self, iteration: int, trials: list[Trial], trial: Trial, **info: Any
    ) -> None:
        """A trial failed and Tune retries it from its last checkpoint."""
        text = f"failed ({trial.num_failures} of {self.max_failures} retries), retrying"
        self._line(trials, trial, Trial.RUNNING, text + " from its last checkpoint")

    def on_trial_error(
        self, iteration: int, trials: list[Trial], trial: Trial, **info: Any
    ) -> None:
        """A trial failed for good (retries spent): where its error is."""
        self._line(trials, trial, Trial.ERROR, f"FAILED, see {trial.error_file}")
