"""Exact oracles for the Stackelberg POMDP envs: strong Stackelberg equilibria of normal-form
games by linear programming (:mod:`.stackelberg_lp`), and the best policy table of small games by
search with the exact evaluator (:mod:`.table_search`)."""

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
]
