"""The batched exact planner of affine maximizers.

For every type profile of a batch it solves, at once, the ``n + 1`` planning problems of an AMA:
the full problem (problem 0) and the problem without agent ``i`` (problem ``i + 1``). Finite
horizons use backward induction round by round; discounted MDPs use policy iteration with exact
policy evaluation (a linear solve per problem), stopped when no action improves by more than the
tie tolerance. Ties go to the lowest action
(actions within ``1e-9`` relative of the best count as tied, so float rounding does not decide).
The chosen policy of the full problem is then rolled forward (transitions are deterministic, so
one path per profile) to get each agent's own expected reward and the occupancy measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from math import ceil, log

import numpy as np

from econ_envs.ama.mdp import TabularMDP

TIE_TOLERANCE = 1e-9
VALUE_TOLERANCE = 1e-10
DEFAULT_CHUNK = 2048


@dataclass(frozen=True, eq=False)
class Plan:
    """What the planner returns for a batch of ``B`` type profiles.

    Attributes:
        policy: ``(B, S)`` chosen action of the full problem in every state.
        asw: ``(B,)`` optimal affine welfare ``asw``.
        asw_without: ``(B, n)`` ``asw_-i``: the optimum with agent ``i`` removed.
        rewards: ``(B, n)`` ``R_i``: agent ``i``'s own (unweighted, discounted) reward under
            the chosen policy.
        path_states: ``(B, T)`` states visited by the chosen policy.
        path_actions: ``(B, T)`` actions taken there.
        discounts: ``(T,)`` ``gamma ** t`` (the discounted path is cut where it drops below
            ``VALUE_TOLERANCE``).
    """

    policy: np.ndarray
    asw: np.ndarray
    asw_without: np.ndarray
    rewards: np.ndarray
    path_states: np.ndarray
    path_actions: np.ndarray
    discounts: np.ndarray

    def occupancy(self, n_states: int) -> np.ndarray:
        """``(B, S)`` discounted state-occupancy measure of the chosen policy."""
        batch = self.path_states.shape[0]
        occupancy = np.zeros((batch, n_states))
        rows = np.repeat(np.arange(batch), self.path_states.shape[1])
        weights = np.tile(self.discounts, batch)
        np.add.at(occupancy, (rows, self.path_states.ravel()), weights)
        return occupancy


def plan(
    mdp: TabularMDP,
    types: np.ndarray,
    weights: np.ndarray,
    boosts: np.ndarray,
    *,
    chunk_size: int = DEFAULT_CHUNK,
) -> Plan:
    """Solve the full and the ``n`` counterfactual problems for every profile in ``types``.

    Args:
        mdp: the mechanism MDP.
        types: ``(B, n, d)`` reported types.
        weights: ``(n,)`` positive agent weights.
        boosts: ``(S, A)`` additive boosts.
        chunk_size: profiles planned together (bounds memory, not results).

    Inputs are assumed validated (see :class:`econ_envs.ama.mechanism.AMAParams`).
    """
    parts = [
        _plan_chunk(mdp, types[lo : lo + chunk_size], weights, boosts)
        for lo in range(0, types.shape[0], chunk_size)
    ]
    if not parts:
        parts = [_plan_chunk(mdp, types, weights, boosts)]
    batched = (np.concatenate([getattr(part, name) for part in parts]) for name in _BATCHED)
    return Plan(*batched, parts[0].discounts)


_BATCHED = ("policy", "asw", "asw_without", "rewards", "path_states", "path_actions")


def problem_types(types: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``(B, n + 1, n * d)`` weighted types of each planning problem (agent ``i`` zeroed in
    problem ``i + 1``)."""
    batch, n, d = types.shape
    weighted = np.repeat((types * weights[None, :, None])[:, None], n + 1, axis=1)
    agents = np.arange(n)
    weighted[:, agents + 1, agents, :] = 0.0
    return weighted.reshape(batch, n + 1, n * d)


def _tie_argmax(q: np.ndarray, best: np.ndarray) -> np.ndarray:
    """Lowest action within ``TIE_TOLERANCE`` of ``best``; ``q`` is ``(S, A, B)``."""
    threshold = best - TIE_TOLERANCE * (1.0 + np.abs(best))
    choice = np.zeros(best.shape, dtype=np.int64)
    for action in range(q.shape[1] - 1, -1, -1):
        choice[q[:, action] >= threshold] = action
    return choice


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
    """``(S_t, A, B, P)`` action values of states ``lo..hi-1``; ``values`` is ``(S(+1), B, P)``."""
    n_actions = mdp.n_actions
    columns = mdp.feature_matrix[:, lo * n_actions : hi * n_actions]
    q = (columns.T @ weighted).reshape(hi - lo, n_actions, *values.shape[1:])
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
    mdp: TabularMDP, types: np.ndarray, weights: np.ndarray, boosts: np.ndarray
) -> Plan:
    batch, n_problems = types.shape[0], mdp.n_agents + 1
    weighted = problem_types(types, weights).reshape(batch * n_problems, -1).T.copy()
    static = (boosts[None] + mdp.removal_penalty).transpose(1, 2, 0)  # (S, A, P)
    n_states = mdp.n_states
    policy = np.zeros((n_states, batch), dtype=np.int64)
    values = np.zeros((n_states + 1, batch, n_problems))
    if mdp.stage_bounds is not None:
        bounds = mdp.stage_bounds
        for lo, hi in reversed(list(pairwise(bounds))):
            q = _q_values(mdp, weighted, static, values, lo, hi)
            values[lo:hi] = q.max(axis=1)
            policy[lo:hi] = _tie_argmax(q[..., 0], values[lo:hi, :, 0])
    else:
        values[:n_states] = _policy_iteration(mdp, weighted, static, batch)
        q = _q_values(mdp, weighted, static, values, 0, n_states)
        policy[:] = _tie_argmax(q[..., 0], values[:n_states, :, 0])
    asw_all = values[mdp.start]
    policy = np.ascontiguousarray(policy.T)
    states, actions, discounts, rewards = _roll_out(mdp, types, policy)
    return Plan(policy, asw_all[:, 0], asw_all[:, 1:], rewards, states, actions, discounts)


def _policy_iteration(
    mdp: TabularMDP, weighted: np.ndarray, static: np.ndarray, batch: int
) -> np.ndarray:
    """``(S, B, P)`` optimal values of a discounted MDP by policy iteration (exact solves)."""
    n_states, n_actions = mdp.n_states, mdp.n_actions
    reward = (mdp.feature_matrix.T @ weighted).reshape(n_states, n_actions, batch, -1)
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
    return ceil(log(VALUE_TOLERANCE) / log(mdp.gamma))


def _roll_out(
    mdp: TabularMDP, types: np.ndarray, policy: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    batch, n = types.shape[:2]
    length = path_length(mdp)
    discounts = mdp.gamma ** np.arange(length)
    states = np.empty((batch, length), dtype=np.int64)
    actions = np.empty((batch, length), dtype=np.int64)
    rewards = np.zeros((batch, n))
    rows = np.arange(batch)
    state = np.full(batch, mdp.start, dtype=np.int64)
    for t in range(length):
        action = policy[rows, state]
        states[:, t], actions[:, t] = state, action
        features = mdp.features[:, state, action, :]  # (n, B, d)
        rewards += discounts[t] * np.einsum("bnd,nbd->bn", types, features)
        state = mdp.next_state[state, action]
    return states, actions, discounts, rewards
