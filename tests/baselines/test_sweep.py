"""Sweeps on Ray Tune: the sweep file's schema, and the shipped smoke sweep on a real local Ray
runtime (2 CPUs, no mocks): results scored by the exact evaluator, the summary, a trial retried
from its checkpoint, a resumed sweep that runs nothing, and ``--submit best``.

The Ray tests are skipped with a reason when the ``distributed`` extra is not installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from baselines.cli import main
from baselines.sweep.file import load_sweep
from baselines.sweep.layout import (
    RESULT_NAME,
    SUMMARY_JSON,
    SUMMARY_MD,
    SWEEP_FILE,
    result_path,
    trial_dir,
)
from baselines.sweep.schema import SweepConfig, SweepError, parse_sweep
from econ_envs.policy_table import evaluate_table_seeds
from tests import ROOT

SWEEPS = ROOT / "sweeps"
MESSAGE = "econ_envs/MessageAllocation-v0"
#: the smoke trial that raises once, right after its first checkpoint reached Tune
FLAKY = "message-3__mappo__v0__s1"
FAILED_AT = "failed_once.json"


def _sweep(**fields: Any) -> dict[str, Any]:
    return {"name": "s", "settings": [{"env_id": MESSAGE}], "algorithms": ["mappo"], **fields}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_sweep(runs=0), "runs must be an integer >= 1, got 0"),
        (_sweep(seeds=3), "sweep: unknown field(s) ['seeds']"),
        ({"name": "s", "algorithms": ["mappo"]}, "settings: missing"),
        (_sweep(search="bayes"), "search must be one of 'grid', 'random', got 'bayes'"),
        (_sweep(algorithms=["sac"]), "algorithms must be one of"),
        (_sweep(algorithms=["mappo", "grid"]), "mix train and bilevel runs"),
        (_sweep(settings=[{"env_id": "econ_envs/Nope-v0"}]), "settings[0].env_id must be one of"),
        (
            _sweep(hyperparameters={"total_step": 5}),
            "hyperparameters (for mappo): unknown field(s) ['total_step']",
        ),
        (
            _sweep(hyperparameters={"learning_rate": "3e-4"}),
            "hyperparameters.learning_rate must be a number or null, got '3e-4' (YAML reads",
        ),
        (
            _sweep(hyperparameters={"clip": {"uniform": [0.1, 0.3]}}),
            "hyperparameters.clip: uniform needs search: random",
        ),
        (
            _sweep(search="random", hyperparameters={"clip": {"uniform": [0.3, 0.1]}}),
            "hyperparameters.clip.uniform: must be [low, high] with low < high",
        ),
        (
            _sweep(settings=[{"name": "m", "env_id": MESSAGE, "env_kwargs": {"n_messages": 0}}]),
            "settings.m with mappo: n_messages must be an integer >= 1, got 0",
        ),
        (
            _sweep(algorithms={"grid": {"n_points": 2.5}}, settings=[{"env_id": MESSAGE}]),
            "algorithms.grid.n_points must be an integer, got 2.5",
        ),
        (_sweep(samples=3), "samples: 3 draws need search: random"),
    ],
)
def test_malformed_sweep_is_rejected_naming_the_field(data: dict, message: str) -> None:
    with pytest.raises((ValueError, TypeError)) as error:
        parse_sweep(data)
    assert message in str(error.value)


def test_bad_sweep_file_exits_naming_the_file_and_field_before_ray_starts(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: bad\nsettings: [{env_id: econ_envs/MessageAllocation-v0}]\nalgorithms: [mappo]\n"
        "hyperparameters: {total_steps: 0}\n"
    )
    with pytest.raises(SweepError, match=r"bad\.yaml: settings\.MessageAllocation-v0 with mappo: "):
        load_sweep(path)
    code = (
        "import sys\nfrom baselines.cli import main\n"
        f"try:\n    main(['sweep', '--config', {str(path)!r}, '--sweeps-dir', {str(tmp_path)!r}])\n"
        "except SystemExit as e:\n    print(e.code)\nprint('ray' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines() == ["2", "False"]  # status 2, Ray never imported
    (message,) = out.stderr.strip().splitlines()  # one line, no traceback
    assert message.startswith(f"econ-baselines: error: {path}: settings.")
    assert "total_steps must be >= 1, got 0" in message
    assert not (tmp_path / "bad").exists()  # nothing written


def test_help_imports_neither_ray_nor_torch() -> None:
    code = (
        "import sys\nfrom baselines.cli import main\n"
        "for argv in (['--help'], ['sweep', '--help']):\n"
        "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
        "print('ray' in sys.modules, 'torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "--submit {best}" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "False False"


def test_shipped_sweep_files_describe_the_published_protocols() -> None:
    smoke = load_sweep(SWEEPS / "smoke.yaml")
    assert [t.name for t in smoke.trials()] == [
        "message-2__mappo__v0__s0",
        "message-2__mappo__v0__s1",
        "message-3__mappo__v0__s0",
        "message-3__mappo__v0__s1",
    ]
    mspm = load_sweep(SWEEPS / "mspm_published.yaml")
    assert [(s.env_kwargs["n_types"], s.env_kwargs["n_messages"]) for s in mspm.settings] == [
        (3, 2),
        (4, 2),
        (5, 2),
        (5, 3),
    ]
    trials = mspm.trials()
    assert len(trials) == 4 * 25 * 10
    assert sorted({t.seed for t in trials}) == list(range(250))
    assert {(t.run, t.restart) for t in trials} == {(r, k) for r in range(25) for k in range(10)}
    ama = load_sweep(SWEEPS / "ama_tables.yaml")
    assert ama.kind == "bilevel"
    assert sorted(ama.algorithms) == ["first-order", "grid", "zeroth-order"]
    assert len(ama.trials()) == (8 + 4) * 3


def test_random_search_draws_once_per_variant_for_every_run() -> None:
    data = _sweep(
        search="random",
        samples=3,
        runs=2,
        hyperparameters={
            "total_steps": 1000,
            "learning_rate": {"loguniform": [0.0001, 0.01]},
            "update_epochs": {"grid": [1, 2]},
            "clip": {"choice": [0.1, 0.2]},
        },
    )
    trials = parse_sweep(data).trials()
    assert len(trials) == 2 * 3 * 2  # grid points x samples x runs
    assert parse_sweep(data).trials() == trials  # reproducible from the sweep's seed
    by_variant: dict[int, list[dict]] = {}
    for trial in trials:
        by_variant.setdefault(trial.variant, []).append(trial.varied)
    assert len(by_variant) == 6
    for runs in by_variant.values():
        assert runs[0] == runs[1]  # every run of a row shares its draw
        assert 1e-4 <= runs[0]["learning_rate"] <= 1e-2
        assert runs[0]["clip"] in (0.1, 0.2)
    assert len({v[0]["learning_rate"] for v in by_variant.values()}) == 6


# ---------------------------------------------------------------------------------------------
# the smoke sweep on a real local Ray runtime


def _fails_once(config: dict[str, Any]) -> None:
    """The sweep's trial, except that :data:`FLAKY` raises once after its first checkpoint."""
    from baselines.sweep.trial import run_trial

    marker = Path(config["sweep_dir"]) / FAILED_AT

    def fail(global_step: int) -> None:
        if not marker.exists():
            marker.write_text(json.dumps(global_step))
            raise RuntimeError("injected failure")

    run_trial(config, on_checkpoint=fail if config["trial"]["name"] == FLAKY else None)


