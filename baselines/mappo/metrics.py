"""Training metrics that CleanRL logs and tianshou's PPO update does not return, and what the
progress bar shows."""

from __future__ import annotations

import numpy as np
import torch
from numpy.typing import NDArray

from baselines.mappo.evaluation import TableScore


def explained_variance(values: torch.Tensor, returns: torch.Tensor) -> float:
    """``1 - Var(returns - values) / Var(returns)`` (the critic's values before the update
    against the returns), as CleanRL logs it; NaN when the returns do not vary."""
    y, predicted = returns.double().numpy(), values.double().numpy()
    variance = np.var(y)
    return float("nan") if variance == 0 else float(1.0 - np.var(y - predicted) / variance)


def episode_lengths(
    terminated: NDArray[np.bool_], steps_so_far: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Env steps of the episodes that end in a rollout, and of the episodes still under way.

    Args:
        terminated: whether each step ended its env's episode, (steps, envs).
        steps_so_far: steps each env's episode under way had taken before the rollout, (envs,).

    Returns:
        The lengths of the ended episodes (time-major order) and the new ``steps_so_far``.
    """
    steps = terminated.shape[0]
    ends = np.where(terminated, np.arange(steps)[:, None], np.iinfo(np.int64).min)
    before = (-1 - steps_so_far)[None]  # the step each env's episode under way began after
    last_end = np.maximum.accumulate(np.concatenate([before, ends]), axis=0)
    lengths = np.arange(steps)[:, None] - last_end[:-1]
    return lengths[terminated], steps - 1 - last_end[-1]


def progress_postfix(best: TableScore | None) -> dict[str, str]:
    """The progress bar's numbers: the exact value and follower regret of the best verified
    table (what the run exports, and stops on when it is optimal), or that there is none yet."""
    if best is None:
        return {"best": "none verified yet"}
    return {"best_value": f"{best.value:.4f}", "best_regret": f"{best.regret:.4f}"}
