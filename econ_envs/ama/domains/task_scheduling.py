"""Task scheduling (SPEC §2.2): one task arrives per round and is assigned to a worker.

State: the round and the assignment history. Action ``i`` assigns the task to worker ``i``,
whose reward is minus its cost for that task. Removing a worker forbids assigning to it.
Objective: the makespan of the chosen assignment (lower is better), under ``makespan_rule``:

- ``"queue"``: each round every worker's remaining work drops by 1 (not below 0), then the new
  task's cost is added to its worker; the makespan is the largest remaining work at the end.
- ``"curry2024"`` (reproduces the published tables): remaining work drops by 1 only where it is
  positive and is never clipped at 0; the final makespan is clipped at 0.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from econ_envs.ama.domains.base import AMADomain, check_domain_size
from econ_envs.ama.mdp import TabularMDP, history_tree, stage_bounds_of_tree, tree_size
from econ_envs.validation import check_choice, check_positive_int

DISTRIBUTIONS = ("uniform", "asymmetric")
MAKESPAN_RULES = ("queue", "curry2024")
MAX_COST = 3.0


def makespan(costs: np.ndarray, rule: str) -> np.ndarray:
    """``(B,)`` makespan from ``costs`` ``(B, n, T)``: the cost of each task for each worker,
    nonzero only for the worker the task went to (see the module docstring for ``rule``)."""
    work = np.zeros(costs.shape[:2])
    for t in range(costs.shape[2]):
        if rule == "queue":
            work = np.maximum(work - 1.0, 0.0)
        else:
            work = np.where(work > 0, work - 1.0, work)
        work += costs[:, :, t]
    return np.maximum(work.max(axis=1), 0.0)


def task_scheduling(
    n_agents: int = 2,
    n_tasks: int = 4,
    distribution: str = "uniform",
    makespan_rule: str = "queue",
) -> AMADomain:
    """Build the TaskScheduling domain.

    Args:
        n_agents: number of workers (at least 2).
        n_tasks: number of tasks, one arriving per round.
        distribution: ``"uniform"``: costs U[0,3], or ``"asymmetric"``: worker ``i`` (counted
            from 1) has costs U[0, 3i].
        makespan_rule: ``"queue"`` or ``"curry2024"`` (see the module docstring).
    """
    n = check_positive_int("n_agents", n_agents)
    if n < 2:
        raise ValueError(f"n_agents must be >= 2 (one worker must remain without another), got {n}")
    horizon = check_positive_int("n_tasks", n_tasks)
    check_choice("distribution", distribution, DISTRIBUTIONS)
    rule = check_choice("makespan_rule", makespan_rule, MAKESPAN_RULES)
    check_domain_size(n, tree_size(n, horizon), n, horizon, n_agents=n, n_tasks=horizon)
    next_state, histories = history_tree(n, horizon)
    rounds = (histories >= 0).sum(axis=1)
    n_states = next_state.shape[0]
    features = np.zeros((n, n_states, n, horizon))
    forbidden = np.zeros((n, n_states, n), dtype=bool)
    for i in range(n):
        features[i, np.arange(n_states), i, rounds] = -1.0
        forbidden[i, :, i] = True
    mdp = TabularMDP(next_state, features, forbidden, 1.0, stage_bounds_of_tree(n, horizon))
    highs = MAX_COST * (np.ones(n) if distribution == "uniform" else np.arange(1, n + 1))

    def sampler(rng: np.random.Generator, n_profiles: int) -> np.ndarray:
        return rng.random((n_profiles, n, horizon)) * highs[None, :, None]

    def makespan_fn(types: np.ndarray, actions: np.ndarray) -> np.ndarray:
        assigned = actions[:, None, :] == np.arange(n)[None, :, None]
        return makespan(np.where(assigned, types, 0.0), rule)

    def state_name(state: int) -> str:
        past = [f"task {k + 1} to worker {a}" for k, a in enumerate(histories[state]) if a >= 0]
        return f"round {len(past)}" + (": " + ", ".join(past) if past else ", no task yet")

    config = {
        "n_agents": n,
        "n_tasks": horizon,
        "distribution": distribution,
        "makespan_rule": rule,
    }
    return AMADomain(
        "TaskScheduling",
        MappingProxyType(config),
        mdp,
        sampler,
        "makespan",
        symmetric=distribution == "uniform",
        boost_scale=MAX_COST,
        makespan_fn=makespan_fn,
        action_names=tuple(f"task to worker {i}" for i in range(n)),
        state_name=state_name,
    )
