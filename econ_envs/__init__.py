"""econ_envs: economic-design environments for reinforcement learning.

Importing the package registers every environment id with gymnasium::

    import gymnasium as gym, econ_envs
    env = gym.make("econ_envs/MSPM-v0", n_types=4)
    venv = gym.make_vec("econ_envs/MSPM-v0", num_envs=1024)

The suite depends on numpy, gymnasium and pettingzoo only.
"""

from econ_envs.registry import ENTRIES, entry, ids, register_all

__version__ = "0.1.0"

register_all()

__all__ = ["ENTRIES", "__version__", "entry", "ids", "register_all"]
