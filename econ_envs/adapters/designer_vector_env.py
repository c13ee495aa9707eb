"""The vector environment of the AMA ids: ``num_envs`` designer envs stepped one after another.

``gym.make_vec("econ_envs/SequentialSales-v0", num_envs=n)`` builds this (the registry's vector
entry point): gymnasium's :class:`~gymnasium.vector.SyncVectorEnv` over ``n`` envs made by
``gym.make(id, **kwargs)``, exactly what ``gym.make_vec(id, n, vectorization_mode="sync")``
builds (and what ``gym.make_vec(id, n)`` built before the AMA ids had a vector entry point), with
gymnasium's default ``autoreset_mode=AutoresetMode.NEXT_STEP`` (the default of the Stackelberg
ids' native vector env too). The keyword ``autoreset_mode`` chooses another mode: every step
ends every one-step episode, so under ``NEXT_STEP`` every other step only resets, and
``SAME_STEP`` needs half the steps. With the same mode, seeds and actions, both ways give
identical results.
"""

from __future__ import annotations

from typing import Any

import gymnasium
from gymnasium.vector import AutoresetMode, SyncVectorEnv

from econ_envs.adapters.common import check_autoreset_mode
from econ_envs.validation import MAX_ENTRIES, check_positive_int, check_size


class DesignerVectorEnv(SyncVectorEnv):
    """``num_envs`` designer envs of ``env_id`` (keywords as
    :class:`econ_envs.ama.designer_env.DesignerEnv`).

    Args:
        num_envs: sub-environments; sub-env ``i`` of ``reset(seed=s)`` is seeded ``s + i``.
        autoreset_mode: an :class:`~gymnasium.vector.AutoresetMode` (or its value, e.g.
            ``"SameStep"``); default ``NEXT_STEP``, gymnasium's.
        env_id: the registered id (``gym.make_vec`` passes it).
        **kwargs: the designer env's keywords.

    Raises:
        ValueError: naming ``autoreset_mode``, ``num_envs`` (before more than one env is built:
            ``num_envs`` times one env's action size and mechanism MDP arrays may be at most
            :data:`~econ_envs.validation.MAX_ENTRIES`) or a designer keyword.
    """

    def __init__(
        self,
        num_envs: int = 1,
        autoreset_mode: AutoresetMode | str = AutoresetMode.NEXT_STEP,
        env_id: str = "econ_envs/SequentialSales-v0",
        **kwargs: Any,
    ):
        count = check_positive_int("num_envs", num_envs)
        mode = check_autoreset_mode(autoreset_mode, tuple(AutoresetMode))
        first = gymnasium.make(env_id, **kwargs)  # bad keywords fail here, once
        mdp = first.unwrapped.domain.mdp  # each env holds its own mechanism MDP
        per_env = first.action_space.shape[0] + sum(
            array.size for array in (mdp.next_state, mdp.features, mdp.forbidden_without)
        )
        check_size(
            "entries (num_envs x one env's boosts, weights and mechanism MDP arrays)",
            count * per_env,
            MAX_ENTRIES,
            num_envs=num_envs,
        )
        makers = [lambda: first] + [lambda: gymnasium.make(env_id, **kwargs)] * (count - 1)
        super().__init__(makers, autoreset_mode=mode)
