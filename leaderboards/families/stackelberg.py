"""The boards of the Stackelberg POMDP family: a submission is a leader policy table, scored by
the exact table evaluator (:func:`econ_envs.policy_table.evaluate_table_seeds`) on the official
follower seeds (:data:`econ_envs.OFFICIAL_SEEDS`, 100 seeds that training never uses: a table
tuned to its training seeds is scored on seeds it could not fit): score = mean exact leader
value, regret = max exact equilibrium regret, and on how many seeds the followers end in
equilibrium and the table is optimal."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from econ_envs import (
    OFFICIAL_SEEDS,
    STACKELBERG,
    EnvEntry,
    EpisodeOptions,
    check_table,
    entry,
    evaluate_table_seeds,
    exact_plays,
    game_class,
    game_of,
)
from leaderboards.board import Board
from leaderboards.families.base import BoardFamily, Evaluation, SubmissionError, as_list

if TYPE_CHECKING:
    from leaderboards.submission import Submission

#: seeds of the follower dynamics on every Stackelberg board
SEEDS: tuple[int, ...] = OFFICIAL_SEEDS
#: a seed's followers are in equilibrium when their exact regret is at most this, and a seed's
#: value is optimal when it is within this of the optimum
TOLERANCE = 1e-9
#: the metric of every Stackelberg board, as records store it
METRIC = "leader value"
#: display names of the games' ``objective`` keyword (the leader value is it)
OBJECTIVE_LABELS = {
    "welfare_loss": "negative welfare loss",
    "welfare": "welfare",
    "revenue": "revenue",
}
#: the fields of each seed's result (``details["per_seed"]``)
PER_SEED_FIELDS = ("seed", "value", "regret", "empirical_regret", "follower_strategies")


def table_payload(table: ArrayLike) -> dict[str, Any]:
    """What a Stackelberg submission holds: ``{"table": rows}``, one leader action per
    observation."""
    return {"table": as_list(table, "table")}


def _board(registered: EnvEntry, kwargs: Mapping[str, Any], preset: Mapping[str, Any]) -> Board:
    game = game_of(registered.id, **kwargs)
    objective = getattr(game, "objective", None)
    return Board(
        registered.id,
        STACKELBERG,
        MappingProxyType(dict(kwargs)),
        METRIC,
        OBJECTIVE_LABELS.get(objective, METRIC),
        True,
        preset.get("optimal_value", game.spec.optimal_value),
        f"The env's follower dynamics run against the submitted policy table with the "
        f"{len(SEEDS)} official seeds {SEEDS[0]}..{SEEDS[-1]} (training uses others); score = "
        f"mean over seeds of the exact expected leader utility of the followers' final "
        f"strategies (types enumerated); regret = max over seeds of their exact equilibrium "
        f"regret; the table is optimal on a seed when its followers are in equilibrium and "
        f"its value is the optimum there.",
        SEEDS,
        MappingProxyType(dict(preset.get("reference", {}))),
        n_plays=exact_plays(game),
    )


def _config(env_id: str, env_kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The keywords of a Stackelberg id with ``env_kwargs`` on top of the registered ones and
    the declared defaults of the env's options and of its game's parameters."""
    registered = entry(env_id).kwargs
    declared = game_class(registered["game"]).keyword_defaults()
    return {**declared, **EpisodeOptions.defaults(), **registered, **env_kwargs}


def _check_payload(board: Board, data: Mapping[str, Any]) -> None:
    if "table" not in data:
        raise SubmissionError(f"{board.env_id} is a Stackelberg env: submit a 'table'")
    try:
        table = np.asarray(data["table"], dtype=np.float64)
    except ValueError:
        raise SubmissionError("table rows must all have the same length") from None
    check_table(game_of(board.env_id, **board.env_kwargs), table)


def _evaluate(submission: Submission) -> Evaluation:
    board = submission.board
    results = evaluate_table_seeds(
        board.env_id,
        np.asarray(submission.data["table"], dtype=np.float64),
        seeds=board.seeds,
        **board.env_kwargs,
    )
    values = np.array([r.value for r in results])
    in_equilibrium = np.array([r.regret for r in results]) <= TOLERANCE
    optimal = (
        None
        if board.optimal_value is None
        else int((in_equilibrium & (np.abs(values - board.optimal_value) <= TOLERANCE)).sum())
    )
    score = float(values.mean())
    rows = tuple(
        (r.seed, r.value, r.regret, r.empirical_regret, r.follower_strategies.tolist())
        for r in results
    )
    return Evaluation(
        score=score,
        score_se=float(values.std(ddof=1) / np.sqrt(values.size)) if values.size > 1 else 0.0,
        regret=max(r.regret for r in results),
        optimality_gap=board.gap(score),
        details={
            "per_seed": [dict(zip(PER_SEED_FIELDS, row, strict=True)) for row in rows],
            "seeds_in_equilibrium": int(in_equilibrium.sum()),
            "seeds_optimal": optimal,
        },
    )


def _zero_table(board: Board) -> dict[str, Any]:
    spec = game_of(board.env_id, **board.env_kwargs).spec
    return table_payload(np.zeros((spec.n_observations, *(spec.action_space.shape or ()))))


def _notes(board: Board) -> list[str]:
    notes = []
    if board.metric_label == OBJECTIVE_LABELS["welfare_loss"]:
        notes.append(
            "welfare loss = best possible welfare for the drawn types − welfare achieved (≥ 0); "
            "the leader's value is its negative, so 0 is optimal and higher is better."
        )
    notes.append(
        "regret: the exact equilibrium regret of the followers' final strategies against the "
        "submitted table (the most any follower type gains by switching message, max over "
        "seeds; 0 = an equilibrium, so the score is what the table earns). empirical_regret "
        "(per seed in the record, and the env's info['equilibrium_regret']) is the regret "
        "the dynamics observed over the response phase: how far they converged, not a check."
    )
    return notes


BOARDS = BoardFamily(
    name=STACKELBERG,
    title="Stackelberg POMDP boards (learning followers)",
    payload="table",
    board=_board,
    config=_config,
    check_payload=_check_payload,
    evaluate=_evaluate,
    baseline_source="zero",
    baseline_method="zero table (trivial baseline)",
    baseline=_zero_table,
    error_bar=lambda board: f"± standard error over the evaluator's {len(board.seeds)} seeds",
    notes=_notes,
)
