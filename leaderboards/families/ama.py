"""The boards of the dynamic AMA family: a submission is AMA parameters (weights, boosts), scored
by :func:`econ_envs.ama.evaluate` (the exact unregularized planner) on fixed type profiles, VCG
beside it; regret is 0 (truthful reporting is dominant)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from econ_envs import AMA, EnvEntry, ama, entry
from econ_envs.ama import AMADomain, AMAParams, make_domain
from leaderboards.board import Board
from leaderboards.families.base import BoardFamily, Evaluation, SubmissionError, as_list

if TYPE_CHECKING:
    from leaderboards.submission import Submission

#: seed of the type profiles on every AMA board, and how many profiles
SEED = 0
PROFILES = 10_000
#: the metrics of an AMA board's ``details`` (each with ``<name>_se`` and ``vcg_<name>``)
METRICS = ("objective", "revenue", "welfare", "makespan")


def ama_domain(env_id: str, env_kwargs: Mapping[str, Any]) -> AMADomain:
    """The AMA domain of a registered AMA id with ``env_kwargs`` on top of its preset."""
    return make_domain(**{**entry(env_id).kwargs, **env_kwargs})


def params_payload(params: AMAParams | Mapping[str, Any]) -> dict[str, Any]:
    """What an AMA submission holds: ``{"params": {"weights": ..., "boosts": ...}}`` from
    :class:`~econ_envs.ama.AMAParams` (or its ``to_dict``)."""
    as_dict = params.to_dict() if isinstance(params, AMAParams) else dict(params)
    return {
        "params": {
            "weights": as_list(as_dict["weights"], "params.weights"),
            "boosts": as_list(as_dict["boosts"], "params.boosts"),
        }
    }


def _board(registered: EnvEntry, kwargs: Mapping[str, Any], preset: Mapping[str, Any]) -> Board:
    domain = ama_domain(registered.id, kwargs)
    return Board(
        registered.id,
        AMA,
        MappingProxyType(dict(kwargs)),
        domain.objective,
        domain.objective,
        domain.higher_is_better,
        preset.get("optimal_value"),
        f"The exact unregularized planner on {PROFILES:,} type profiles drawn from "
        f"numpy.random.default_rng({SEED}); score = the mean of the board's metric "
        f"(± standard error), VCG on the same profiles beside it; truthful reporting is "
        f"dominant, so regret = 0.",
        (SEED,),
        MappingProxyType(dict(preset.get("reference", {}))),
        n_profiles=PROFILES,
    )


def _config(env_id: str, env_kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The complete configuration of a board's AMA domain (defaults filled in)."""
    return dict(ama_domain(env_id, env_kwargs).config)


def _check_payload(board: Board, data: Mapping[str, Any]) -> None:
    if "params" not in data:
        raise SubmissionError(f"{board.env_id} is an AMA env: submit 'params' (weights, boosts)")
    domain = ama_domain(board.env_id, board.env_kwargs)
    try:
        boosts = np.asarray(data["params"]["boosts"], dtype=np.float64)
    except ValueError:
        raise SubmissionError("params.boosts rows must all have the same length") from None
    AMAParams(data["params"]["weights"], boosts).check(domain.mdp)


def _evaluate(submission: Submission) -> Evaluation:
    board = submission.board
    params = AMAParams.from_dict(submission.data["params"])
    result = ama.evaluate(
        board.env_id, params, n_profiles=board.n_profiles, seed=board.seeds[0], **board.env_kwargs
    )
    rows = tuple(
        (
            name,
            getattr(result, name),
            getattr(result, f"{name}_se"),
            result.vcg_objective if name == "objective" else getattr(result, f"vcg_{name}"),
        )
        for name in METRICS
    )
    details = {
        "objective_name": result.objective_name,
        "domain": result.domain,
        "config": result.config,
        "n_profiles": result.n_profiles,
        "seed": result.seed,
    }
    for name, value, se, vcg in rows:
        details.update({name: value, f"{name}_se": se, f"vcg_{name}": vcg})
    return Evaluation(
        score=result.objective,
        score_se=result.objective_se,
        regret=0.0,
        optimality_gap=board.gap(result.objective),
        details=details,
    )


def _vcg(board: Board) -> dict[str, Any]:
    return params_payload(AMAParams.vcg(ama_domain(board.env_id, board.env_kwargs).mdp))


BOARDS = BoardFamily(
    name=AMA,
    title="Dynamic AMA boards (truthful agents, exact planner)",
    payload="params",
    board=_board,
    config=_config,
    check_payload=_check_payload,
    evaluate=_evaluate,
    baseline_source="vcg",
    baseline_method="VCG",
    baseline=_vcg,
    error_bar=lambda board: f"± standard error over {board.n_profiles:,} type profiles",
    notes=lambda board: ["regret: 0 by construction (truthful reporting is dominant)."],
    # every record of a board is scored on the same profiles, so VCG's score is the same
    summary=lambda records: {
        "VCG on the evaluation profiles": records[0]["evaluation"]["vcg_objective"]
    },
)
