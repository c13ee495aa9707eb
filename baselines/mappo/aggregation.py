"""An exact reduction of the PPO actor's work: repeats of one (episode, observation) collapse.

Within an episode the leader plays one table, so every visit of one observation takes the same
action, under the same old log-probability: the PPO probability ratio ``r`` is shared by all of
them. The clipped surrogate of a sample is ``min(r A, clip(r) A)``, which is ``A min(r, 1 + e)``
for ``A >= 0`` and ``A max(r, 1 - e)`` for ``A < 0``; summed over the visits it depends only on
the sum of their positive advantages and the sum of their negative ones. So the actor learns the
same full-batch loss (and gradient) from two samples per (episode, observation), carrying those
sums, as from every visit (MSPM: ~2,500-step episodes over 32 observations). A group whose
visits all have one sign gives one sample: a zero advantage adds nothing to the loss, and with a
policy far from an old action it would multiply an infinite ratio by 0.

The advantages are normalized over the whole batch first (tianshou's per-minibatch normalization
does not commute with the sums and is turned off), and the sums are scaled by ``samples /
visits`` so that tianshou's mean over the samples equals the mean over the visits. The critic
learns from the two samples' own states and returns (the first and the last visit of each
group): a subsample of the visited states.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Aggregated:
    """Up to two samples per group of visits: which visit each sample is, and its advantage.

    Attributes:
        visits: index of the visit each sample takes its observation, state, action and return
            from: the first visit of a group carries its positive sum, the last its negative.
        advantages: the group's summed positive or negative normalized advantages (never 0),
            scaled by ``samples / visits``.
    """

    visits: NDArray[np.intp]
    advantages: NDArray[np.float64]


def aggregate_repeats(groups: NDArray[np.int64], advantages: NDArray[np.float64]) -> Aggregated:
    """Collapse visits that share a group id (one per episode and observation).

    Args:
        groups: (visits,) group id of every visit.
        advantages: (visits,) their advantages.
    """
    normalized = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
    ids, first, index = np.unique(groups, return_index=True, return_inverse=True)
    last = len(groups) - 1 - np.unique(groups[::-1], return_index=True)[1]
    positive = np.bincount(index, np.maximum(normalized, 0.0), len(ids))
    negative = np.bincount(index, np.minimum(normalized, 0.0), len(ids))
    visits = np.concatenate([first, last])
    sums = np.concatenate([positive, negative])
    kept = np.flatnonzero(sums)
    return Aggregated(visits[kept], sums[kept] * (len(kept) / len(groups)))


def visit_groups(
    keys: NDArray[np.intp], terminated: NDArray[np.bool_], n_observations: int
) -> NDArray[np.int64]:
    """Group id (steps, envs) of every step of a time-major rollout: one group per env,
    episode and observation (a step that ends an episode belongs to it)."""
    steps, envs = keys.shape
    episode = np.cumsum(terminated, axis=0) - terminated  # episodes ended before each step
    env = np.arange(envs)[None, :]
    return (env * (steps + 1) + episode) * n_observations + keys
