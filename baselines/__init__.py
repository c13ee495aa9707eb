"""Baselines for econ_envs: PPO/MAPPO on the Stackelberg POMDP, bilevel optimizers for AMAs,
exact oracles. Uses only the public API of :mod:`econ_envs`."""

from leaderboards.extras import version

__version__ = version()