@dataclass
class Smoke:
    config: SweepConfig
    sweep_dir: Path
    rows: list
    lines: list[str]
    ray: Any


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Smoke]:
    ray = pytest.importorskip(
        "ray", reason='sweeps need Ray Tune: pip install "econ-envs-baselines[distributed]"'
    )
    from ray import cloudpickle

    from baselines.sweep.runner import run_sweep

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    config = load_sweep(SWEEPS / "smoke.yaml")
    sweep_dir = tmp_path_factory.mktemp("sweeps") / config.name
    sweep_dir.mkdir()
    shutil.copyfile(SWEEPS / "smoke.yaml", sweep_dir / SWEEP_FILE)  # as the command line does
    ray.init(num_cpus=2, log_to_driver=False, include_dashboard=False, logging_level="WARNING")
    try:
        lines: list[str] = []
        rows = run_sweep(config, sweep_dir, trainable=_fails_once, out=lines.append)
        yield Smoke(config, sweep_dir, rows, lines, ray)
    finally:
        ray.shutdown()


@pytest.mark.slow
def test_every_trial_result_is_the_exact_score_of_its_policy_table(smoke: Smoke) -> None:
    for trial in smoke.config.trials():
        result = json.loads(result_path(smoke.sweep_dir, trial.name).read_text())
        table = json.loads(
            (trial_dir(smoke.sweep_dir, trial.name) / result["policy_file"]).read_text()
        )
        exact = evaluate_table_seeds(
            trial.env_id,
            np.asarray(table["table"]),
            seeds=table["score"]["evaluator_seeds"],
            **table["env_kwargs"],
        )
        assert result["score"] == np.mean([r.value for r in exact])
        assert result["regret"] == max(r.regret for r in exact)
        assert (result["seed"], result["env_kwargs"]) == (trial.seed, trial.env_kwargs)
        assert table["env_kwargs"]["n_messages"] == trial.env_kwargs["n_messages"]
        assert table["training_seed"] == trial.seed
        assert result["env_steps"] == table["training_steps"] > 0
        assert (trial_dir(smoke.sweep_dir, trial.name) / "wandb").is_dir()


