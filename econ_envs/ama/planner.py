"""The batched exact planner of affine maximizers.

For every type profile of a batch it solves, at once, the ``n + 1`` planning problems of an AMA:
the full problem (problem 0) and the problem without agent ``i`` (problem ``i + 1``). Finite
horizons use backward induction round by round; discounted MDPs use policy iteration with exact
policy evaluation (a linear solve per problem), stopped when no action improves by more than the
tie tolerance. The full problem's greedy policy is then rolled forward (transitions are
deterministic, so one path per profile) to get each agent's own expected reward and the
occupancy measure. Ties go to the lowest action: actions within ``TIE_TOLERANCE`` (relative) of
the best count as tied, so float rounding does not decide.

Layout: values are ``(S, B, P)`` with the profile-problem axes last, so a round is a few
contiguous array passes; rewards are gathered from the sparse features (no BLAS, no threads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from math import ceil, log

import numpy as np

from econ_envs.ama.mdp import TabularMDP

TIE_TOLERANCE = 1e-9
VALUE_TOLERANCE = 1e-10
DEFAULT_CHUNK = 512
CHUNK_BUDGET = 2**24  # float64 entries (128 MiB) per working array of a chunk


@dataclass(frozen=True, eq=False)
class Plan:
    """What the planner returns for a batch of ``B`` type profiles.

    Attributes:
        asw: ``(B,)`` optimal affine welfare ``asw``.
        asw_without: ``(B, n)`` ``asw_-i``: the optimum with agent ``i`` removed.
        rewards: ``(B, n)`` ``R_i``: agent ``i``'s own (unweighted, discounted) reward under
            the chosen policy.
        path_states: ``(B, T)`` states visited by the chosen policy.
        path_actions: ``(B, T)`` actions taken there.
        discounts: ``(T,)`` ``gamma ** t`` (the discounted path is cut where it drops below
            ``VALUE_TOLERANCE``).
        policy: ``(B, S)`` the full problem's action in every state, if requested
            (``plan(..., with_policy=True)``), else ``None``.
    """

    asw: np.ndarray
    asw_without: np.ndarray
    rewards: np.ndarray
    path_states: np.ndarray
    path_actions: np.ndarray
    discounts: np.ndarray
    policy: np.ndarray | None = None

    def occupancy(self, n_states: int) -> np.ndarray:
        """``(B, S)`` discounted state-occupancy measure of the chosen policy."""
        batch = self.path_states.shape[0]
        keys = (np.arange(batch)[:, None] * n_states + self.path_states).ravel()
        occupancy = np.bincount(keys, np.tile(self.discounts, batch), batch * n_states)
        return occupancy.reshape(batch, n_states)


_BATCHED = ("asw", "asw_without", "rewards", "path_states", "path_actions")


def plan(
    mdp: TabularMDP,
    types: np.ndarray,
    weights: np.ndarray,
    boosts: np.ndarray,
    *,
    with_policy: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
) -> Plan:
    """Solve the full and the ``n`` counterfactual problems for every profile in ``types``.

    Args:
        mdp: the mechanism MDP.
        types: ``(B, n, d)`` reported types.
        weights: ``(n,)`` positive agent weights.
        boosts: ``(S, A)`` additive boosts.
        with_policy: also return the full problem's policy in every state.
        chunk_size: profiles planned together (bounds memory, not results).

    Inputs are assumed validated (see :class:`econ_envs.ama.mechanism.AMAParams`). Chunks are
    made smaller where one profile's working set is large, so that no array exceeds about
    ``CHUNK_BUDGET`` entries (or one profile's).
    """
    chunk_size = min(chunk_size, max(1, CHUNK_BUDGET // entries_per_profile(mdp)))
    starts = range(0, types.shape[0], chunk_size) if types.shape[0] else [0]
    parts = [
        _plan_chunk(mdp, types[lo : lo + chunk_size], weights, boosts, with_policy) for lo in starts
    ]
    fields = {name: np.concatenate([getattr(part, name) for part in parts]) for name in _BATCHED}
    if with_policy:
        fields["policy"] = np.concatenate([part.policy for part in parts])
    return Plan(discounts=parts[0].discounts, **fields)


def entries_per_profile(mdp: TabularMDP) -> int:
    """Entries of the largest arrays one profile's ``n + 1`` problems use at once: values and
    one round's action values (finite horizon), or transition matrices and rewards (policy
    iteration), and the stacked weighted types."""
    n_states, n_actions = mdp.n_states, mdp.n_actions
    if mdp.stage_bounds is None:
        per_problem = n_states * n_states + 2 * n_states * n_actions
    else:
        widest = max(hi - lo for lo, hi in pairwise(mdp.stage_bounds))
        per_problem = n_states + 1 + widest * n_actions
    stacked = (mdp.sparse_features[1].size + 1) * mdp.n_agents * mdp.type_dim
    return (mdp.n_agents + 1) * (per_problem + stacked)


def problem_types(types: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``(B, n + 1, n * d)`` weighted types of each planning problem (agent ``i`` zeroed in
    problem ``i + 1``)."""
    batch, n, d = types.shape
    weighted = np.repeat((types * weights[None, :, None])[:, None], n + 1, axis=1)
    agents = np.arange(n)
    weighted[:, agents + 1, agents, :] = 0.0
    return weighted.reshape(batch, n + 1, n * d)


