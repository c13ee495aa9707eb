"""How a board's records read, in tables and plots alike: numbers to four decimals, ranks shared
by ties, which run a record is, and what a score's error bar is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from leaderboards.board import Board
from leaderboards.families import board_family


def fmt(value: float | None, digits: int = 4) -> str:
    """A number for a table cell (``–`` for none)."""
    return "–" if value is None else f"{round(value, digits) + 0.0:.{digits}f}"


def with_se(value: float, se: float) -> str:
    """``value ± se`` (the standard error only where it is not zero to four decimals)."""
    return fmt(value) + (f" ± {fmt(se)}" if round(se, 4) > 0 else "")


def score_cell(record: dict[str, Any]) -> str:
    """The record's ``score ± se`` (:func:`with_se`)."""
    return with_se(record["score"], record["score_se"])


def _tie_key(record: dict[str, Any]) -> tuple[float, float]:
    return (round(record["score"], 9), round(record["regret"], 9))


def standings(records: Sequence[dict[str, Any]]) -> list[int]:
    """The rank of each record of a ranked board (best first), shared by ties: records with the
    same score and the same regret (to 9 decimals) share the best rank of the group, and the next
    record's rank counts every record before it ("1, 1, 3": standard competition ranking)."""
    ranks: list[int] = []
    for i, record in enumerate(records):
        tied = i > 0 and _tie_key(record) == _tie_key(records[i - 1])
        ranks.append(ranks[-1] if tied else i + 1)
    return ranks


def run_name(record: dict[str, Any]) -> str:
    """Which run a record is: its training seeds and steps where given, and ``#`` the first 8
    hex digits of its submission's SHA-256 (two runs of one method differ here)."""
    training = record["training"]
    parts = []
    if training.get("seeds"):
        seeds = training["seeds"]
        parts.append(f"seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}")
    if training.get("steps") is not None:
        parts.append(f"{training['steps']:,} steps")
    return ", ".join([*parts, f"#{record['submission_sha256'][:8]}"])


def error_bar_name(board: Board) -> str:
    """What a score's error bar is (the board's family says)."""
    return board_family(board.family).error_bar(board)
