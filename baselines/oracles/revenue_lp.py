"""The optimal revenue of selling one item to bidders with discrete independent values, by
linear programming (Myerson's problem on a grid; SPEC §4, ``econ_envs/MSPM-Revenue-v0``).

Variables: the ex-post allocation ``x_i(t)`` of every bidder at every type profile ``t`` and the
interim expected payment ``P_i(k)`` of every bidder type. With the interim allocation
``X_i(k) = sum_{t_-i} p(t_-i) x_i(k, t_-i)``, maximize ``sum_i sum_k p_i(k) P_i(k)`` subject to

- Bayesian incentive compatibility: ``v_i(k) X_i(k) - P_i(k) >= v_i(k) X_i(k') - P_i(k')``;
- interim individual rationality: ``v_i(k) X_i(k) - P_i(k) >= 0``;
- feasibility: ``x >= 0`` and ``sum_i x_i(t) <= 1`` at every profile.

Its value is an upper bound on the revenue of any mechanism, an MSPM included. For one item an
MSPM with as many messages as types reaches it: visit the bidder with the highest ironed virtual
value first, at its threshold price. Followers who are indifferent send the lowest message, so
in general the LP value is the supremum (prices shaded by ``eps`` lose O(eps)); with values
uniform on {0, 1/2, 1} and two bidders it is attained exactly (price 1 to each in turn: 5/9).
Solved with scipy's HiGHS.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linprog


@dataclass(frozen=True)
class RevenueSolution:
    """An optimal single-item auction on a discrete type grid.

    Attributes:
        revenue: the optimal expected revenue.
        interim_allocation: ``X_i(k)``, one array per bidder.
        interim_payment: ``P_i(k)``, one array per bidder.
    """

    revenue: float
    interim_allocation: list[NDArray[np.float64]]
    interim_payment: list[NDArray[np.float64]]


def optimal_revenue(values: Sequence[ArrayLike], probs: Sequence[ArrayLike]) -> RevenueSolution:
    """The revenue-optimal BIC and IR auction of one item.

    Args:
        values: bidder ``i``'s possible values ``v_i(k)``, one array per bidder.
        probs: their probabilities ``p_i(k)`` (independent across bidders).

    Raises:
        ValueError: on mismatched shapes or probabilities that are not a distribution.
        RuntimeError: if the LP solver fails.
    """
    v = [np.asarray(x, dtype=np.float64) for x in values]
    p = [np.asarray(x, dtype=np.float64) for x in probs]
    if len(v) != len(p) or any(
        a.shape != b.shape or a.ndim != 1 for a, b in zip(v, p, strict=True)
    ):
        raise ValueError("values and probs must be one 1-d array of equal length per bidder")
    if any((b < 0).any() or abs(b.sum() - 1) > 1e-9 for b in p):
        raise ValueError("each bidder's probs must be non-negative and sum to 1")
    n, sizes = len(v), [len(a) for a in v]
    profiles = list(itertools.product(*(range(k) for k in sizes)))
    n_x = len(profiles) * n
    pay_offset = np.cumsum([n_x, *sizes[:-1]])  # column of P_i(0)
    n_vars = n_x + sum(sizes)

    # interim[i][k] = coefficients of X_i(k) over the allocation variables
    interim = [np.zeros((k, n_vars)) for k in sizes]
    for t, profile in enumerate(profiles):
        for i in range(n):
            others = np.prod([p[j][profile[j]] for j in range(n) if j != i])
            interim[i][profile[i], t * n + i] += others

    rows, bounds_rhs = [], []
    for i in range(n):
        for k in range(sizes[i]):
            utility = v[i][k] * interim[i][k]
            utility[pay_offset[i] + k] -= 1.0
            rows.append(-utility)  # IR: -(v X - P) <= 0
            bounds_rhs.append(0.0)
            for other in range(sizes[i]):
                if other != k:
                    deviation = v[i][k] * interim[i][other]
                    deviation[pay_offset[i] + other] -= 1.0
                    rows.append(deviation - utility)  # IC: deviation - truth <= 0
                    bounds_rhs.append(0.0)
    feasibility = np.zeros((len(profiles), n_vars))
    for t in range(len(profiles)):
        feasibility[t, t * n : (t + 1) * n] = 1.0
    a_ub = np.vstack([np.array(rows), feasibility])
    b_ub = np.concatenate([bounds_rhs, np.ones(len(profiles))])

    objective = np.zeros(n_vars)
    for i in range(n):
        objective[pay_offset[i] : pay_offset[i] + sizes[i]] = -p[i]
    bounds = [(0.0, 1.0)] * n_x + [(None, None)] * sum(sizes)
    result = linprog(objective, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if result.status != 0:
        raise RuntimeError(f"revenue LP failed: {result.message}")
    z = result.x
    allocation = [interim[i] @ z for i in range(n)]
    payment = [z[pay_offset[i] : pay_offset[i] + sizes[i]] for i in range(n)]
    return RevenueSolution(float(-result.fun), allocation, payment)


def uniform_grid_revenue(n_agents: int, n_types: int) -> float:
    """The optimal revenue when every bidder's value is uniform on ``linspace(0, 1, n_types)``
    (the MSPM grid; ``econ_envs/MSPM-Revenue-v0`` is ``n_agents=2, n_types=3``)."""
    grid = np.linspace(0.0, 1.0, n_types)
    uniform = np.full(n_types, 1.0 / n_types)
    return optimal_revenue([grid] * n_agents, [uniform] * n_agents).revenue
