"""One declared object per family (issue 13, parts 2 and 6): the registry and the boards ask a
family, a toy third family is added through the declared tables alone, one submission builder,
board columns declared once, the metric's name from the board, no module that branches on a
family."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest

import leaderboards
from econ_envs import families, registry
from econ_envs.ama import AMAParams, make_domain
from econ_envs.families import AMA, STACKELBERG, Family
from econ_envs.registry import EnvEntry
from leaderboards import find_board
from leaderboards.board import Board
from leaderboards.evaluator import evaluate_submission
from leaderboards.families import BOARD_FAMILIES, BoardFamily, Evaluation, board_family
from leaderboards.render import COLUMNS, HEADER, board_rows, score_notes
from leaderboards.submission import (
    Submission,
    params_submission,
    submission_data,
    table_submission,
)

MSG = "econ_envs/MessageAllocation-v0"
SALES = "econ_envs/SequentialSales-v0"
ROOT = Path(leaderboards.__file__).parent


def test_the_registry_asks_the_family_for_entry_points_and_the_naming_keyword() -> None:
    for e in registry.ENTRIES:
        declared = families.family(e.family)
        assert (e.entry_point, e.vector_entry_point) == (
            declared.entry_point,
            declared.vector_entry_point,
        )
        assert declared.name_keyword in e.kwargs
    assert registry.entry(MSG).kwargs["game"] == "MessageAllocation"
    assert registry.entry(SALES).kwargs["domain"] == "SequentialSales"
    with pytest.raises(ValueError, match=r"family='toy' is not a family; known families: "):
        families.family("toy")
    with pytest.raises(ValueError, match=r"family='toy' has no leaderboards; known families: "):
        board_family("toy")


#: the toy family: one "puzzle" per id, a submission holds one number, its score is that number
TOY = Family("toy", "toy puzzle", "puzzle", "toy:Env", "toy:VectorEnv", "a test module")


def _toy_board(registered: EnvEntry, kwargs: Mapping[str, Any], preset: Mapping[str, Any]) -> Board:
    return Board(
        registered.id, "toy", MappingProxyType(dict(kwargs)), "guess", "the guess", True, 1.0,
        "The guess is the score.", (0,),
    )  # fmt: skip


def _toy_check(board: Board, data: Mapping[str, Any]) -> None:
    if "guess" not in data:
        raise ValueError("submit a 'guess'")


def _toy_evaluate(submission: Submission) -> Evaluation:
    score = float(submission.data["guess"])
    return Evaluation(score, 0.0, 0.0, submission.board.gap(score))


TOY_BOARDS = BoardFamily(
    name="toy",
    title="Toy boards",
    payload="guess",
    board=_toy_board,
    config=lambda env_id, env_kwargs: dict(env_kwargs),
    check_payload=_toy_check,
    evaluate=_toy_evaluate,
    baseline_source="toy-zero",
    baseline_method="zero guess",
    baseline=lambda board: {"guess": 0.0},
    error_bar=lambda board: "none",
    notes=lambda board: ["regret: none."],
)


def test_a_third_family_is_added_through_the_declared_tables_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(families.FAMILIES, "toy", TOY)
    monkeypatch.setitem(BOARD_FAMILIES, "toy", TOY_BOARDS)
    toy_entry = registry._entry("toy", "econ_envs/Toy-v0", "Riddle", "a toy")
    assert dict(toy_entry.kwargs) == {"puzzle": "Riddle"}
    assert (toy_entry.entry_point, toy_entry.vector_entry_point) == ("toy:Env", "toy:VectorEnv")
    assert toy_entry.source == "a test module"

    board = board_family(toy_entry.family).board(toy_entry, {}, {})
    evaluation = evaluate_submission(Submission({"guess": 0.75}, board))
    assert (evaluation.score, evaluation.optimality_gap) == (0.75, 0.25)
    assert score_notes(board) == ["score: the guess (none).", "regret: none."]


def test_the_family_says_what_a_submission_holds() -> None:
    assert {name: f.payload for name, f in BOARD_FAMILIES.items()} == {
        STACKELBERG: "table",
        AMA: "params",
    }
    assert set(table_submission(MSG, [0, 1, 2], method="identity")) >= {"table"}


def test_the_two_submission_builders_are_one_path() -> None:
    meta = {"method": "m", "authors": ["a"], "training_seeds": [1], "steps": 5, "links": ["l"]}
    table = table_submission(MSG, np.array([0, 1, 2]), **meta)
    assert table == submission_data(MSG, {"table": [0, 1, 2]}, **meta)
    vcg = AMAParams.vcg(make_domain("SequentialSales").mdp)
    params = params_submission(SALES, vcg, **meta)
    assert params == submission_data(SALES, {"params": vcg.to_dict()}, **meta)
    assert params == params_submission(SALES, vcg.to_dict(), **meta)


def test_board_columns_are_declared_once_as_header_and_cell() -> None:
    record = {
        "method": "m",
        "score": 0.5,
        "score_se": 0.0,
        "regret": 0.0,
        "optimality_gap": None,
        "training": {"steps": 1200},
        "authors": [],
        "timestamp": "2026-01-02T03:04:05",
        "submission_sha256": "ab" * 32,
        "evaluator": {"seeds": list(range(1000, 1100))},
        "evaluation": {"seeds_in_equilibrium": 97, "seeds_optimal": None},
    }
    (row,) = board_rows([record])
    assert [header for header, _ in COLUMNS] == HEADER
    cells = dict(zip(HEADER, row, strict=True))
    assert cells["#"] == "1" and cells["score"] == "0.5000" and cells["gap to optimum"] == "–"
    assert cells["training steps"] == "1,200" and cells["date"] == "2026-01-02"
    assert cells["seeds optimal / in equilibrium"] == "? / 97 of 100"


def test_the_metric_name_comes_from_the_board() -> None:
    assert find_board(MSG, {}).metric_label == "leader value"
    mspm = find_board("econ_envs/MSPM-v0", {})
    assert (mspm.metric, mspm.metric_label) == ("leader value", "negative welfare loss")
    assert find_board("econ_envs/MSPM-Revenue-v0", {}).metric_label == "revenue"
    sales = find_board(SALES, {})
    assert (sales.metric, sales.metric_label) == ("revenue", "revenue")
    assert find_board("econ_envs/TaskScheduling-v0", {}).metric_label == "makespan"


def test_no_leaderboard_module_branches_on_a_family_name() -> None:
    """No module names a family (the AMA optimizers' seed source, which selects the AMA boards,
    is the baselines': ``baselines/bilevel/boards.py``)."""
    named = {}
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text())
        compared = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Compare)
            and any(
                isinstance(n, ast.Name) and n.id in ("STACKELBERG", "AMA") for n in ast.walk(node)
            )
        ]
        if compared:
            named[path.relative_to(ROOT).as_posix()] = len(compared)
    assert named == {}
