"""One leaderboard, as data: :class:`Board` (which env setting, its metric and how it is scored).

A board is plain data. What differs between families (the metric, its direction and optimum, the
evaluator's seeds, the protocol in words) is filled in by the board's family
(:mod:`leaderboards.families`) when :func:`leaderboards.boards.boards` builds it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from econ_envs import MAX_EXACT_PLAYS

_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9.]+")


def preset_name(env_kwargs: Mapping[str, Any]) -> str:
    """The directory-safe name of a preset: ``default``, or ``key-value`` pairs sorted by key."""
    if not env_kwargs:
        return "default"
    parts = []
    for key in sorted(env_kwargs):
        value = env_kwargs[key]
        text = str(value).lower() if isinstance(value, bool) else str(value)
        parts.append(f"{key}-{_SLUG_UNSAFE.sub('', text)}")
    return "_".join(parts)


@dataclass(frozen=True)
class Board:
    """One leaderboard: an environment id with every keyword fixed, and how it is scored.

    Attributes:
        env_id: the registered id, ``econ_envs/<Name>-v<k>``.
        family: the name of its family (:mod:`econ_envs.families`), e.g. ``"stackelberg"``.
        env_kwargs: the keywords passed on top of the registered ones (``{}`` = as registered).
        metric: the name of the score, as records store it (``leader value``, ``revenue``).
        metric_label: the metric as a reader knows it (``negative welfare loss`` on MSPM).
        higher_is_better: the direction of the score.
        optimal_value: the best achievable score, where known exactly.
        protocol: the evaluation protocol, in words.
        seeds: the evaluator's fixed seeds.
        reference: published values on this setting (method -> score), for context.
        n_profiles: AMA boards: the number of type profiles evaluated (``None`` otherwise).
        n_plays: Stackelberg boards: plays the exact evaluator enumerates (type profiles x
            message profiles); 0 for AMA boards.
    """

    env_id: str
    family: str
    env_kwargs: Mapping[str, Any]
    metric: str
    metric_label: str
    higher_is_better: bool
    optimal_value: float | None
    protocol: str
    seeds: tuple[int, ...]
    reference: Mapping[str, float] = field(default_factory=dict)
    n_profiles: int | None = None
    n_plays: int = 0

    @property
    def open(self) -> bool:
        """Whether the exact evaluator is tractable here (:data:`MAX_EXACT_PLAYS`); a closed
        board is listed but takes no submissions."""
        return self.n_plays <= MAX_EXACT_PLAYS

    @property
    def closed_because(self) -> str:
        """Why a closed board takes no submissions (empty for an open board)."""
        if self.open:
            return ""
        return (
            f"its exact evaluation would enumerate {self.n_plays:,} plays (type x message "
            f"profiles; the limit is {MAX_EXACT_PLAYS:,})"
        )

    @property
    def env_name(self) -> str:
        """The id without its namespace, e.g. ``MSPM-v0``."""
        return self.env_id.split("/", 1)[1]

    @property
    def preset(self) -> str:
        """The preset's name (:func:`preset_name`)."""
        return preset_name(self.env_kwargs)

    @property
    def key(self) -> str:
        """``<env name>/<preset>``, e.g. ``MSPM-v0/n_types-4``; also its results folder."""
        return f"{self.env_name}/{self.preset}"

    @property
    def directory(self) -> PurePosixPath:
        """Where its records live, relative to the results root."""
        return PurePosixPath(self.env_name, self.preset)

    def gap(self, score: float) -> float | None:
        """How far ``score`` is from the optimum (≥ 0 unless the score beats it)."""
        if self.optimal_value is None:
            return None
        return (
            (self.optimal_value - score) if self.higher_is_better else (score - self.optimal_value)
        )
