"""The best realized table whose followers were verified in equilibrium (the reference's
``StopOnThresholdWrapper``: ``if self.episode_reward > self.best_reward and self.max_deviation
== 0``, then the welfare loss of that policy, and stop when it reaches the threshold).

The reference ranks verified episodes by their sampled return; here every checked episode
already has its exact value (:func:`econ_envs.score_tables`), so verified tables are ranked by
that, which a lucky sample cannot inflate. A candidate that could improve on the best is then
scored by the official evaluator (the follower dynamics re-run against it with the evaluation
seeds, as the leaderboard does), and it replaces the best if that score is better: the
exported table's reported score is the evaluator's, not the training episode's. A table the
evaluator has already scored is not scored again (its score cannot change, so it cannot beat
the best): on a plateau the policy realizes the same tied tables over and over.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from baselines.mappo.evaluation import TableScore, score_table
from baselines.mappo.rollout import REGRET_TOLERANCE, CheckedEpisodes

#: official evaluations per call of :meth:`BestVerifiedTable.offer` (the best candidates first)
MAX_EVALUATIONS = 4


@dataclass
class BestVerifiedTable:
    """The best verified table of a run so far.

    Args:
        env_id: the env id.
        env_kwargs: its keywords.
        eval_seeds: seeds of the official evaluation.
        tolerance: a score is optimal within this of the optimum (see :meth:`TableScore.solved`).
    """

    env_id: str
    env_kwargs: dict[str, Any]
    eval_seeds: tuple[int, ...]
    tolerance: float
    score: TableScore | None = None
    found_at: int | None = None  # env steps of the run when its episode was checked
    solved_at: int | None = None
    #: digests of the tables the evaluator has scored (a dict: a checkpoint holds it as data)
    evaluated: dict[str, None] = field(default_factory=dict)

    @property
    def solved(self) -> bool:
        """Whether the best table is optimal by the official evaluation."""
        return self.score is not None and self.score.solved(self.tolerance)

    def offer(self, checked: CheckedEpisodes) -> bool:
        """Consider checked episodes; return whether the best table is now optimal."""
        if self.solved:
            return True
        verified = np.flatnonzero(checked.regrets <= REGRET_TOLERANCE)
        floor = -np.inf if self.score is None else self.score.value
        hopeful = verified[checked.values[verified] >= floor]
        order = hopeful[np.argsort(-checked.values[hopeful], kind="stable")]
        for i in order[:MAX_EVALUATIONS]:
            digest = hashlib.blake2b(checked.tables[i].tobytes(), digest_size=16).hexdigest()
            if digest in self.evaluated:
                continue
            self.evaluated[digest] = None
            score = score_table(checked.tables[i], self.env_id, self.env_kwargs, self.eval_seeds)
            if self.score is None or rank(score) > rank(self.score):
                self.score, self.found_at = score, int(checked.steps[i])
            if self.solved:
                self.solved_at = self.found_at
                return True
        return False


def rank(score: TableScore) -> tuple[bool, float]:
    """Equilibrium first (exact regret 0 for every seed), then the exact value."""
    return score.regret <= REGRET_TOLERANCE, score.value
