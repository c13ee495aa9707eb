"""econ_envs: economic-design environments for reinforcement learning.

Importing the package registers every environment id with gymnasium::

    import gymnasium as gym, econ_envs
    env = gym.make("econ_envs/MSPM-v0", n_types=4)
    venv = gym.make_vec("econ_envs/MSPM-v0", num_envs=1024)

The suite depends on numpy, gymnasium and pettingzoo only. Public API re-exported here: the
registry (:func:`entry`, :func:`ids`), the game and dynamics tables, and the exact policy-table
evaluator. The PettingZoo view is :mod:`econ_envs.pettingzoo`, the AMA family
:mod:`econ_envs.ama`, the conformance check :mod:`econ_envs.testing`.
"""

from econ_envs.followers import DYNAMICS, make_dynamics
from econ_envs.games import GAMES, GameSpec, make_game
from econ_envs.policy_table import (
    TableEvaluation,
    describe_observations,
    evaluate_table,
    evaluate_table_seeds,
    observation_vectors,
    score_tables,
)
from econ_envs.registry import ENTRIES, EnvEntry, entry, ids, register_all

__version__ = "0.1.0"

register_all()

__all__ = [
    "DYNAMICS",
    "ENTRIES",
    "GAMES",
    "EnvEntry",
    "GameSpec",
    "TableEvaluation",
    "__version__",
    "describe_observations",
    "entry",
    "evaluate_table",
    "evaluate_table_seeds",
    "ids",
    "make_dynamics",
    "make_game",
    "observation_vectors",
    "register_all",
    "score_tables",
]
