"""The leaderboards, derived from the environment registry (SPEC §5).

Every registered id has one board with the env as registered; a few ids have more boards, one per
*published preset* (:data:`PRESETS`: the settings of the papers' tables). A board fixes every
keyword of the environment, the metric and its direction, the known optimum, the published
reference values and the evaluation protocol with its fixed seeds. A submission names its
``env_id`` and ``env_kwargs``; it is scored on the board whose keywords equal them once the
declared defaults are filled in on both sides (``{"n_messages": 3}`` on MessageAllocation is its
default board). What differs between families (metric, seeds, protocol, how defaults are filled
in) comes from the board's family (:mod:`leaderboards.families`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from econ_envs import ENTRIES
from econ_envs.validation import did_you_mean
from leaderboards.board import Board, preset_name
from leaderboards.families import board_family

_SEQ = "econ_envs/SequentialSales-v0"
_TASKS = "econ_envs/TaskScheduling-v0"


def _published_sales(n: int, m: int, vcg: float, grid: float, zo: float, lp: float) -> dict:
    return {
        "env_kwargs": {"n_agents": n, "n_items": m},
        "reference": {"VCG": vcg, "grid search": grid, "zeroth-order": zo, "regularized LP": lp},
    }


def _published_tasks(n: int, t: int, vcg: float, grid: float, zo: float, lp: float) -> dict:
    return {
        "env_kwargs": {"n_agents": n, "n_tasks": t, "makespan_rule": "curry2024"},
        "reference": {"VCG": vcg, "grid search": grid, "zeroth-order": zo, "regularized LP": lp},
    }


#: env id -> extra boards: ``env_kwargs``, and optionally ``optimal_value`` and the published
#: ``reference`` values (REFERENCE.md). A preset equal to the registered env is the default board.
PRESETS: Mapping[str, tuple[dict[str, Any], ...]] = MappingProxyType(
    {
        "econ_envs/Escape-v0": ({"env_kwargs": {"mixed": True}},),
        "econ_envs/Maintain-v0": ({"env_kwargs": {"mixed": True}},),
        "econ_envs/MatrixDesign-v0": ({"env_kwargs": {"objective": "distinct"}},),
        "econ_envs/MessageAllocation-v0": (
            {"env_kwargs": {"n_messages": 1}},
            {"env_kwargs": {"n_messages": 2}},
        ),
        "econ_envs/MSPM-v0": (
            {"env_kwargs": {"n_types": 4}},
            {"env_kwargs": {"n_types": 5}},
            {"env_kwargs": {"n_types": 5, "n_messages": 3}},
        ),
        _SEQ: (
            {**_published_sales(2, 2, 0.0, 0.4902, 0.4939, 0.4893), "optimal_value": 0.5},
            {**_published_sales(3, 2, 0.4999, 0.6079, 0.6777, 0.6755), "env_kwargs": {}},
            _published_sales(4, 2, 0.8000, 0.7977, 0.8783, 0.8328),
            _published_sales(5, 2, 0.9996, 1.0050, 1.0078, 0.9967),
            _published_sales(2, 3, 0.0, 0.4715, 0.3825, 0.4168),
            _published_sales(3, 3, 0.0, 0.6107, 0.6446, 0.7240),
            _published_sales(4, 3, 0.6007, 0.7323, 0.8875, 0.9104),
            _published_sales(5, 3, 0.9988, 0.7142, 1.0631, 1.0743),
        ),
        _TASKS: (
            _published_tasks(2, 4, 1.0336, 1.0326, 0.9132, 0.9288),
            _published_tasks(2, 5, 1.0116, 1.0142, 0.8820, 0.9286),
            _published_tasks(3, 4, 0.6111, 0.6196, 0.5967, 0.6184),
            _published_tasks(3, 5, 0.5662, 0.5632, 0.5429, 0.5538),
        ),
        "econ_envs/GridworldAMA-v0": ({"env_kwargs": {}, "reference": {"VCG": 0.7547}},),
    }
)


@functools.cache
def boards() -> tuple[Board, ...]:
    """Every board: for each registry entry, the registered env, then its published presets."""
    result = []
    for registered in ENTRIES:
        presets = PRESETS.get(registered.id, ())
        if not any(not p.get("env_kwargs") for p in presets):
            presets = ({"env_kwargs": {}}, *presets)
        family = board_family(registered.family)
        result += [family.board(registered, p.get("env_kwargs", {}), p) for p in presets]
    return tuple(result)


def find_board(env_id: str, env_kwargs: Mapping[str, Any]) -> Board:
    """The board of ``env_id`` whose keywords equal ``env_kwargs``, explicit default values
    included; ``ValueError`` lists the boards' keywords."""
    candidates = [b for b in boards() if b.env_id == env_id]
    if not candidates:
        known = ", ".join(sorted({b.env_id for b in boards()}))
        raise ValueError(f"env_id={env_id!r} has no leaderboard; known ids: {known}")
    for board in candidates:
        if dict(board.env_kwargs) == dict(env_kwargs):
            return board
    # defaults filled in from trusted declarations; untrusted values are compared, never built
    config = board_family(candidates[0].family).config
    wanted = {**config(env_id, {}), **env_kwargs}
    for board in candidates:
        if config(env_id, board.env_kwargs) == wanted:
            return board
    allowed = "; ".join(repr(dict(b.env_kwargs)) for b in candidates)
    raise ValueError(
        f"env_kwargs={dict(env_kwargs)!r} is not a board of {env_id}: its boards have the "
        f"env_kwargs {allowed}"
    )


def select(query: str) -> list[Board]:
    """Boards matching ``query``: a full id, an env name (``MSPM-v0``) or a board key; a
    ``ValueError`` names the one an unknown ``query`` most likely means."""
    found = [b for b in boards() if query in (b.env_id, b.env_name, b.key)]
    if not found:
        queries = list(dict.fromkeys([*(b.env_name for b in boards()), *(b.key for b in boards())]))
        known = ", ".join(b.key for b in boards())
        raise ValueError(
            f"no board matches {query!r}{did_you_mean(query, queries)}; boards: {known}"
        )
    return found


__all__ = ["PRESETS", "Board", "boards", "find_board", "preset_name", "select"]
