"""The AMA domains, by name: :func:`make_domain` is the one way to build one."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from econ_envs.ama.domains.base import AMADomain
from econ_envs.ama.domains.gridworld import gridworld
from econ_envs.ama.domains.sequential_sales import sequential_sales
from econ_envs.ama.domains.task_scheduling import task_scheduling
from econ_envs.validation import check_choice

DOMAINS: dict[str, Callable[..., AMADomain]] = {
    "SequentialSales": sequential_sales,
    "TaskScheduling": task_scheduling,
    "GridworldAMA": gridworld,
}


def make_domain(domain: str, **kwargs: Any) -> AMADomain:
    """Build the domain called ``domain`` with its keywords (see each domain's builder)."""
    builder = DOMAINS[check_choice("domain", domain, DOMAINS)]
    allowed = inspect.signature(builder).parameters
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise ValueError(
            f"unknown keyword(s) {unknown} for domain {domain!r}; allowed: {', '.join(allowed)}"
        )
    return builder(**kwargs)


__all__ = ["DOMAINS", "AMADomain", "make_domain"]
