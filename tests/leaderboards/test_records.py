"""Result records: content, determinism, atomic concurrent writes, ranking, and the AMA boards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econ_envs.ama import AMAParams, make_domain
from leaderboards import (
    find_board,
    load_records,
    params_submission,
    submit,
    table_submission,
    write_record,
)
from leaderboards.records import read_record
from tests import ROOT

MSG = "econ_envs/MessageAllocation-v0"
RECORD_FIELDS = {
    "env_id",
    "env_spec",
    "score",
    "regret",
    "optimality_gap",
    "evaluator",
    "method",
    "training",
    "package_version",
    "git_commit",
    "timestamp",
    "submission_sha256",
    "record_version",
}


def optimal() -> dict:
    return table_submission(
        MSG, [0, 1, 2], method="identity", training_seeds=[3, 4], steps=1234, wall_clock_s=5.0
    )


def test_known_optimal_table_scores_one_and_ranks_first(tmp_path: Path) -> None:
    for table, method in (([0, 0, 0], "constant"), ([2, 2, 2], "last"), ([0, 1, 1], "two")):
        submit(table_submission(MSG, table, method=method), results_dir=tmp_path, wandb_dir=None)
    result = submit(optimal(), results_dir=tmp_path, wandb_dir=None)
    record = result.record
    assert record["score"] == 1.0 and record["regret"] == 0.0 and record["optimality_gap"] == 0.0
    ranked = load_records(find_board(MSG, {}), tmp_path)
    assert ranked[0]["method"] == "identity"
    assert len(ranked) == 4


def test_record_holds_the_protocol_fields(tmp_path: Path) -> None:
    result = submit(optimal(), results_dir=tmp_path, wandb_dir=None)
    record = json.loads(result.path.read_text())
    assert set(record) >= RECORD_FIELDS
    assert record["env_id"] == MSG and record["env_spec"]["id"] == MSG
    assert record["env_spec"]["kwargs"]["game"] == "MessageAllocation"
    assert record["evaluator"]["seeds"] == list(range(1000, 1100))
    assert record["evaluator"]["version"] == "2.0"
    assert record["evaluation"]["seeds_optimal"] == record["evaluation"]["seeds_in_equilibrium"]
    assert record["evaluation"]["seeds_optimal"] == 100
    assert record["training"] == {"seeds": [3, 4], "steps": 1234, "wall_clock_s": 5.0}
    assert record["method"] == "identity" and record["package_version"]
    assert result.path.parent == tmp_path / "MessageAllocation-v0" / "default"


def test_same_submission_twice_gives_identical_records_but_the_timestamp(tmp_path: Path) -> None:
    first = submit(optimal(), results_dir=tmp_path, wandb_dir=None)
    second = submit(optimal(), results_dir=tmp_path, wandb_dir=None, force=True)
    assert first.path != second.path
    a, b = (json.loads(r.path.read_text()) for r in (first, second))
    assert a.pop("timestamp") != b.pop("timestamp")
    assert a == b


def test_concurrent_threads_leave_valid_records(tmp_path: Path) -> None:
    record = submit(optimal(), results_dir=tmp_path / "once", wandb_dir=None).record
    barrier = threading.Barrier(8)
    paths: list[Path] = []

    def write() -> None:
        barrier.wait()
        paths.append(write_record(record, tmp_path))

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(paths)) == 8
    folder = tmp_path / "MessageAllocation-v0" / "default"
    assert sorted(folder.iterdir()) == sorted(paths)  # no temporary file left behind
    assert all(read_record(path).record == record for path in paths)
    assert len(load_records(find_board(MSG, {}), tmp_path)) == 1  # one entry, listed once


def test_eight_concurrent_identical_submissions_record_one(tmp_path: Path) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(optimal()))
    root = ROOT
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "leaderboards.cli", "--results", str(tmp_path / "results")]
    command += ["submit", "--env", MSG, "--file", str(policy), "--no-track"]
    processes = [subprocess.Popen(command, cwd=root, env=env) for _ in range(8)]
    assert [p.wait(timeout=600) for p in processes] == [0] * 8  # a duplicate exits 0 too
    (path,) = (tmp_path / "results" / "MessageAllocation-v0" / "default").glob("*.json")
    assert read_record(path).record["score"] == 1.0
    assert len(load_records(find_board(MSG, {}), tmp_path / "results")) == 1


def test_a_corrupt_record_is_skipped_with_a_warning(tmp_path: Path) -> None:
    good = submit(optimal(), results_dir=tmp_path, wandb_dir=None)
    (good.path.parent / "broken.json").write_text('{"score": 2')
    with pytest.warns(UserWarning, match="not a valid result record"):
        records = load_records(find_board(MSG, {}), tmp_path)
    assert len(records) == 1


def test_vcg_on_sequential_sales_scores_one_half(tmp_path: Path) -> None:
    mdp = make_domain("SequentialSales", n_agents=3, n_items=2).mdp
    data = params_submission(
        "econ_envs/SequentialSales-v0",
        AMAParams.vcg(mdp),
        method="VCG",
        env_kwargs={"n_agents": 3, "n_items": 2},
    )
    record = submit(data, results_dir=tmp_path, wandb_dir=None).record
    assert record["board"] == "SequentialSales-v0/default"
    assert record["score"] == pytest.approx(0.50, abs=0.01)
    assert record["evaluation"]["vcg_objective"] == record["score"]
    assert record["regret"] == 0.0 and record["evaluator"]["n_profiles"] == 10_000


def test_ama_boards_rank_makespan_lower_first(tmp_path: Path) -> None:
    env = "econ_envs/TaskScheduling-v0"
    mdp = make_domain("TaskScheduling").mdp
    vcg = AMAParams.vcg(mdp)
    skewed = AMAParams(np.array([1.0, 3.0]), np.zeros_like(vcg.boosts))
    for params, method in ((vcg, "VCG"), (skewed, "skewed weights")):
        submit(params_submission(env, params, method=method), results_dir=tmp_path, wandb_dir=None)
    board = find_board(env, {})
    assert not board.higher_is_better
    ranked = load_records(board, tmp_path)
    assert ranked[0]["score"] <= ranked[1]["score"]


def test_ama_params_of_the_wrong_shape_are_rejected(tmp_path: Path) -> None:
    from leaderboards import SubmissionError

    data = params_submission(
        "econ_envs/SequentialSales-v0",
        AMAParams.vcg(make_domain("SequentialSales").mdp),
        method="v",
    )
    data["params"]["boosts"] = data["params"]["boosts"][:-1]
    with pytest.raises(SubmissionError, match="boosts"):
        submit(data, results_dir=tmp_path, wandb_dir=None)
    data["params"]["weights"] = [1.0, -1.0, 1.0]
    with pytest.raises(SubmissionError, match="positive"):
        submit(data, results_dir=tmp_path, wandb_dir=None)
    assert not any(tmp_path.iterdir())


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_any_valid_table_is_scored_deterministically_within_range(data: st.DataObject) -> None:
    from econ_envs.policy_table import game_of
    from leaderboards import evaluate_submission, load_submission

    env_id = data.draw(st.sampled_from([MSG, "econ_envs/MSPM-v0", "econ_envs/MatrixDesign-v0"]))
    spec = game_of(env_id).spec
    seed = data.draw(st.integers(0, 2**31 - 1))
    space = spec.action_space
    space.seed(seed)
    table = np.stack([space.sample() for _ in range(spec.n_observations)])
    submission = load_submission(table_submission(env_id, table, method="random"))
    first, second = evaluate_submission(submission), evaluate_submission(submission)
    assert first == second
    low, high = spec.leader_utility_range
    assert low - 1e-9 <= first.score <= high + 1e-9
