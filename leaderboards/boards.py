"""The leaderboards, derived from the environment registry (SPEC §5).

Every registered id has one board with the env as registered; a few ids have more boards, one per
*published preset* (:data:`PRESETS`: the settings of the papers' tables). A board fixes every
keyword of the environment, the metric and its direction, the known optimum, the published
reference values and the evaluation protocol with its fixed seeds. A submission names its
``env_id`` and ``env_kwargs``; it is scored on the board whose keywords equal them once the
declared defaults are filled in on both sides (``{"n_messages": 3}`` on MessageAllocation is its
default board).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any

from econ_envs.adapters.common import EpisodeOptions
from econ_envs.ama import AMADomain, make_domain
from econ_envs.games import game_class
from econ_envs.policy_table import MAX_EXACT_PLAYS, exact_plays, game_of
from econ_envs.registry import AMA, ENTRIES, STACKELBERG, EnvEntry, entry

#: seeds of the follower dynamics on every Stackelberg board
STACKELBERG_SEEDS: tuple[int, ...] = tuple(range(10))
#: seed of the type profiles on every AMA board, and how many profiles
AMA_SEED = 0
AMA_PROFILES = 10_000

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
        family: :data:`~econ_envs.registry.STACKELBERG` or :data:`~econ_envs.registry.AMA`.
        env_kwargs: the keywords passed on top of the registered ones (``{}`` = as registered).
        metric: the name of the score.
        higher_is_better: the direction of the score.
        optimal_value: the best achievable score, where known exactly.
        reference: published values on this setting (method -> score), for context.
        seeds: the evaluator's fixed seeds.
        n_profiles: AMA boards: the number of type profiles evaluated (``None`` otherwise).
        n_plays: Stackelberg boards: plays the exact evaluator enumerates (type profiles x
            message profiles); 0 for AMA boards.
    """

    env_id: str
    family: str
    env_kwargs: Mapping[str, Any]
    metric: str
    higher_is_better: bool
    optimal_value: float | None
    reference: Mapping[str, float] = field(default_factory=dict)
    seeds: tuple[int, ...] = STACKELBERG_SEEDS
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

    @property
    def protocol(self) -> str:
        """The evaluation protocol, in words."""
        if self.family == STACKELBERG:
            return (
                f"The env's follower dynamics run against the submitted policy table with seeds "
                f"{self.seeds[0]}..{self.seeds[-1]}; score = mean over seeds of the exact expected "
                f"leader utility of the followers' final strategies (types enumerated); regret = "
                f"max over seeds of their exact equilibrium regret."
            )
        return (
            f"The exact unregularized planner on {self.n_profiles:,} type profiles drawn from "
            f"numpy.random.default_rng({self.seeds[0]}); score = the mean of the board's metric "
            f"(± standard error), VCG on the same profiles beside it; truthful reporting is "
            f"dominant, so regret = 0."
        )

    def gap(self, score: float) -> float | None:
        """How far ``score`` is from the optimum (≥ 0 unless the score beats it)."""
        if self.optimal_value is None:
            return None
        return (
            (self.optimal_value - score) if self.higher_is_better else (score - self.optimal_value)
        )


def _board(registered: EnvEntry, preset: Mapping[str, Any]) -> Board:
    kwargs = dict(preset.get("env_kwargs", {}))
    reference = MappingProxyType(dict(preset.get("reference", {})))
    if registered.family == STACKELBERG:
        game = game_of(registered.id, **kwargs)
        optimum = preset.get("optimal_value", game.spec.optimal_value)
        return Board(
            registered.id,
            registered.family,
            MappingProxyType(kwargs),
            "leader value",
            True,
            optimum,
            reference,
            n_plays=exact_plays(game),
        )
    domain = ama_domain(registered.id, kwargs)
    return Board(
        registered.id,
        AMA,
        MappingProxyType(kwargs),
        domain.objective,
        domain.higher_is_better,
        preset.get("optimal_value"),
        reference,
        (AMA_SEED,),
        AMA_PROFILES,
    )


def ama_domain(env_id: str, env_kwargs: Mapping[str, Any]) -> AMADomain:
    """The AMA domain of a registered AMA id with ``env_kwargs`` on top of its preset."""
    return make_domain(**{**entry(env_id).kwargs, **env_kwargs})


def _ama_config(env_id: str, env_kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The complete configuration of a board's AMA domain (defaults filled in)."""
    return dict(ama_domain(env_id, env_kwargs).config)


def _stackelberg_config(env_id: str, env_kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The keywords of a Stackelberg id with ``env_kwargs`` on top of the registered ones and
    the declared defaults of the env's options and of its game's parameters."""
    registered = dict(entry(env_id).kwargs)
    game = game_class(registered["game"])
    declared = {
        name: parameter.default
        for name, parameter in inspect.signature(game).parameters.items()
        if parameter.default is not inspect.Parameter.empty
    }
    options = {option.name: option.default for option in dataclasses.fields(EpisodeOptions)}
    return {**declared, **options, **registered, **env_kwargs}


@functools.cache
def boards() -> tuple[Board, ...]:
    """Every board: for each registry entry, the registered env, then its published presets."""
    result = []
    for registered in ENTRIES:
        presets = PRESETS.get(registered.id, ())
        if not any(not p.get("env_kwargs") for p in presets):
            presets = ({"env_kwargs": {}}, *presets)
        result += [_board(registered, p) for p in presets]
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
    config = _ama_config if candidates[0].family == AMA else _stackelberg_config
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
    """Boards matching ``query``: a full id, an env name (``MSPM-v0``) or a board key."""
    found = [b for b in boards() if query in (b.env_id, b.env_name, b.key)]
    if not found:
        known = ", ".join(b.key for b in boards())
        raise ValueError(f"no board matches {query!r}; boards: {known}")
    return found
