"""The public AMA API: parameters (validation, flat and JSON forms), domains and evaluate()."""

from __future__ import annotations

import json

import numpy as np
import pytest

from econ_envs.ama import AMAParams, evaluate, make_domain


def test_params_round_trip_through_flat_vectors_and_json():
    mdp = make_domain("SequentialSales", n_agents=3, n_items=2).mdp
    rng = np.random.default_rng(0)
    params = AMAParams(rng.uniform(0.5, 2, 3), rng.normal(size=(mdp.n_states, mdp.n_actions)))
    again = AMAParams.from_dict(json.loads(json.dumps(params.to_dict())))
    np.testing.assert_array_equal(again.weights, params.weights)
    np.testing.assert_array_equal(again.boosts, params.boosts)
    flat = params.to_flat()
    assert flat.shape == (mdp.n_states * mdp.n_actions + 3,)
    np.testing.assert_array_equal(AMAParams.from_flat(flat, mdp).boosts, params.boosts)
    with pytest.raises(ValueError, match="read-only"):
        params.weights[0] = 5.0


@pytest.mark.parametrize(
    ("weights", "boosts", "match"),
    [
        ([1.0, 0.0, 1.0], None, "weights must be .* positive"),
        ([1.0, -2.0, 1.0], None, "weights must be .* positive"),
        ([1.0, np.nan, 1.0], None, "weights must be finite"),
        ([1.0, 1.0, 1.0], np.full((5, 4), np.nan), "boosts must be finite"),
        ([1.0, 1.0], None, r"weights must have shape \(3,\)"),
        ([1.0, 1.0, 1.0], np.zeros((4, 3)), r"boosts must have shape \(5, 4\)"),
        ([1.0, 1.0, 1.0], np.zeros(20), "boosts must be a 2-d"),
    ],
)
def test_bad_parameters_raise_value_errors_naming_the_parameter(weights, boosts, match):
    boosts = np.zeros((5, 4)) if boosts is None else boosts
    with pytest.raises(ValueError, match=match):
        evaluate("SequentialSales", AMAParams(weights, boosts), n_agents=3, n_items=2)


@pytest.mark.parametrize(
    ("domain", "kwargs", "match"),
    [
        ("SequentialSales", {"distribution": "normal"}, "distribution must be one of .*uniform"),
        ("TaskScheduling", {"distribution": "exp"}, "distribution must be one of .*asymmetric"),
        ("TaskScheduling", {"makespan_rule": "fifo"}, "makespan_rule must be one of .*curry2024"),
        ("TaskScheduling", {"n_agents": 1}, "n_agents must be >= 2"),
        ("GridworldAMA", {"gamma": 1.0}, "gamma"),
        ("SequentialSales", {"n_items": 0}, "n_items must be an integer >= 1"),
        ("SequentialSales", {"n_tasks": 3}, "unknown keyword"),
        ("Auction", {}, "domain must be one of .*GridworldAMA.*SequentialSales"),
    ],
)
def test_bad_domain_keywords_raise_value_errors_listing_the_allowed_values(domain, kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_domain(domain, **kwargs)


def test_evaluate_is_reproducible_and_accepts_ids_or_domain_names():
    by_id = evaluate("econ_envs/TaskScheduling-v0", None, n_profiles=500, seed=3, n_tasks=3)
    by_name = evaluate("TaskScheduling", None, n_profiles=500, seed=3, n_tasks=3)
    assert by_id == by_name
    other_seed = evaluate("TaskScheduling", None, n_profiles=500, seed=4, n_tasks=3)
    assert other_seed.objective != by_id.objective
    assert by_id.objective_name == "makespan" and not by_id.higher_is_better
    assert by_id.n_profiles == 500 and by_id.seed == 3
    with pytest.raises(ValueError, match="n_profiles"):
        evaluate("TaskScheduling", None, n_profiles=0)
    with pytest.raises(ValueError, match="not an AMA"):
        evaluate("econ_envs/Escape-v0", None)


def test_asymmetric_sales_draw_agent_i_values_below_one_over_i():
    domain = make_domain("SequentialSales", n_agents=3, distribution="asymmetric")
    types = domain.sample_types(np.random.default_rng(0), 10_000)[:, :, 0]
    np.testing.assert_allclose(types.max(axis=0), [1.0, 0.5, 1 / 3], atol=1e-3)
    assert not domain.symmetric
