"""PPO and MAPPO (PPO with a centralized critic) for the Stackelberg POMDP envs, on tianshou.

Entry points: :func:`baselines.mappo.train.train` with a
:class:`~baselines.mappo.config.TrainConfig`, or ``econ-baselines train``
(:mod:`baselines.mappo.cli`).
"""