def _stack(mdp: TabularMDP, weighted: np.ndarray) -> np.ndarray:
    """``[c_1 W, ..., c_u W, 0]`` for the feature coefficients ``c`` (see ``sparse_features``)."""
    coefficients = mdp.sparse_features[1]
    scaled = [weighted if c == 1.0 else c * weighted for c in coefficients]
    return np.concatenate([*scaled, np.zeros_like(weighted[:1])])


def _rewards(mdp: TabularMDP, stacked: np.ndarray, columns: slice) -> np.ndarray:
    """``(columns, ...)`` weighted rewards of state-action ``columns`` from ``_stack``."""
    index = mdp.sparse_features[0][columns]
    total = np.take(stacked, index[:, 0], axis=0)
    for j in range(1, index.shape[1]):
        total += np.take(stacked, index[:, j], axis=0)
    return total


def _consecutive(indices: np.ndarray) -> int | slice | np.ndarray:
    """An int when all ``indices`` are equal, a slice when they are a run of consecutive integers
    (views and broadcasts instead of copies), else the indices."""
    flat = indices.ravel()
    if np.all(flat == flat[0]):
        return int(flat[0])
    if np.array_equal(flat, np.arange(flat[0], flat[0] + flat.size)):
        return slice(int(flat[0]), int(flat[0]) + flat.size)
    return indices


def _q_values(
    mdp: TabularMDP, weighted: np.ndarray, static: np.ndarray, values: np.ndarray, lo: int, hi: int
) -> np.ndarray:
    """``(S_t, A, B, P)`` action values of states ``lo..hi-1``; ``weighted`` is ``_stack``ed
    ``(uK + 1, B, P)``, ``static`` ``(S, A, P)`` and ``values`` ``(S(+1), B, P)``."""
    n_actions = mdp.n_actions
    q = _rewards(mdp, weighted, slice(lo * n_actions, hi * n_actions))
    q = q.reshape(hi - lo, n_actions, *values.shape[1:])
    q += static[lo:hi, :, None, :]
    index = _consecutive(mdp.next_state[lo:hi])
    if isinstance(index, int) and index == mdp.n_states and mdp.finite_horizon:  # terminal: 0
        return q
    after = values[index] if isinstance(index, int) else values[index].reshape(q.shape)
    if mdp.gamma == 1.0:
        q += after
    else:
        q += mdp.gamma * after
    return q


def _plan_chunk(
    mdp: TabularMDP, types: np.ndarray, weights: np.ndarray, boosts: np.ndarray, with_policy: bool
) -> Plan:
    batch = types.shape[0]
    weighted = _stack(mdp, problem_types(types, weights).transpose(2, 0, 1))  # (uK+1, B, P)
    static = (boosts[None] + mdp.removal_penalty).transpose(1, 2, 0)  # (S, A, P)
    n_states = mdp.n_states
    values = np.zeros((n_states + 1, batch, mdp.n_agents + 1))
    if mdp.stage_bounds is not None:
        for lo, hi in reversed(list(pairwise(mdp.stage_bounds))):
            values[lo:hi] = _q_values(mdp, weighted, static, values, lo, hi).max(axis=1)
    else:
        values[:n_states] = _policy_iteration(mdp, weighted, static)
    full = (weighted[..., 0], boosts, values[..., 0])
    policy = None
    if with_policy or not mdp.finite_horizon:  # a stationary path needs the whole table
        policy = _greedy(mdp, *full, np.broadcast_to(np.arange(n_states), (batch, n_states)))
    if policy is None:  # finite horizon: choose only in the states the path visits

        def choose(state: np.ndarray) -> np.ndarray:
            return _greedy(mdp, *full, state[:, None])[:, 0]
    else:

        def choose(state: np.ndarray) -> np.ndarray:
            return policy[np.arange(batch), state]

    states, actions, discounts, rewards = _roll_out(mdp, types, choose)
    policy = policy if with_policy else None
    asw_all = values[mdp.start]
    return Plan(asw_all[:, 0], asw_all[:, 1:], rewards, states, actions, discounts, policy)


