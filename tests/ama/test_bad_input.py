"""Bad input to the AMA family (issue 12): every keyword and step is checked, with an error that
names what is wrong, before anything large is allocated."""

from __future__ import annotations

import re

import gymnasium
import numpy as np
import pytest

import econ_envs  # noqa: F401  (registers the ids)
from econ_envs.adapters.reset_needed import ResetNeeded
from econ_envs.ama import AMAParams, evaluate, make_domain, plan
from econ_envs.ama import planner as planner_module
from econ_envs.ama.designer_env import DesignerEnv
from econ_envs.ama.evaluation import resolve_domain, score_profiles
from econ_envs.ama.mdp import stage_bounds_of_tree, tree_size
from econ_envs.validation import MAX_ENTRIES
from tests.bounds import allocates_at_most

LIMIT = f"the limit is {MAX_ENTRIES:,}"
FEATURES = "reward-feature entries (agents x states x actions x type size)"


def _raises(error: type[Exception], message: str):
    return pytest.raises(error, match=re.escape(message))


# ---- sizes: refused before anything is built, naming the keywords, the size and the limit ----


@pytest.mark.parametrize(
    ("domain", "kwargs", "message"),
    [
        (
            "SequentialSales",
            {"n_items": 10**9},
            f"n_agents=3, n_items=1000000000 implies more than 1e+308 {FEATURES}; {LIMIT}",
        ),
        (
            "TaskScheduling",
            {"n_tasks": 10**400},
            f"n_agents=2, n_tasks={10**400} implies more than 1e+308 {FEATURES}; {LIMIT}",
        ),
        (
            "SequentialSales",
            {"n_agents": 3, "n_items": 13},
            f"n_agents=3, n_items=13 implies 268,435,452 {FEATURES}; {LIMIT}",
        ),
        (
            "TaskScheduling",
            {"n_tasks": 20},
            f"n_agents=2, n_tasks=20 implies 83,886,000 {FEATURES}; {LIMIT}",
        ),
        (
            "GridworldAMA",
            {"size": 54},
            f"n_agents=2, size=54 implies 68,024,448 {FEATURES}; {LIMIT}",
        ),
        (
            "GridworldAMA",
            {"gamma": 0.999},
            "gamma=0.999 implies 23,015 planned steps per path; the limit is 5,000",
        ),
    ],
)
def test_too_large_domains_are_refused_at_once_naming_keywords_size_and_limit(
    domain, kwargs, message
):
    with allocates_at_most(), _raises(ValueError, message):
        make_domain(domain, **kwargs)
    with allocates_at_most(), _raises(ValueError, message):  # the env and evaluator share it
        DesignerEnv(domain, **kwargs)
    with allocates_at_most(), _raises(ValueError, message):
        resolve_domain(f"econ_envs/{domain}-v0", **kwargs)


def test_sequential_sales_with_a_billion_items_is_refused_through_gym_make():
    with _raises(ValueError, "n_items=1000000000 implies more than 1e+308"):
        gymnasium.make("econ_envs/SequentialSales-v0", n_items=10**9)


@pytest.mark.parametrize(("n_actions", "horizon"), [(2, 1), (2, 5), (3, 4), (4, 3), (7, 2)])
def test_tree_size_counts_the_states_of_the_history_tree_without_building_it(n_actions, horizon):
    assert tree_size(n_actions, horizon) == stage_bounds_of_tree(n_actions, horizon)[-1]


def test_tree_size_is_infinite_beyond_the_float_range_and_exact_below():
    assert tree_size(4, 10**9) == float("inf")
    assert tree_size(2, 1000) == 2**1000 - 1


