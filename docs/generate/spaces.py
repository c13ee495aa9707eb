"""The action and observation spaces of an environment id as tables, one row per dimension.

Nothing here says what a dimension means on its own: the meanings are read from the code that
lays the spaces out, so the tables cannot drift from the env. A Stackelberg id's observation
entries come from its game's :class:`~econ_envs.games.observation.ObservationEncoding` (the
same columns ``observe`` fills), its actions from the game's ``GameSpec.action_meanings``, its
privileged state from :class:`~econ_envs.state_layout.StateLayout`. An AMA id's action entries
are found by laying a numbered vector out with :meth:`~econ_envs.ama.mechanism.AMAParams.from_flat`
(the designer env's own reading of an action) and naming each state and action with its
domain's ``state_name`` and ``action_names``.
"""

from __future__ import annotations

import inspect
from typing import Any

import gymnasium
import numpy as np

from econ_envs.ama.mechanism import AMAParams
from econ_envs.state_layout import StateLayout

from .rst import docstring_section, literal, plain, table


def number(x: float) -> str:
    """A bound as a short number (``1``, ``0.001``, ``3.4028235e+38``)."""
    return f"{float(x):g}"


def summary(space: gymnasium.Space[Any]) -> str:
    """A space in one short line: its repr, or for a box whose bounds differ per entry its shape,
    dtype and range (the table gives each entry's bounds)."""
    if isinstance(space, gymnasium.spaces.Box) and not (
        np.all(space.low == space.low.flat[0]) and np.all(space.high == space.high.flat[0])
    ):
        return (
            f"``Box(shape={space.shape}, dtype={space.dtype})``, entries in "
            f"[{number(space.low.min())}, {number(space.high.max())}] (see below)"
        )
    return literal(repr(space))


def action_meanings(env: gymnasium.Env[Any, Any]) -> tuple[str, ...]:
    """What each entry (or, for a ``Discrete`` space, each value) of the env's action means."""
    unwrapped = env.unwrapped
    if hasattr(unwrapped, "game"):
        return unwrapped.game.spec.action_meanings
    domain = unwrapped.domain
    mdp = domain.mdp
    size = int(np.prod(env.action_space.shape))
    params = AMAParams.from_flat(np.arange(1, size + 1), mdp)  # entry k + 1 at flat index k
    meanings = [""] * size
    for (state, action), k in np.ndenumerate(params.boosts):
        meanings[int(k) - 1] = (
            f"boost b({state}, {action}): state {state} ({domain.state_name(state)}), "
            f"action {action} ({domain.action_names[action]})"
        )
    for agent, k in enumerate(params.weights):
        meanings[int(k) - 1] = f"weight w_{agent} of agent {agent}"
    return tuple(meanings)


def observation_meanings(env: gymnasium.Env[Any, Any]) -> tuple[str, ...]:
    """What each entry of the env's observation means."""
    unwrapped = env.unwrapped
    if hasattr(unwrapped, "game"):
        return unwrapped.game.observation_encoding.column_meanings()
    return unwrapped.observation_meanings


def space_table(space: gymnasium.Space[Any], meanings: tuple[str, ...]) -> list[str]:
    """One row per value of a ``Discrete`` space, per entry of a ``MultiDiscrete`` or ``Box``
    (with its bounds)."""
    cells = [plain(m) for m in meanings]
    if isinstance(space, gymnasium.spaces.Discrete):
        values = range(int(space.start), int(space.start + space.n))
        rows = [[literal(str(v)), m] for v, m in zip(values, cells, strict=True)]
        return table(["value", "meaning"], rows)
    if isinstance(space, gymnasium.spaces.MultiDiscrete):
        rows = [
            [literal(str(i)), m, f"integers 0 to {int(n) - 1}"]
            for i, (n, m) in enumerate(zip(space.nvec, cells, strict=True))
        ]
        return table(["index", "meaning", "values"], rows)
    if not isinstance(space, gymnasium.spaces.Box) or len(space.shape) != 1:
        raise TypeError(f"no dimension table for {space}")
    bounds = zip(space.low, space.high, cells, strict=True)
    rows = [[literal(str(i)), m, number(lo), number(hi)] for i, (lo, hi, m) in enumerate(bounds)]
    return table(["index", "meaning", "min", "max"], rows, "5 75 10 10")


def state_table(layout: StateLayout) -> list[str]:
    """The privileged state's parts: their entries, what each part is (from
    :class:`StateLayout`'s docstring) and which entry is which."""
    meanings = docstring_section(inspect.getdoc(StateLayout) or "", "Attributes")
    n, k, m = layout.n_followers, layout.max_types, layout.max_messages
    entry = {
        "phase": "its one entry",
        "progress": "its one entry",
        "types": f"entry {layout.types.start} + {k} i + t is 1.0 where follower i has type t",
        "messages": f"entry {layout.messages.start} + {m} i + a is 1.0 where follower i sends a",
        "counterfactual": f"entry {layout.counterfactual.start} + j is 1.0 during play j",
        "strategies": (
            f"entry {layout.strategies.start} + {k * m} i + {m} t + a is the probability that "
            f"follower i of type t sends a"
        ),
    }
    rows = []
    for part, which in entry.items():
        place = getattr(layout, part)
        first, last = (place, place) if isinstance(place, int) else (place.start, place.stop - 1)
        columns = str(first) if first == last else f"{first} to {last}"
        rows.append([columns, literal(part), meanings[part], which])
    size = (
        f"A vector of {layout.size} entries ({n} followers, up to {k} types and {m} messages "
        f"each, {layout.plays_per_iteration} plays per response iteration):"
    )
    return [size, "", *table(["entries", "part", "what it is", "which entry"], rows, "12 12 46 30")]