def _greedy(
    mdp: TabularMDP,
    weighted: np.ndarray,
    boosts: np.ndarray,
    values: np.ndarray,
    states: np.ndarray,
) -> np.ndarray:
    """Full-problem actions in ``states`` ``(B, m)``: the lowest action within the tie
    tolerance of the best. ``weighted`` is ``_stack``ed ``(uK + 1, B)``, ``values``
    ``(S(+1), B)``."""
    n_actions = mdp.n_actions
    columns = states[..., None] * n_actions + np.arange(n_actions)  # (B, m, A)
    index = mdp.sparse_features[0][columns]  # (B, m, A, z)
    profile = np.arange(states.shape[0]).reshape(-1, *(1,) * (states.ndim))
    q = weighted[index, profile[..., None]].sum(axis=-1)
    q += boosts[states]
    q += mdp.gamma * values[mdp.next_state[states], profile]
    best = q.max(axis=-1, keepdims=True)
    return np.argmax(q >= best - TIE_TOLERANCE * (1.0 + np.abs(best)), axis=-1)


def _policy_iteration(mdp: TabularMDP, weighted: np.ndarray, static: np.ndarray) -> np.ndarray:
    """``(S, B, P)`` optimal values of a discounted MDP by policy iteration (exact solves)."""
    n_states, n_actions = mdp.n_states, mdp.n_actions
    reward = _rewards(mdp, weighted, slice(None)).reshape(n_states, n_actions, *weighted.shape[1:])
    reward += static[:, :, None, :]
    reward = np.moveaxis(reward, (0, 1), (2, 3))  # (B, P, S, A)
    rows = np.arange(n_states)
    choice = reward.argmax(axis=-1)
    identity = np.eye(n_states)
    while True:
        transition = np.zeros((*choice.shape, n_states))
        np.put_along_axis(transition, mdp.next_state[rows, choice][..., None], 1.0, axis=-1)
        own = np.take_along_axis(reward, choice[..., None], axis=-1)
        values = np.linalg.solve(identity - mdp.gamma * transition, own)[..., 0]
        q = reward + mdp.gamma * values[..., mdp.next_state]
        current = np.take_along_axis(q, choice[..., None], axis=-1)[..., 0]
        better = q.max(axis=-1) > current + TIE_TOLERANCE * (1.0 + np.abs(current))
        if not better.any():
            return np.moveaxis(values, -1, 0)
        choice = np.where(better, q.argmax(axis=-1), choice)


def path_length(mdp: TabularMDP) -> int:
    """Steps rolled out: the horizon, or until ``gamma ** t`` is below ``VALUE_TOLERANCE``."""
    if mdp.horizon is not None:
        return mdp.horizon
    return discounted_length(mdp.gamma)


def discounted_length(gamma: float) -> int:
    """Steps until ``gamma ** t`` is below ``VALUE_TOLERANCE`` (``0 < gamma < 1``)."""
    return ceil(log(VALUE_TOLERANCE) / log(gamma))


def _roll_out(
    mdp: TabularMDP, types: np.ndarray, choose: Callable[[np.ndarray], np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Follow ``choose(states) -> actions`` from the start: the path, the discounts and each
    agent's own reward along it."""
    batch = types.shape[0]
    length = path_length(mdp)
    discounts = mdp.gamma ** np.arange(length)
    states = np.empty((batch, length), dtype=np.int64)
    actions = np.empty((batch, length), dtype=np.int64)
    state = np.full(batch, mdp.start, dtype=np.int64)
    for t in range(length):
        action = choose(state)
        states[:, t], actions[:, t] = state, action
        state = mdp.next_state[state, action]
    # discounted visits of every state-action pair, then rewards linear in them
    n_pairs = mdp.n_states * mdp.n_actions
    keys = (np.arange(batch)[:, None] * n_pairs + states * mdp.n_actions + actions).ravel()
    visits = np.bincount(keys, np.tile(discounts, batch), batch * n_pairs)
    visits = visits.reshape(batch, n_pairs)
    features = mdp.features.reshape(mdp.n_agents, n_pairs, -1)
    rewards = np.einsum("bnd,bnd->bn", np.einsum("bk,nkd->bnd", visits, features), types)
    return states, actions, discounts, rewards