def test_the_largest_sizes_below_the_limit_are_accepted():
    # the size guard's arithmetic at the boundary (building these is allowed, but slow)
    n = 3
    entries = n * tree_size(n + 1, 12) * (n + 1)
    assert entries <= MAX_ENTRIES < n * tree_size(n + 1, 13) * (n + 1)
    assert make_domain("GridworldAMA", gamma=0.9954).config["gamma"] == 0.9954


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "n_samples",
            10**9,
            "n_samples=1000000000 implies 19,000,000,000 type, path and result entries",
        ),
        ("n_samples", 0, "n_samples must be an integer >= 1, got 0"),
        (
            "n_samples",
            10**400,
            f"n_samples={10**400} implies more than 1e+308 type, path and result",
        ),
    ],
)
def test_n_samples_is_an_integer_within_the_profile_guard(name, value, message):
    with _raises(ValueError, message):
        DesignerEnv("SequentialSales", **{name: value})


@pytest.mark.parametrize("value", ["20", 20.0, True, None])
def test_n_samples_of_the_wrong_type_is_a_type_error_naming_it(value):
    with _raises(TypeError, f"n_samples must be an integer >= 1, got {value!r}"):
        DesignerEnv("SequentialSales", n_samples=value)


# ---- numbers of the right kind ----


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"boost_bound": "2"}, TypeError, "boost_bound must be a real number, got '2'"),
        ({"boost_bound": True}, TypeError, "boost_bound must be a real number, got True"),
        ({"boost_bound": float("nan")}, ValueError, "boost_bound must be a finite number"),
        ({"boost_bound": 1e309}, ValueError, "boost_bound must be a finite number"),
        ({"boost_bound": 0}, ValueError, "boost_bound must be > 0 and at most 3.4028235e+38"),
        ({"weight_bounds": (1, 2, 3)}, TypeError, "weight_bounds must be a pair (low, high)"),
        ({"weight_bounds": 1.0}, TypeError, "weight_bounds must be a pair (low, high)"),
        ({"weight_bounds": ("0.1", 1)}, TypeError, "weight_bounds must be a real number"),
        ({"weight_bounds": (0.1, np.inf)}, ValueError, "weight_bounds must be a finite number"),
        ({"weight_bounds": (2.0, 1.0)}, ValueError, "weight_bounds must satisfy 0 < low < high"),
        ({"gamma": "0.9", "domain": "GridworldAMA"}, TypeError, "gamma must be a real number"),
        ({"gamma": True, "domain": "GridworldAMA"}, TypeError, "gamma must be a real number"),
        ({"gamma": np.nan, "domain": "GridworldAMA"}, ValueError, "gamma must be a finite"),
        ({"gamma": 1.0, "domain": "GridworldAMA"}, ValueError, "0 < gamma < 1, got 1.0"),
        ({"size": 1, "domain": "GridworldAMA"}, ValueError, "size must be an integer >= 2, got 1"),
        ({"n_agents": "3"}, TypeError, "n_agents must be an integer >= 1, got '3'"),
        ({"n_items": 2.0}, TypeError, "n_items must be an integer >= 1, got 2.0"),
        ({"domain": ["SequentialSales"]}, TypeError, "domain must be one of 'GridworldAMA'"),
        ({"distribution": 1}, TypeError, "distribution must be one of 'asymmetric', 'uniform'"),
    ],
)
def test_keywords_of_the_wrong_kind_or_range_are_refused_naming_them(kwargs, error, message):
    with _raises(error, message):
        DesignerEnv(**kwargs)


@pytest.mark.filterwarnings("ignore:.*not in the possible render_modes")
@pytest.mark.parametrize(
    ("render_mode", "error"), [(3, TypeError), (["ansi"], TypeError), ("human", ValueError)]
)
def test_render_mode_must_be_none(render_mode, error):
    message = f"render_mode must be one of None, got {render_mode!r}"
    with _raises(error, message):
        DesignerEnv(render_mode=render_mode)
    with _raises(error, message):  # gymnasium.make asks the metadata before building the env
        gymnasium.make("econ_envs/SequentialSales-v0", render_mode=render_mode)


