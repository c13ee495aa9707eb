"""What a domain declares: its mechanism MDP, type sampler, objective and parameter scale."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from econ_envs.ama.mdp import TabularMDP
from econ_envs.ama.planner import entries_per_profile, path_length
from econ_envs.validation import MAX_ENTRIES, check_int, check_size

#: the most entries one type profile's ``n + 1`` planning problems use at once
#: (:func:`~econ_envs.ama.planner.entries_per_profile`; the planner cannot split a profile):
#: planning time grows faster than this count (a 3 x 3 Gridworld step of 20 profiles takes
#: 0.1 s with 50 agents, 0.9 s with 100, 12 s with 200)
MAX_PROFILE_PLANNING = 2**18

#: the most entries the types, paths and results of the profiles scored at once may hold (see
#: :meth:`AMADomain.check_profiles`)
MAX_PROFILE_ENTRIES = 2**23

Sampler = Callable[[np.random.Generator, int], np.ndarray]
MakespanFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True, eq=False)
class AMADomain:
    """One AMA domain instance.

    Attributes:
        name: the domain name (``"SequentialSales"``, ...).
        config: the keyword arguments it was built from (JSON-friendly).
        mdp: its mechanism MDP.
        sampler: ``sampler(rng, B)`` draws ``(B, n, d)`` true type profiles.
        objective: ``"revenue"`` (maximize) or ``"makespan"`` (minimize).
        symmetric: whether agents are exchangeable (then baselines fix the weights to 1).
        boost_scale: the natural size of a boost (parameter boxes are ``[-scale, scale]``).
        makespan_fn: ``makespan_fn(types, path_actions) -> (B,)``, or ``None``.
        action_names: what each action of the MDP is, in words (``"item to agent 0"``).
        state_name: ``state_name(s)`` says what state ``s`` is, in words (``"round 1: item 1
            to agent 0"``); computed on demand, as a domain may have millions of states.

    Raises:
        ValueError: naming the ``config`` keywords, if one profile's planning problems need
            more than :data:`MAX_PROFILE_PLANNING` entries.
    """

    name: str
    config: Mapping[str, Any]
    mdp: TabularMDP
    sampler: Sampler
    objective: str
    symmetric: bool
    boost_scale: float
    makespan_fn: MakespanFn | None = None
    action_names: tuple[str, ...] = ()
    state_name: Callable[[int], str] | None = None

    def __post_init__(self) -> None:
        check_size(
            "planner entries per type profile (its n + 1 problems)",
            entries_per_profile(self.mdp),
            MAX_PROFILE_PLANNING,
            **self.config,
        )

    @property
    def higher_is_better(self) -> bool:
        """Whether the objective is maximized (revenue) rather than minimized (makespan)."""
        return self.objective == "revenue"

    def sample_types(self, rng: np.random.Generator, n_profiles: int) -> np.ndarray:
        """``(n_profiles, n, d)`` type profiles drawn from ``rng``."""
        return self.sampler(rng, n_profiles)

    def check_profiles(self, name: str, n_profiles: Any, minimum: int = 1) -> int:
        """``n_profiles`` (the keyword ``name``) as an int if it is an integer >= ``minimum``
        whose arrays fit: per profile, the types (``n * d``), the planned path's states and
        actions (``2 * T``, ``T`` the planner's path length) and the per-agent results
        (``asw_-i``, rewards, payments, utilities: ``4 * n``) may hold at most
        :data:`MAX_PROFILE_ENTRIES` entries in all (scoring keeps several such arrays, for
        the AMA and for VCG), e.g. 440,000 profiles of the default SequentialSales (about 1 s
        a step), 18,000 of the default Gridworld, 836 of a Gridworld whose ``gamma`` implies
        the longest path allowed. Else an error naming ``name``."""
        count = check_int(name, n_profiles, minimum)
        n, d = self.mdp.n_agents, self.mdp.type_dim
        per_profile = n * d + 2 * path_length(self.mdp) + 4 * n
        check_size(
            "type, path and result entries",
            count * per_profile,
            MAX_PROFILE_ENTRIES,
            **{name: count},
        )
        return count


def check_domain_size(
    n_agents: int, n_states: int | float, n_actions: int, type_dim: int, /, **keywords: Any
) -> None:
    """Size guard of a domain, before its MDP is built: the dense reward features
    ``(n_agents, S, A, d)`` may hold at most ``MAX_ENTRIES`` (2**26, 512 MiB of float64: e.g.
    SequentialSales with 3 agents and up to 12 items, TaskScheduling with 2 workers and up to
    19 tasks, a Gridworld of up to 64 x 64 cells for one agent, 53 x 53 for two). The boost
    table, the action space and the planner's memory per profile are bounded by the same count
    (the planner shrinks its chunks to fit, see :mod:`econ_envs.ama.planner`). ``keywords`` are
    the domain keywords that imply the size, named in the ``ValueError``; ``n_states`` may be
    ``math.inf`` (too many to count)."""
    factors = (n_agents, n_states, n_actions, type_dim)
    entries = math.inf if math.inf in factors else math.prod(factors)
    check_size(
        "reward-feature entries (agents x states x actions x type size)",
        entries if entries < 1e300 else math.inf,
        MAX_ENTRIES,
        **keywords,
    )
