"""The three disjoint sets of follower-dynamics seeds, each with one job.

A policy table is scored by running the followers' learning dynamics against it with a seed
(:func:`econ_envs.evaluate_table_seeds`). A table selected on some seeds can fit them and fail on
others (a learning run that stops when its table is optimal on some seeds exports a table that is
optimal on those), so the seeds a table is selected on, the seeds a run reports as held out
and the seeds a leaderboard scores on are kept apart:

- :data:`TRAINING_SEEDS` (0..29): training verifies tables and stops on the optimum with these
  (``econ-baselines train --eval-seeds``); thirty, not ten: on MSPM 4/2 the runs that stop
  optimal on ten seeds are optimal on every held-out seed 1 time in 5, on thirty 5 times in 5;
- :data:`CHECK_SEEDS` (100..149): a run reports its exported table's score on these as well,
  which nothing selects on: what the table is likely to score on unseen seeds;
- :data:`OFFICIAL_SEEDS` (1000..1099): the leaderboards' official evaluation. Nothing in the
  suite trains or selects on them; they are fixed so that scores stay comparable.
"""

from __future__ import annotations

#: seeds that training verifies tables and stops on
TRAINING_SEEDS: tuple[int, ...] = tuple(range(30))
#: held-out seeds that a training run reports its exported table's score on
CHECK_SEEDS: tuple[int, ...] = tuple(range(100, 150))
#: seeds of the leaderboards' official evaluation of a policy table
OFFICIAL_SEEDS: tuple[int, ...] = tuple(range(1000, 1100))

__all__ = ["CHECK_SEEDS", "OFFICIAL_SEEDS", "TRAINING_SEEDS"]