# ---- the evaluator ----


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_profiles": 10**9}, ValueError, "n_profiles=1000000000 implies 19,000,000,000"),
        ({"n_profiles": 1}, ValueError, "n_profiles must be an integer >= 2, got 1"),
        ({"n_profiles": "500"}, TypeError, "n_profiles must be an integer >= 2, got '500'"),
        ({"seed": "0"}, TypeError, "seed must be an integer >= 0, got '0'"),
        ({"seed": -1}, ValueError, "seed must be an integer >= 0, got -1"),
        ({"params": {"weights": [1, 1, 1]}}, TypeError, "params must be AMAParams or None"),
        ({"n_items": 10**9}, ValueError, "n_items=1000000000 implies more than 1e+308"),
    ],
)
def test_the_evaluator_refuses_bad_arguments_before_sampling(kwargs, error, message):
    arguments = {"params": None, **kwargs}
    with _raises(error, message):
        evaluate("econ_envs/SequentialSales-v0", **arguments)


def test_the_evaluator_cannot_swap_the_domain_behind_an_id():
    message = (
        "domain='GridworldAMA' cannot change the environment of 'econ_envs/SequentialSales-v0'"
    )
    with _raises(ValueError, message):
        evaluate("econ_envs/SequentialSales-v0", None, n_profiles=10, domain="GridworldAMA")
    same = evaluate("econ_envs/SequentialSales-v0", None, n_profiles=10, domain="SequentialSales")
    assert same.domain == "SequentialSales"


def test_the_evaluator_names_a_domain_that_is_not_a_string():
    with _raises(TypeError, "domain_or_env_id must be a domain name or an econ_envs id"):
        evaluate(3, None)


# ---- steps ----


@pytest.fixture
def env():
    return DesignerEnv("SequentialSales", n_samples=5)


def test_a_step_before_reset_is_refused(env):
    with _raises(ResetNeeded, "DesignerEnv.step() was called before reset()"):
        env.step(AMAParams.vcg(env.domain.mdp).to_flat())


def test_a_step_after_the_one_step_episode_ended_is_refused_until_reset(env):
    vcg = AMAParams.vcg(env.domain.mdp).to_flat()
    env.reset(seed=0)
    assert env.step(vcg)[2] is True
    with _raises(RuntimeError, "DesignerEnv.step() was called after the episode ended"):
        env.step(vcg)
    env.reset()
    assert env.step(vcg)[2] is True


def test_reset_between_steps_continues_the_seeded_stream_as_before(env):
    # three episodes after one seeded reset equal three steps of the same stream of profiles
    vcg = AMAParams.vcg(env.domain.mdp).to_flat()
    env.reset(seed=4)
    rewards = []
    for _ in range(3):
        rewards.append(env.step(vcg)[1])
        env.reset()
    draws = [env.domain.sample_types(_seeded(4, k), 5) for k in range(3)]
    expected = [score_profiles(env.domain, AMAParams.vcg(env.domain.mdp), t) for t in draws]
    assert rewards == [float(e.objective.mean()) for e in expected]


def _seeded(seed: int, skip: int) -> np.random.Generator:
    """gymnasium's generator of ``seed`` after ``skip`` draws of 5 SequentialSales profiles."""
    rng, _ = gymnasium.utils.seeding.np_random(seed)
    for _ in range(skip):
        rng.random((5, 3))
    return rng


@pytest.mark.parametrize(
    ("transform", "message"),
    [
        (lambda a: a.astype(bool), "action must hold integers or floats for Box"),
        (lambda a: a.astype(complex), "action must hold integers or floats for Box"),
        (lambda a: a.astype(str), "action must hold integers or floats for Box"),
        (lambda a: a[:-1], "action must have shape (23,) for Box"),
        (lambda a: a[None], "action must have shape (23,) for Box"),
    ],
)
def test_actions_of_the_wrong_dtype_or_shape_are_refused_in_the_users_terms(
    env, transform, message
):
    action = transform(AMAParams.vcg(env.domain.mdp).to_flat())
    env.reset(seed=0)
    with pytest.raises(ValueError, match=re.escape(message)) as raised:
        env.step(action)
    # the shape or dtype the user passed, never the internal batch axis
    assert str(raised.value).endswith(f"got {action.shape}" if "shape" in message else "")
    assert str(raised.value).endswith(f"got dtype {action.dtype}" if "dtype" in message else "")
    assert env.step(AMAParams.vcg(env.domain.mdp).to_flat())[2]  # a refused action ends nothing