@pytest.mark.slow
def test_summary_counts_every_trial_per_setting(smoke: Smoke) -> None:
    results = {
        t.name: json.loads(result_path(smoke.sweep_dir, t.name).read_text())
        for t in smoke.config.trials()
    }
    assert [(row.setting, row.runs, row.failed) for row in smoke.rows] == [
        ("message-2", 2, 0),
        ("message-3", 2, 0),
    ]
    for row in smoke.rows:
        mine = [r for r in results.values() if r["setting"] == row.setting]
        assert row.successes == sum(r["solved"] for r in mine)
        assert row.mean == pytest.approx(np.mean([r["score"] for r in mine]), abs=1e-15)
        assert row.best == max(r["score"] for r in mine)
        assert row.env_steps == sum(r["env_steps"] for r in mine)
    document = json.loads((smoke.sweep_dir / SUMMARY_JSON).read_text())
    assert document["trials"] == 4
    assert [r["runs"] for r in document["rows"]] == [2, 2]
    markdown = (smoke.sweep_dir / SUMMARY_MD).read_text()
    assert "| message-2 / mappo | " in markdown and "| message-3 / mappo | " in markdown
    finished = [line for line in smoke.lines if line.startswith("[") and ": score " in line]
    assert len(finished) == 4
    assert finished[-1].startswith("[4/4 done, 0 running, 0 failed] ")


@pytest.mark.slow
def test_a_failed_trial_is_retried_from_its_last_checkpoint(smoke: Smoke) -> None:
    failed_at = json.loads((smoke.sweep_dir / FAILED_AT).read_text())
    assert failed_at > 0
    for trial in smoke.config.trials():
        result = json.loads(result_path(smoke.sweep_dir, trial.name).read_text())
        assert result["resumed_from_step"] == (failed_at if trial.name == FLAKY else 0)
    assert any(
        f"{FLAKY}: failed (1 of 2 retries), retrying from its last checkpoint" in line
        for line in smoke.lines
    )


@pytest.mark.slow
def test_resuming_a_finished_sweep_runs_nothing_new(smoke: Smoke) -> None:
    from baselines.sweep.runner import run_sweep

    trials = smoke.config.trials()
    before = {t.name: result_path(smoke.sweep_dir, t.name).stat().st_mtime_ns for t in trials}
    lines: list[str] = []
    rows = run_sweep(
        smoke.config, smoke.sweep_dir, resume=True, trainable=_fails_once, out=lines.append
    )
    assert not any(": score " in line or "retrying" in line for line in lines)
    assert rows == smoke.rows
    after = {t.name: result_path(smoke.sweep_dir, t.name).stat().st_mtime_ns for t in trials}
    assert after == before
    assert len(list(smoke.sweep_dir.glob(f"trials/*/{RESULT_NAME}"))) == 4


def test_resume_needs_a_sweep_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["sweep", "--resume", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "econ-baselines: error: --resume: no sweep.yaml in " in capsys.readouterr().err


@pytest.mark.slow
def test_submit_best_sends_each_settings_best_table_to_the_board(
    smoke: Smoke, tmp_path: Path
) -> None:
    from baselines.sweep.submit import submit_best

    lines: list[str] = []
    records = submit_best(smoke.sweep_dir, smoke.rows, results_dir=tmp_path, out=lines.append)
    assert [r["board"] for r in records] == [
        "MessageAllocation-v0/n_messages-2",
        "MessageAllocation-v0/default",
    ]
    for row, record in zip(smoke.rows, records, strict=True):
        best = json.loads(result_path(smoke.sweep_dir, row.best_trial).read_text())
        assert record["score"] == pytest.approx(best["score"], abs=1e-12)
        assert best["score"] == row.best
    assert len(list(tmp_path.rglob("*.json"))) == 2
