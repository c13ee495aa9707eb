"""econ_envs: economic-design environments for reinforcement learning.

Importing the package registers every environment id with gymnasium::

    import gymnasium as gym, econ_envs
    env = gym.make("econ_envs/MSPM-v0", n_types=4)
    venv = gym.make_vec("econ_envs/MSPM-v0", num_envs=1024)

The suite depends on numpy, gymnasium and pettingzoo only. Public API re-exported here: the
registry (:func:`entry`, :func:`ids`), the game and dynamics tables, each env's response
schedule (:func:`response_schedule`), the exact policy-table evaluator (:func:`run_dynamics` is
its response phase) and its three disjoint seed sets (:mod:`econ_envs.seed_sets`). The
PettingZoo view is :mod:`econ_envs.pettingzoo`, the AMA family :mod:`econ_envs.ama`, the
conformance check :mod:`econ_envs.testing`.
"""

from econ_envs.episode_options import EpisodeOptions, split_env_kwargs
from econ_envs.families import AMA, STACKELBERG, Family, family
from econ_envs.followers import DYNAMICS, ResponseSchedule, make_dynamics, plays_per_iteration
from econ_envs.games import GAMES, GameSpec, game_class, make_game
from econ_envs.policy_table import (
    MAX_EXACT_PLAYS,
    DynamicsRun,
    TableEvaluation,
    check_table,
    describe_observations,
    evaluate_table,
    evaluate_table_seeds,
    exact_plays,
    game_of,
    observation_vectors,
    outcome_tensor,
    response_schedule,
    run_dynamics,
    score_tables,
)
from econ_envs.provenance import git_commit, package_version
from econ_envs.published import optimal_mspm_table
from econ_envs.registry import ENTRIES, EnvEntry, entry, ids, register_all
from econ_envs.seed_sets import CHECK_SEEDS, OFFICIAL_SEEDS, TRAINING_SEEDS
from econ_envs.snapshot import load_state
from econ_envs.state_layout import StateLayout

__version__ = "0.2.0"

register_all()

__all__ = [
    "AMA",
    "CHECK_SEEDS",
    "DYNAMICS",
    "ENTRIES",
    "GAMES",
    "MAX_EXACT_PLAYS",
    "OFFICIAL_SEEDS",
    "STACKELBERG",
    "TRAINING_SEEDS",
    "DynamicsRun",
    "EnvEntry",
    "EpisodeOptions",
    "Family",
    "GameSpec",
    "ResponseSchedule",
    "StateLayout",
    "TableEvaluation",
    "__version__",
    "check_table",
    "describe_observations",
    "entry",
    "evaluate_table",
    "evaluate_table_seeds",
    "exact_plays",
    "family",
    "game_class",
    "game_of",
    "git_commit",
    "ids",
    "load_state",
    "make_dynamics",
    "make_game",
    "observation_vectors",
    "optimal_mspm_table",
    "outcome_tensor",
    "package_version",
    "plays_per_iteration",
    "register_all",
    "response_schedule",
    "run_dynamics",
    "score_tables",
    "split_env_kwargs",
]
