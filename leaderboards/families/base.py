"""What a family declares to the boards (:class:`BoardFamily`), and the two things its functions
hand back to the boards: an :class:`Evaluation`, or a :class:`SubmissionError`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from econ_envs import EnvEntry
from leaderboards.board import Board

if TYPE_CHECKING:
    from leaderboards.submission import Submission


class SubmissionError(ValueError):
    """A submission was rejected; the message says why."""


@dataclass(frozen=True)
class Evaluation:
    """The official result of one submission on its board.

    Attributes:
        score: the board's metric.
        score_se: standard error of the score (over seeds or type profiles).
        regret: the exact equilibrium regret (0 for AMA: truthful reporting is dominant).
        optimality_gap: distance to the board's known optimum, ``None`` where unknown.
        details: everything else the evaluator computed (per-seed values, VCG, ...), JSON data;
            the record keeps it as ``evaluation``.
    """

    score: float
    score_se: float
    regret: float
    optimality_gap: float | None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BoardFamily:
    """How the boards of one family (:class:`econ_envs.families.Family`, same ``name``) are
    built, submitted to, evaluated, seeded and rendered.

    Attributes:
        name: the core family's name.
        title: the heading of its boards on the rendered page.
        payload: the key of what a submission holds (``table`` or ``params``).
        board: ``(registered entry, env_kwargs, preset)`` -> the :class:`Board`; ``preset`` may
            hold ``optimal_value`` and ``reference`` (:data:`leaderboards.boards.PRESETS`).
        config: ``(env_id, env_kwargs)`` -> every keyword of the env with its declared defaults
            filled in (two settings are one board iff their configs are equal).
        check_payload: ``(board, submission data)`` -> ``None``; raises ``ValueError`` (or
            :class:`SubmissionError`) if the payload does not fit the board's env.
        evaluate: a checked submission -> its official :class:`Evaluation`.
        baseline_source: the name of the ``econ-leaderboard seed`` source that seeds the trivial
            entry on every open board of the family.
        baseline_method: the method name of that entry.
        baseline: ``board`` -> the payload (``{payload: ...}``) of that trivial entry.
        error_bar: ``board`` -> what a score's error bar is, in words.
        notes: ``board`` -> how to read the regret (and the metric, where it needs it).
        summary: ranked records of a board -> named values shown above its table (none by
            default).
    """

    name: str
    title: str
    payload: str
    board: Callable[[EnvEntry, Mapping[str, Any], Mapping[str, Any]], Board]
    config: Callable[[str, Mapping[str, Any]], dict[str, Any]]
    check_payload: Callable[[Board, Mapping[str, Any]], None]
    evaluate: Callable[[Submission], Evaluation]
    baseline_source: str
    baseline_method: str
    baseline: Callable[[Board], dict[str, Any]]
    error_bar: Callable[[Board], str]
    notes: Callable[[Board], list[str]]
    summary: Callable[[Sequence[dict[str, Any]]], dict[str, float]] = lambda records: {}


def as_list(values: ArrayLike, name: str) -> Any:
    """``values`` as nested JSON lists; :class:`SubmissionError` naming ``name`` if ragged."""
    try:
        return np.asarray(values).tolist()
    except ValueError:
        raise SubmissionError(f"{name} rows must all have the same length") from None
