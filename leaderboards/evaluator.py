"""The official evaluator: recompute a submission's score from its data with the suite's exact
evaluators and the board's fixed seeds (SPEC §5). A submitted score is never read.

How a board is evaluated is declared by its family (:mod:`leaderboards.families`). Stackelberg
boards: :func:`econ_envs.policy_table.evaluate_table_seeds` on the board's seeds (the official
seeds, :data:`econ_envs.OFFICIAL_SEEDS`); score = mean
exact leader value, regret = max exact equilibrium regret. AMA boards:
:func:`econ_envs.ama.evaluate` on the board's fixed profiles, VCG beside it. Evaluation always
uses the board's keywords, never the submission's own copy of them.
"""

from __future__ import annotations

from leaderboards.families import Evaluation, board_family
from leaderboards.submission import Submission

#: bump when a change of the evaluator can change a score (a record scored by another version is
#: not listed until ``econ-leaderboard reevaluate`` scores it again). 2.0: Stackelberg boards score
#: on the 100 official seeds 1000..1099 (1.0: seeds 0..9, the seeds training selected on)
EVALUATOR_VERSION = "2.0"


def evaluate_submission(submission: Submission) -> Evaluation:
    """Score a checked submission on its board (deterministic: same data, same result)."""
    return board_family(submission.board.family).evaluate(submission)


__all__ = ["EVALUATOR_VERSION", "Evaluation", "evaluate_submission"]
