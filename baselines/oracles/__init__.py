"""Exact oracles for the Stackelberg POMDP envs: strong Stackelberg equilibria of normal-form
games by linear programming (:mod:`.stackelberg_lp`), the best policy table of small games by
search with the exact evaluator (:mod:`.table_search`), and a welfare-loss-0 MSPM table by exact
search over efficient message cells (:mod:`.mspm_zero_loss`)."""

from baselines.oracles.mspm_zero_loss import zero_loss_mspm_table
from baselines.oracles.stackelberg_lp import (
    StackelbergSolution,
    normal_form_optimum,
    strong_stackelberg,
)
from baselines.oracles.table_search import (
    TableSearchResult,
    best_message_allocation_table,
    best_mspm_table,
    best_table,
)

__all__ = [
    "StackelbergSolution",
    "TableSearchResult",
    "best_message_allocation_table",
    "best_mspm_table",
    "best_table",
    "normal_form_optimum",
    "strong_stackelberg",
    "zero_loss_mspm_table",
]
