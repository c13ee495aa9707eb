"""The bilevel baselines: the soft planner (limit and gradients), the three optimizers, the
runner's reproducibility and the command line."""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest
import torch

from baselines.bilevel.methods import FirstOrderConfig, GridConfig, ZerothOrderConfig
from baselines.bilevel.problem import BilevelProblem
from baselines.bilevel.runner import load_params, optimize
from baselines.bilevel.soft_planner import SoftPlanner, last_round_histories
from baselines.cli import main
from econ_envs.ama import AMAParams, evaluate, make_domain, run_mechanism
from tests.bounds import allocates_at_most

CASES = [
    ("SequentialSales", {"n_agents": 3, "n_items": 2}),
    ("TaskScheduling", {"n_agents": 3, "n_tasks": 3, "makespan_rule": "curry2024"}),
    ("GridworldAMA", {"n_agents": 2, "size": 3}),
]


def _random_setting(domain, seed):
    rng = np.random.default_rng(seed)
    mdp = domain.mdp
    weights = rng.uniform(0.5, 1.5, mdp.n_agents)
    boosts = rng.normal(0.0, 0.3, (mdp.n_states, mdp.n_actions))
    return domain.sample_types(rng, 6), weights, boosts


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_items": 10**9}, "n_items=1000000000 implies more than 1e+308"),
        ({"n_validation": 10**9}, "n_validation=1000000000 implies 19,000,000,000"),
        ({"eval_profiles": 1}, "eval_profiles must be an integer >= 2, got 1"),
    ],
)
def test_the_optimizer_refuses_bad_sizes_before_optimizing(kwargs, message):
    with allocates_at_most(), pytest.raises(ValueError, match=re.escape(message)):
        optimize("econ_envs/SequentialSales-v0", "grid", progress=False, **kwargs)


@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_the_soft_planner_tends_to_the_exact_planner_as_the_temperature_falls(name, kwargs):
    domain = make_domain(name, **kwargs)
    types, weights, boosts = _random_setting(domain, 1)
    exact = run_mechanism(domain.mdp, AMAParams(weights, boosts), types)
    errors = []
    for temperature in (0.3, 0.03, 0.003, 0.0001):
        soft = SoftPlanner(domain.mdp, temperature)(
            types, torch.tensor(weights), torch.tensor(boosts)
        )
        revenue = soft.payments(torch.tensor(weights)).sum(dim=1).numpy()
        errors.append(
            max(
                np.abs(soft.asw.numpy() - exact.plan.asw).max(),
                np.abs(soft.asw_without.numpy() - exact.plan.asw_without).max(),
                np.abs(soft.rewards.numpy() - exact.plan.rewards).max(),
                np.abs(revenue - exact.revenue).max(),
            )
        )
    assert errors[0] > errors[-1]
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(errors))
    assert errors[-1] < 1e-8


def test_soft_history_probabilities_concentrate_on_the_exact_path():
    domain = make_domain(*CASES[1][:1], **CASES[1][1])
    types, weights, boosts = _random_setting(domain, 2)
    exact = run_mechanism(domain.mdp, AMAParams(weights, boosts), types)
    soft = SoftPlanner(domain.mdp, 1e-4)(types, torch.tensor(weights), torch.tensor(boosts))
    histories = last_round_histories(domain.mdp)
    np.testing.assert_allclose(soft.last_flow.sum(dim=1).numpy(), 1.0)
    chosen = histories[soft.last_flow.argmax(dim=1).numpy()]
    np.testing.assert_array_equal(chosen, exact.plan.path_actions)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("SequentialSales", {"n_agents": 2, "n_items": 2}),
        ("TaskScheduling", {"n_agents": 2, "n_tasks": 2}),
    ],
)
def test_the_soft_objective_gradient_matches_finite_differences(name, kwargs):
    problem = BilevelProblem(make_domain(name, **kwargs), optimize_weights=True)
    types = problem.sample_types(np.random.default_rng(0), 5)
    planner = SoftPlanner(problem.domain.mdp, 0.1)
    x = torch.tensor(np.random.default_rng(1).normal(0, 0.2, problem.dim), requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda v: problem.soft_score(v, types, planner), (x,), eps=1e-6, atol=1e-6
    )


@pytest.mark.parametrize(
    ("method", "config"),
    [
        ("grid", GridConfig(n_points=256, n_profiles=200)),
        ("zeroth-order", ZerothOrderConfig(steps=60)),
        ("first-order", FirstOrderConfig(steps=100)),
    ],
)
def test_every_method_finds_most_of_the_reserve_revenue_where_vcg_earns_nothing(method, config):
    result = optimize(
        "econ_envs/SequentialSales-v0",
        method,
        config=config,
        n_agents=2,
        n_items=2,
        eval_profiles=2000,
        progress=False,
    )
    evaluation = result.evaluation
    assert evaluation["vcg_objective"] == pytest.approx(0.0, abs=1e-12)
    assert evaluation["objective"] > 0.4  # the optimum, a reserve of 1/2, earns 1/2
    assert evaluation["objective"] < 0.5 + 3 * evaluation["objective_se"]


def test_runs_are_reproducible_and_multi_start_keeps_the_best_validation_score():
    kwargs = {
        "config": ZerothOrderConfig(steps=10),
        "n_agents": 2,
        "n_items": 2,
        "eval_profiles": 500,
        "progress": False,
        "n_starts": 3,
        "seed": 5,
    }
    first = optimize("SequentialSales", "zeroth-order", **kwargs)
    second = optimize("SequentialSales", "zeroth-order", **kwargs)
    assert first.params == second.params and first.evaluation == second.evaluation
    assert len(first.validation_scores) == 3
    assert first.best_start == int(np.argmax(first.validation_scores))


def test_the_cli_writes_a_result_whose_parameters_reevaluate_to_the_same_score(tmp_path):
    output = tmp_path / "result.json"
    status = main(
        [
            "bilevel",
            "--env",
            "econ_envs/TaskScheduling-v0",
            "--n-agents",
            "2",
            "--n-tasks",
            "3",
            "--makespan-rule",
            "curry2024",
            "--method",
            "zeroth-order",
            "--steps",
            "5",
            "--eval-profiles",
            "300",
            "--no-track",
            "--no-progress",
            "--output",
            str(output),
        ]
    )
    assert status == 0
    stored = json.loads(output.read_text())
    assert stored["method_config"]["steps"] == 5
    again = evaluate(
        "econ_envs/TaskScheduling-v0",
        load_params(output),
        n_profiles=300,
        n_agents=2,
        n_tasks=3,
        makespan_rule="curry2024",
    )
    assert again.objective == stored["evaluation"]["objective"]
    with pytest.raises(ValueError, match=r"method must be one of .*first-order.*zeroth-order"):
        optimize("SequentialSales", "annealing")


def test_the_cli_logs_one_offline_wandb_run_per_optimization(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WANDB_MODE", "offline")
    monkeypatch.setenv("WANDB_SILENT", "true")
    status = main(
        [
            "bilevel",
            "--env",
            "econ_envs/SequentialSales-v0",
            "--n-agents",
            "2",
            "--n-items",
            "1",
            "--method",
            "grid",
            "--n-points",
            "8",
            "--eval-profiles",
            "100",
            "--no-progress",
        ]
    )
    assert status == 0
    assert len(list((tmp_path / "runs" / "wandb").glob("offline-run-*"))) == 1
    assert len(list((tmp_path / "runs" / "bilevel").glob("*.json"))) == 1
