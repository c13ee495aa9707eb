"""Boards derived from the registry; rendering, the terminal view, seeding and the W&B run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from econ_envs.ama import AMAParams, make_domain
from econ_envs.registry import ENTRIES, STACKELBERG
from leaderboards import boards, find_board, select, submit, table_submission
from leaderboards.cli import main
from leaderboards.render import render
from leaderboards.seed import (
    bilevel_submissions,
    file_submissions,
    mappo_submissions,
    reference_submissions,
    seed_boards,
)
from leaderboards.wandb_log import PROJECT
from tests.wandb_files import offline_records, wandb_written

MSG = "econ_envs/MessageAllocation-v0"


def test_every_registered_id_has_a_board_as_registered() -> None:
    keys = [b.key for b in boards()]
    assert len(keys) == len(set(keys))
    for registered in ENTRIES:
        board = find_board(registered.id, {})
        assert board.family == registered.family
        assert board.higher_is_better == (board.metric != "makespan")
        assert board.seeds and board.protocol
    assert find_board(MSG, {}).optimal_value == 1.0
    assert select("MSPM-v0")[1].key == "MSPM-v0/n_types-4"
    with pytest.raises(ValueError, match="no board matches"):
        select("Nope-v0")


def test_explicit_default_keywords_find_the_same_board() -> None:
    assert find_board(MSG, {"n_messages": 3, "dynamics": "mw"}) is find_board(MSG, {})
    spelled_out = {"n_types": 4, "n_messages": 2, "objective": "welfare_loss", "max_price": 1.0}
    assert find_board("econ_envs/MSPM-v0", spelled_out).key == "MSPM-v0/n_types-4"
    with pytest.raises(ValueError, match="is not a board of"):
        find_board(MSG, {"n_messages": 2, "dynamics": "best_response"})
    with pytest.raises(ValueError, match="is not a board of"):
        find_board(MSG, {"no_such_keyword": 1})


#: the reference tables that are not optimal on every official seed: (board, seeds optimal, seeds
#: in equilibrium). Brero et al.'s MSPM optimum is optimal on every training seed 0..29, but on 3
#: of the 100 official seeds the followers' dynamics end out of equilibrium; the mixed Maintain
#: entry is a near-optimal mix, 0.0033 short of the optimum on every seed
NOT_OPTIMAL_EVERYWHERE = {
    "MSPM-v0/default": (97, 97),
    "Maintain-v0/mixed-true": (0, 100),
}


def test_reference_tables_reach_the_known_optimum(tmp_path: Path) -> None:
    done = seed_boards(reference_submissions(), results_dir=tmp_path, wandb_dir=None)
    for result in done:
        record = result.record
        board = find_board(record["env_id"], record["env_kwargs"])
        assert board.family == STACKELBERG
        assert record["optimality_gap"] == pytest.approx(0.0, abs=0.01)
        counts = (
            record["evaluation"]["seeds_optimal"],
            record["evaluation"]["seeds_in_equilibrium"],
        )
        assert counts == NOT_OPTIMAL_EVERYWHERE.get(record["board"], (100, 100))
        assert (record["regret"] == 0.0) == (counts[1] == 100)
    assert not seed_boards(reference_submissions(), results_dir=tmp_path, wandb_dir=None)


def test_render_writes_markdown_and_png(tmp_path: Path) -> None:
    submit(
        table_submission(MSG, [0, 1, 2], method="identity", curve=[(0, 0.3), (100, 1.0)]),
        results_dir=tmp_path / "results",
        wandb_dir=None,
    )
    paths = render(tmp_path / "results", tmp_path / "out")
    readme = (tmp_path / "out" / "README.md").read_text()
    assert "### MessageAllocation-v0/default" in readme and "| 1 | identity | 1.0000 |" in readme
    assert "No submissions yet." in readme  # every other board
    pngs = [p for p in paths if p.suffix == ".png"]
    assert {p.name for p in pngs} == {
        "MessageAllocation-v0__default.png",
        "MessageAllocation-v0__default__curves.png",
    }
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


def test_cli_submit_then_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(table_submission(MSG, [0, 1, 2], method="file name")))
    results = str(tmp_path / "results")
    args = ["--results", results, "submit", "--env", MSG, "--file", str(policy)]
    assert main([*args, "--method", "cli-run", "--no-track"]) == 0
    assert "rank 1 of 1" in capsys.readouterr().out
    assert main(["--results", results, "show", MSG]) == 0
    out = capsys.readouterr().out
    assert "cli-run" in out and "1.0000" in out
    assert main(["--results", results, "validate", str(policy)]) == 0


def test_wandb_offline_run_holds_the_score(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_SILENT", "true")
    result = submit(
        table_submission(MSG, [0, 1, 2], method="wandb"),
        results_dir=tmp_path / "results",
        wandb_dir=tmp_path,
    )
    run = result.wandb_run
    assert run is not None and run.parent == tmp_path / "wandb" and run.name.startswith("offline-")
    path = next(run.glob("run-*.wandb"))
    wandb_written()  # the W&B service may still be writing the run file
    assert any(r.WhichOneof("record_type") == "exit" for r in offline_records(path))
    summary, project, tables = {}, None, 0
    for record in offline_records(path):
        kind = record.WhichOneof("record_type")
        if kind == "run":
            project = record.run.project
        if kind == "summary":
            summary.update(
                {item.key: json.loads(item.value_json) for item in record.summary.update}
            )
        if kind == "history":
            keys = {item.key or item.nested_key[0] for item in record.history.item}
            tables += "evaluation" in keys
    assert project == PROJECT
    assert summary["score"] == 1.0 and summary["method"] == "wandb"
    assert summary["board"] == "MessageAllocation-v0/default"
    assert tables == 1 and list((run / "files" / "media" / "table").glob("evaluation_*.json"))


def test_baseline_result_files_are_seeded_and_their_scores_ignored(tmp_path: Path) -> None:
    mdp = make_domain("SequentialSales").mdp
    bilevel = {
        "env": "econ_envs/SequentialSales-v0",
        "domain_config": {"domain": "SequentialSales", "n_agents": 3, "n_items": 2},
        "method": "zeroth-order",
        "method_config": {"steps": 7},
        "seed": 1,
        "params": AMAParams.vcg(mdp).to_dict(),
        "evaluation": {"objective": 99.0},
        "wall_clock_s": 2.0,
    }
    mappo = {
        "env_id": MSG,
        "env_kwargs": {},
        "method": "mappo",
        "training_seed": 3,
        "training_steps": 5000,
        "wall_clock_s": 4.0,
        "table": [0, 1, 2],
        "score": {"value": 99.0},
    }
    (tmp_path / "bilevel.json").write_text(json.dumps(bilevel))
    (tmp_path / "run0").mkdir()
    (tmp_path / "run0" / "policy_table.json").write_text(json.dumps(mappo))
    found = list(file_submissions([tmp_path], "**/policy_table.json"))
    submissions = [*bilevel_submissions([tmp_path / "bilevel.json"]), *mappo_submissions(found)]
    done = seed_boards(submissions, results_dir=tmp_path / "results", wandb_dir=None)
    ama, table = (result.record for result in done)
    assert ama["method"] == "bilevel zeroth-order" and ama["score"] == pytest.approx(0.5, abs=0.01)
    assert ama["training"] == {"seeds": [1], "steps": 7, "wall_clock_s": 2.0}
    assert table["method"] == "mappo" and table["score"] == 1.0
    assert table["training"] == {"seeds": [3], "steps": 5000, "wall_clock_s": 4.0}
