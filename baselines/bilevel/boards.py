"""The bilevel baselines' entries on the leaderboards: ``econ-leaderboard seed bilevel``.

The leaderboards never import the baselines; this package declares :func:`bilevel_runs` as the
seed source ``bilevel`` in the entry-point group :data:`leaderboards.seed.SOURCE_GROUP`
(``scripts/econ-envs-baselines/pyproject.toml``), and ``econ-leaderboard seed`` loads it there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from baselines.bilevel.settings import METHOD_CONFIGS
from econ_envs import AMA
from leaderboards.boards import boards
from leaderboards.convert import from_bilevel


def bilevel_runs(seed: int = 0) -> Iterator[dict[str, Any]]:
    """Run the three bilevel baselines (default settings, one start) on every AMA board and
    yield each result as a submission."""
    from baselines.bilevel.runner import optimize  # lazy: needs torch

    for board in boards():
        if board.family == AMA:
            for method in METHOD_CONFIGS:
                result = optimize(
                    board.env_id, method, seed=seed, progress=False, **board.env_kwargs
                )
                yield from_bilevel(result.to_dict())