def test_an_action_outside_the_box_shows_the_action_as_given(env):
    action = AMAParams.vcg(env.domain.mdp).to_flat()
    action[0] = 5.0
    env.reset(seed=0)
    with pytest.raises(ValueError, match=r"got \[5\.0, 0\.0") as raised:
        env.step(action)
    assert "[[" not in str(raised.value).split("got")[-1]


# ---- the planner stays within its memory budget ----


def test_the_planner_shrinks_its_chunks_to_its_budget_without_changing_results(monkeypatch):
    domain = make_domain("SequentialSales", n_agents=3, n_items=3)
    types = domain.sample_types(np.random.default_rng(0), 50)
    boosts = np.random.default_rng(1).normal(size=(domain.mdp.n_states, domain.mdp.n_actions))
    default = plan(domain.mdp, types, np.ones(3), boosts, with_policy=True)
    calls = []
    real = planner_module._plan_chunk
    monkeypatch.setattr(planner_module, "CHUNK_BUDGET", 1)  # one profile per chunk
    monkeypatch.setattr(
        planner_module,
        "_plan_chunk",
        lambda mdp, chunk, *rest: calls.append(len(chunk)) or real(mdp, chunk, *rest),
    )
    tiny = plan(domain.mdp, types, np.ones(3), boosts, with_policy=True)
    assert calls == [1] * 50
    for name in ("policy", "path_actions", "path_states"):
        np.testing.assert_array_equal(getattr(default, name), getattr(tiny, name))
    for name in ("asw", "asw_without", "rewards"):
        np.testing.assert_allclose(getattr(default, name), getattr(tiny, name), rtol=0, atol=1e-12)


# ----------------------------------------------------------------------------------------------
# issue 12, the fuzz's findings


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"env_id": "econ_envs/TaskScheduling-v0"}, "env_id='econ_envs/TaskScheduling-v0' does"),
        ({"n_samples": 11158141}, "n_samples=11158141 implies 212,004,679 type, path and result"),
    ],
)
def test_sales_refuses_another_env_id_and_too_many_samples(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        gymnasium.make("econ_envs/SequentialSales-v0", **kwargs)


@pytest.mark.parametrize(
    ("domain", "kwargs", "message"),
    [
        ("GridworldAMA", {"n_agents": 4841}, "n_agents=4841, size=3, gamma=0.9 implies"),
        ("SequentialSales", {"n_agents": 310}, "n_agents=310, n_items=2, distribution="),
    ],
)
def test_one_profiles_planning_is_guarded(domain, kwargs, message):
    with allocates_at_most(), pytest.raises(ValueError, match=re.escape(message) + ".*per type"):
        make_domain(domain, **kwargs)


def test_boost_bound_is_bounded_by_float32_and_samples():
    with pytest.raises(ValueError, match=re.escape("boost_bound must be > 0 and at most 3.40")):
        gymnasium.make("econ_envs/GridworldAMA-v0", boost_bound=1e308)
    env = gymnasium.make("econ_envs/GridworldAMA-v0", boost_bound=3e38)
    env.reset(seed=0)
    env.action_space.seed(0)
    assert np.isfinite(env.step(env.action_space.sample())[1])


def test_a_vector_env_counts_each_envs_mechanism_mdp_before_building_the_rest() -> None:
    """Each designer env holds its own mechanism MDP: 128 envs of 15 tasks would take > 5 GB."""
    with (
        allocates_at_most(),
        pytest.raises(ValueError, match=r"^num_envs=128 implies 285,204,224 entries \(num_envs"),
    ):
        gymnasium.make_vec("econ_envs/TaskScheduling-v0", 128, n_tasks=15)
