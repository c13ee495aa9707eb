"""Boards measure generalization: the official follower seeds are held apart from the seeds
training selects on, a table optimal on the training seeds is not ranked optimal where it fails
on the official ones, and records scored under the old protocol are re-scored, not mixed in."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from baselines.mappo.config import TrainConfig
from econ_envs import (
    CHECK_SEEDS,
    OFFICIAL_SEEDS,
    TRAINING_SEEDS,
    evaluate_table_seeds,
    optimal_mspm_table,
)
from leaderboards import boards, find_board, load_records, submit, table_submission
from leaderboards.cli import main
from leaderboards.records import RecordWarning
from leaderboards.reevaluate import reevaluate

MSPM = "econ_envs/MSPM-v0"


def test_the_three_seed_sets_are_disjoint_and_each_is_where_it_belongs() -> None:
    sets = [set(TRAINING_SEEDS), set(CHECK_SEEDS), set(OFFICIAL_SEEDS)]
    assert sum(map(len, sets)) == len(set.union(*sets)) == 30 + 50 + 100
    config = TrainConfig(progress=False, track=False)
    assert config.eval_seeds == TRAINING_SEEDS and config.check_seeds == CHECK_SEEDS
    stackelberg = [board for board in boards() if board.family == "stackelberg"]
    assert stackelberg and all(board.seeds == OFFICIAL_SEEDS for board in stackelberg)
    with pytest.raises(ValueError, match=r"check_seeds must be held out: they share seeds \[5\]"):
        TrainConfig(eval_seeds=(5,), check_seeds=(5, 6))


def test_a_table_optimal_on_the_training_seeds_is_not_ranked_optimal_where_it_fails(
    tmp_path: Path,
) -> None:
    """Brero et al.'s MSPM table: optimal and in equilibrium on each training seed 0..29, while on
    3 of the 100 official seeds the followers end out of equilibrium."""
    table = optimal_mspm_table(3)
    on_training = evaluate_table_seeds(MSPM, table, seeds=TRAINING_SEEDS)
    assert all(r.value == pytest.approx(0.0, abs=1e-9) and r.regret <= 1e-9 for r in on_training)
    tuned = table_submission(MSPM, table, method="optimal on the training seeds")
    record = submit(tuned, results_dir=tmp_path, wandb_dir=None).record
    assert record["evaluation"]["seeds_optimal"] == 97
    assert record["optimality_gap"] > 0.001 and record["regret"] > 0.1
    (listed,) = load_records(find_board(MSPM, {}), tmp_path)
    assert listed["evaluation"]["seeds_in_equilibrium"] == 97


def test_a_record_of_the_old_protocol_is_skipped_until_reevaluated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = np.asarray(optimal_mspm_table(3))
    result = submit(table_submission(MSPM, table, method="m"), results_dir=tmp_path, wandb_dir=None)
    old = json.loads(result.path.read_text())
    old["evaluator"] |= {"version": "1.0", "seeds": list(range(10))}
    old["score"], old["optimality_gap"], old["regret"] = 0.0, 0.0, 0.0  # as 1.0 scored it
    result.path.write_text(json.dumps(old))
    board = find_board(MSPM, {})
    with pytest.warns(RecordWarning, match="scored by evaluator version 1.0, not 2.0"):
        assert load_records(board, tmp_path) == []
    assert main(["--results", str(tmp_path), "reevaluate"]) == 0
    out = capsys.readouterr().out
    assert "0.0000 -> -0.0017" in out and "scored 1 records again" in out
    (listed,) = load_records(board, tmp_path)
    assert listed["timestamp"] == old["timestamp"] and listed["evaluator"]["version"] == "2.0"
    assert not result.path.exists()
    assert reevaluate(tmp_path) == []  # nothing stale is left
