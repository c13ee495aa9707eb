"""How each family is scored on the boards: one :class:`BoardFamily` per family, keyed by the
core family's name (:mod:`econ_envs.families`).

A board family declares (see :class:`BoardFamily`): its heading on the rendered page, what a
submission holds (``table`` or ``params``), how a board is built from a registered id and a
preset (metric, direction, optimum, seeds, protocol), how its settings are compared (defaults
filled in), how a payload is checked and evaluated, the trivial entry seeded on every board,
and how its scores read (error bar, notes, values shown above the table). Boards, submissions,
the evaluator, seeding and rendering ask :func:`board_family`; none branches on a family.

Adding a third family to the boards touches one new module here (its :class:`BoardFamily`,
like :mod:`leaderboards.families.stackelberg`) and :data:`BOARD_FAMILIES`.
"""

from __future__ import annotations

from leaderboards.families import ama, stackelberg
from leaderboards.families.base import BoardFamily, Evaluation, SubmissionError

#: every family's boards, by the core family's name
BOARD_FAMILIES: dict[str, BoardFamily] = {f.name: f for f in (stackelberg.BOARDS, ama.BOARDS)}


def board_family(name: str) -> BoardFamily:
    """How the boards of family ``name`` are scored; ``ValueError`` lists the known families."""
    if name not in BOARD_FAMILIES:
        known = ", ".join(BOARD_FAMILIES)
        raise ValueError(f"family={name!r} has no leaderboards; known families: {known}")
    return BOARD_FAMILIES[name]


__all__ = ["BOARD_FAMILIES", "BoardFamily", "Evaluation", "SubmissionError", "board_family"]
