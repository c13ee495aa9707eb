"""An entropy-regularized (soft-max Bellman) AMA planner in torch, differentiable in the weights
and boosts.

It mirrors :func:`econ_envs.ama.planner.plan` on the same :class:`~econ_envs.ama.mdp.TabularMDP`:
the full problem and the ``n`` problems without one agent, each solved with
``V(s) = tau * logsumexp(Q(s, .) / tau)``; the full problem's softmax policy is rolled forward as
a state distribution to get each agent's expected reward and, in finite horizons, the
probability of every complete action history. As ``tau -> 0`` everything tends to the exact
planner. Used only to compute gradients; scores always come from the exact planner.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import torch

from econ_envs.ama import TabularMDP, path_length

FORBIDDEN = -1e9  # finite stand-in for -inf (keeps gradients free of NaN)


@dataclass(frozen=True, eq=False)
class SoftPlan:
    """Output of the soft planner for ``B`` profiles (all torch tensors).

    Attributes:
        asw: ``(B,)`` soft optimum of the full problem (entropy bonus included).
        asw_without: ``(B, n)`` the same without agent ``i``.
        rewards: ``(B, n)`` each agent's expected reward under the softmax policy.
        last_flow: finite horizons: ``(B, S_last * A)`` probability of each complete history
            (last-round state and action); ``None`` for discounted MDPs.
    """

    asw: torch.Tensor
    asw_without: torch.Tensor
    rewards: torch.Tensor
    last_flow: torch.Tensor | None

    def payments(self, weights: torch.Tensor) -> torch.Tensor:
        """``(B, n)`` AMA payments computed from the soft quantities."""
        return (self.asw_without - (self.asw[:, None] - weights * self.rewards)) / weights


class SoftPlanner:
    """Soft-max Bellman planner for one mechanism MDP at temperature ``temperature``."""

    def __init__(self, mdp: TabularMDP, temperature: float) -> None:
        if not temperature > 0:
            raise ValueError(f"temperature must be positive, got {temperature!r}")
        self.mdp = mdp
        self.temperature = float(temperature)
        self._features = torch.as_tensor(np.array(mdp.features))  # (n, S, A, d)
        self._next = torch.as_tensor(np.array(mdp.next_state))
        penalty = np.where(np.isinf(mdp.removal_penalty), FORBIDDEN, 0.0)
        self._penalty = torch.as_tensor(penalty)  # (P, S, A)

    def _soft_max(self, q: torch.Tensor) -> torch.Tensor:
        return self.temperature * torch.logsumexp(q / self.temperature, dim=-1)

    def __call__(
        self, types: torch.Tensor | np.ndarray, weights: torch.Tensor, boosts: torch.Tensor
    ) -> SoftPlan:
        """Plan for ``types`` ``(B, n, d)`` with differentiable ``weights`` and ``boosts``."""
        types = torch.as_tensor(types, dtype=torch.float64)
        n = self.mdp.n_agents
        rewards = torch.einsum("bnd,nsad->bnsa", types, self._features)  # own rewards
        weighted = rewards * weights[None, :, None, None]
        keep = 1.0 - torch.cat([torch.zeros(1, n), torch.eye(n)]).to(torch.float64)  # (P, n)
        q_reward = torch.einsum("pn,bnsa->bpsa", keep, weighted) + boosts + self._penalty
        if self.mdp.stage_bounds is None:
            return self._discounted(q_reward, rewards)
        return self._finite(q_reward, rewards)

    def _finite(self, q_reward: torch.Tensor, rewards: torch.Tensor) -> SoftPlan:
        mdp, batch = self.mdp, q_reward.shape[0]
        bounds = list(pairwise(mdp.stage_bounds))
        terminal = torch.zeros(batch, q_reward.shape[1], 1, dtype=torch.float64)
        later: list[torch.Tensor] = [terminal]  # values of states from the next stage on
        policies: list[torch.Tensor] = []
        for lo, hi in reversed(bounds):
            tail = torch.cat(later, dim=2)
            q = q_reward[:, :, lo:hi] + mdp.gamma * tail[:, :, self._next[lo:hi] - hi]
            later.insert(0, self._soft_max(q))
            policies.insert(0, torch.softmax(q[:, 0] / self.temperature, dim=-1))
        values = torch.cat(later, dim=2)[:, :, mdp.start]
        flow_in = torch.zeros(batch, mdp.n_states + 1, dtype=torch.float64)
        flow_in[:, mdp.start] = 1.0
        own = torch.zeros(batch, mdp.n_agents, dtype=torch.float64)
        for t, ((lo, hi), policy) in enumerate(zip(bounds, policies, strict=True)):
            flow = flow_in[:, lo:hi, None] * policy  # (B, S_t, A)
            own = own + mdp.gamma**t * torch.einsum("bsa,bnsa->bn", flow, rewards[:, :, lo:hi])
            flow_in = torch.zeros_like(flow_in).index_add(
                1, self._next[lo:hi].reshape(-1), flow.reshape(batch, -1)
            )
        return SoftPlan(values[:, 0], values[:, 1:], own, flow.reshape(batch, -1))

    def _discounted(self, q_reward: torch.Tensor, rewards: torch.Tensor) -> SoftPlan:
        mdp, batch = self.mdp, q_reward.shape[0]
        steps = path_length(mdp)
        values = torch.zeros(q_reward.shape[:3], dtype=torch.float64)
        for _ in range(steps):
            q = q_reward + mdp.gamma * values[:, :, self._next]
            values = self._soft_max(q)
        policy = torch.softmax(q[:, 0] / self.temperature, dim=-1)  # (B, S, A)
        state = torch.zeros(batch, mdp.n_states, dtype=torch.float64)
        state[:, mdp.start] = 1.0
        own = torch.zeros(batch, mdp.n_agents, dtype=torch.float64)
        for t in range(steps):
            flow = state[:, :, None] * policy
            own = own + mdp.gamma**t * torch.einsum("bsa,bnsa->bn", flow, rewards)
            state = torch.zeros_like(state).index_add(
                1, self._next.reshape(-1), flow.reshape(batch, -1)
            )
        start = values[:, :, mdp.start]
        return SoftPlan(start[:, 0], start[:, 1:], own, None)


def last_round_histories(mdp: TabularMDP) -> np.ndarray:
    """``(S_last * A, horizon)`` complete action history ending with each last-round state and
    action of a finite-horizon MDP whose states form a tree (each has one parent)."""
    if mdp.stage_bounds is None:
        raise ValueError("complete histories exist only for finite-horizon MDPs")
    horizon = mdp.horizon
    histories = np.full((mdp.n_states, horizon), -1, dtype=np.int64)
    for (lo, hi), t in zip(pairwise(mdp.stage_bounds[:-1]), range(horizon - 1), strict=True):
        for action in range(mdp.n_actions):
            children = mdp.next_state[lo:hi, action]
            histories[children, :t] = histories[lo:hi, :t]
            histories[children, t] = action
    lo = mdp.stage_bounds[-2]
    last = np.repeat(histories[lo:], mdp.n_actions, axis=0)
    last[:, horizon - 1] = np.tile(np.arange(mdp.n_actions), mdp.n_states - lo)
    return last
