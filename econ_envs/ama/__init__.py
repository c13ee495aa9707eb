"""Dynamic affine maximizer (AMA) mechanisms: tabular mechanism MDPs, a batched exact planner,
AMA payments, the three domains of SPEC §2 and the leaderboard evaluator.

numpy and gymnasium only (the differentiable planner lives in ``baselines.bilevel``).
"""

from econ_envs.ama.domains import DOMAINS, AMADomain, make_domain
from econ_envs.ama.evaluation import AMAEvaluation, evaluate, resolve_domain, score_profiles
from econ_envs.ama.mdp import TabularMDP
from econ_envs.ama.mechanism import AMAParams, Outcome, payments, run_mechanism
from econ_envs.ama.planner import Plan, path_length, plan

__all__ = [
    "DOMAINS",
    "AMADomain",
    "AMAEvaluation",
    "AMAParams",
    "Outcome",
    "Plan",
    "TabularMDP",
    "evaluate",
    "make_domain",
    "path_length",
    "payments",
    "plan",
    "resolve_domain",
    "run_mechanism",
    "score_profiles",
]
