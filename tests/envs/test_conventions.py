"""The ecosystem's conventions a user notices (issue 15, part 4): gymnasium's checker and
metadata, vector entry points and autoreset modes, PettingZoo names, per-env modules, round trips
and wrappers (CleanRL's names in the baselines: ``tests/baselines/test_cleanrl_names.py``)."""

from __future__ import annotations

import re
import warnings

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env, check_space_limit
from gymnasium.vector import AutoresetMode
from pettingzoo.test import api_test, parallel_api_test
from pettingzoo.utils import wrappers
from pettingzoo.utils.conversions import aec_to_parallel, parallel_to_aec

from econ_envs import pettingzoo as pz
from econ_envs.adapters.designer_vector_env import DesignerVectorEnv
from econ_envs.adapters.pettingzoo_env import StackelbergAECEnv, StackelbergParallelEnv
from econ_envs.registry import AMA, ids, pettingzoo_name
from econ_envs.validation import KeywordTypeError

BOX_RECOMMENDATION = r"For Box action spaces, we recommend using a symmetric and normalized"
#: ids whose action is a Box outside [-1, 1] / [0, 1] by design (transfers in [0, 10]; AMA boosts
#: and weights): check_env recommends normalizing, which RescaleAction does (tested below)
UNNORMALIZED_BOX = (
    "econ_envs/MatrixDesign-v0",
    "econ_envs/SequentialSales-v0",
    "econ_envs/TaskScheduling-v0",
    "econ_envs/GridworldAMA-v0",
)
EVERY_MODE = re.escape(
    "autoreset_mode must be one of AutoresetMode.NEXT_STEP ('NextStep'), "
    "AutoresetMode.SAME_STEP ('SameStep'), AutoresetMode.DISABLED ('Disabled'), got "
)


# -- gymnasium --------------------------------------------------------------------------------


@pytest.mark.parametrize("env_id", ids())
def test_check_env_warns_nothing(env_id):
    env = gym.make(env_id)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if env_id in UNNORMALIZED_BOX:
            warnings.filterwarnings("ignore", message=f".*{BOX_RECOMMENDATION}")
        check_env(env.unwrapped)
    if "ansi" in env.metadata["render_modes"]:
        assert env.metadata["render_fps"] == 4


def _unit_box(env):
    """The recipe of the designer env's docstring (bounds in the box's dtype, no cast warning)."""
    box, one = env.action_space, env.action_space.dtype.type(1)
    env = gym.wrappers.TransformAction(env, lambda a: np.clip(a, box.low, box.high), box)
    rescaled = gym.wrappers.RescaleAction(env, -one, one)
    return rescaled, gym.wrappers.ClipAction(rescaled)


@pytest.mark.parametrize("env_id", UNNORMALIZED_BOX)
def test_rescale_action_gives_gaussian_policies_the_unit_box(env_id):
    raw = gym.make(env_id)
    with pytest.warns(UserWarning, match=BOX_RECOMMENDATION):  # the exemption above is needed
        check_space_limit(raw.action_space, "action")
    rescaled, wrapped = _unit_box(gym.make(env_id))
    assert np.all(rescaled.action_space.low == -1) and np.all(rescaled.action_space.high == 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_space_limit(rescaled.action_space, "action")
    shape = rescaled.action_space.shape
    middle = (raw.action_space.low + raw.action_space.high) / 2
    np.testing.assert_allclose(rescaled.action(np.zeros(shape)), middle, rtol=1e-6, atol=1e-6)
    raw.reset(seed=3)
    wrapped.reset(seed=3)
    # an unbounded Gaussian sample (5) is clipped to 1, the top of the box
    assert wrapped.step(np.full(shape, 5.0))[1:3] == raw.step(raw.action_space.high)[1:3]


def test_rescale_action_alone_can_land_outside_the_box_which_is_refused():
    env = gym.wrappers.RescaleAction(gym.make("econ_envs/SequentialSales-v0"), -1.0, 1.0)
    env.reset(seed=0)
    with pytest.raises(ValueError, match="action"):
        env.step(np.ones(env.action_space.shape))


@pytest.mark.parametrize("env_id", ids())
def test_no_registered_time_limit_cuts_or_flags_a_natural_episode_end(env_id):
    # every episode ends on its own (terminated) at a length the keywords set, so a registered
    # max_episode_steps would flag that end as a truncation or cut longer episodes short
    assert gym.spec(env_id).max_episode_steps is None
    assert gym.make(env_id).spec.max_episode_steps is None


@pytest.mark.parametrize(("response_iterations", "length"), [(33, 100), (3, 10), (60, 181)])
def test_an_episode_runs_its_full_length_and_terminates(response_iterations, length):
    # Escape: 3 plays per response iteration (the base play and 2 deviations), 1 reward play
    env = gym.make("econ_envs/Escape-v0", response_iterations=response_iterations)
    env.reset(seed=0)
    steps, terminated, truncated = 0, False, False
    while not (terminated or truncated):
        _, _, terminated, truncated, _ = env.step(0)
        steps += 1
    assert (steps, terminated, truncated) == (length, True, False)


@pytest.mark.parametrize("mode", list(AutoresetMode))
def test_native_vector_env_takes_every_mode_and_shows_it_in_its_metadata(mode):
    for given in (mode, mode.value):
        venv = gym.make_vec("econ_envs/MSPM-v0", num_envs=2, autoreset_mode=given)
        assert venv.metadata["autoreset_mode"] is mode  # what gymnasium's wrappers read
    # gymnasium's default, as gymnasium users and its vector wrappers expect (module docstring)
    default = gym.make_vec("econ_envs/MSPM-v0", num_envs=2)
    assert default.metadata["autoreset_mode"] is AutoresetMode.NEXT_STEP


@pytest.mark.parametrize("env_id", ["econ_envs/MSPM-v0", "econ_envs/SequentialSales-v0"])
def test_vector_env_refuses_an_unknown_mode_in_one_line(env_id):
    with pytest.raises(ValueError, match=f"^{EVERY_MODE}'Sometimes'$"):
        gym.make_vec(env_id, num_envs=2, autoreset_mode="Sometimes")
    with pytest.raises(KeywordTypeError, match=f"^{EVERY_MODE}1 \\(int\\)$"):
        gym.make_vec(env_id, num_envs=2, autoreset_mode=1)


def _trajectory(venv, steps, seed=5):
    obs, _ = venv.reset(seed=seed)
    venv.action_space.seed(seed)
    out = [obs]
    for _ in range(steps):
        obs, reward, terminated, truncated, _ = venv.step(venv.action_space.sample())
        out.append((obs, reward, terminated, truncated))
    return out


def _assert_same(first, second):
    for a, b in zip(first, second, strict=True):
        pairs = zip(a, b, strict=True) if isinstance(a, tuple) else [(a, b)]
        for x, y in pairs:
            np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("env_id", ids(AMA))
def test_ama_ids_have_a_vector_entry_point_that_is_make_vec_sync(env_id):
    assert gym.spec(env_id).vector_entry_point.endswith(":DesignerVectorEnv")
    native = gym.make_vec(env_id, num_envs=3)
    assert isinstance(native.unwrapped, DesignerVectorEnv)
    assert native.metadata["autoreset_mode"] is AutoresetMode.NEXT_STEP  # gymnasium's default
    sync = gym.make_vec(env_id, num_envs=3, vectorization_mode="sync")
    first, second = _trajectory(native, 4), _trajectory(sync, 4)
    _assert_same(first, second)
    assert [step[2].all() for step in first[1:]] == [True, False, True, False]  # resets between


def test_ama_vector_env_takes_an_autoreset_mode():
    env_id = "econ_envs/SequentialSales-v0"
    native = gym.make_vec(env_id, num_envs=2, autoreset_mode="SameStep", n_samples=5)
    sync = gym.make_vec(
        env_id,
        num_envs=2,
        vectorization_mode="sync",
        vector_kwargs={"autoreset_mode": AutoresetMode.SAME_STEP},
        n_samples=5,
    )
    first, second = _trajectory(native, 3), _trajectory(sync, 3)
    _assert_same(first, second)
    assert all(step[2].all() for step in first[1:])  # every step pays: no reset-only steps


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"num_envs": 0}, ValueError, r"^num_envs must be an integer >= 1, got 0"),
        ({"num_envs": 10**9}, ValueError, r"^num_envs=1000000000 implies [\d,]+ entries \("),
        ({"num_envs": 2, "n_samples": 0}, ValueError, r"n_samples"),
    ],
)
def test_ama_vector_env_names_a_bad_keyword(kwargs, error, message):
    with pytest.raises(error, match=message):
        gym.make_vec("econ_envs/SequentialSales-v0", **{"num_envs": 2, **kwargs})


# -- PettingZoo -------------------------------------------------------------------------------


def test_pettingzoo_names_are_the_ids_in_pettingzoo_form():
    assert pettingzoo_name("econ_envs/MSPM-v0") == "mspm_v0"
    assert pettingzoo_name("econ_envs/MSPM-Agrawal-v0") == "mspm_agrawal_v0"
    assert pettingzoo_name("econ_envs/MessageAllocation-v0") == "message_allocation_v0"
    assert pettingzoo_name("econ_envs/NormalForm-v0") == "normal_form_v0"
    modules = pz.modules()
    assert modules["mspm_v0"] == "econ_envs/MSPM-v0"
    assert modules["message_allocation_v0"] == "econ_envs/MessageAllocation-v0"
    assert sorted(modules.values()) == sorted(pz.ids())  # one module per id, no clash


@pytest.mark.parametrize("env_id", pz.ids())
def test_per_env_module_builds_every_view_with_its_name(env_id):
    name = pettingzoo_name(env_id)
    module = getattr(pz, name)
    assert module.__name__ == f"econ_envs.pettingzoo.{name}" and module.env_id == env_id
    aec, par, raw = module.env(), module.parallel_env(), module.raw_env()
    assert isinstance(aec, wrappers.OrderEnforcingWrapper)
    assert isinstance(aec.unwrapped, StackelbergAECEnv) and isinstance(raw, StackelbergAECEnv)
    assert isinstance(par, StackelbergParallelEnv)
    for built in (aec.unwrapped, par, raw):
        assert built.metadata["name"] == name and str(built) == env_id
    assert name in dir(pz)


def test_per_env_module_imports_and_passes_keywords():
    from econ_envs.pettingzoo import mspm_v0

    env = mspm_v0.env(n_types=4)
    assert env.observation_space("follower_0").shape == (4,)
    assert mspm_v0.parallel_env(n_types=5).observation_space("follower_1").shape == (5,)
    with pytest.raises(ValueError, match=r"\['response_iterations'\] are Stackelberg-episode"):
        mspm_v0.raw_env(response_iterations=3)


def test_an_unknown_or_ama_module_is_refused_listing_the_modules():
    with pytest.raises(ImportError, match="sequential_sales_v0"):
        from econ_envs.pettingzoo import sequential_sales_v0  # noqa: F401
    with pytest.raises(AttributeError, match=r"per-environment modules are normal_form_v0, "):
        pz.mspm_v1  # noqa: B018


@pytest.mark.parametrize("env_id", pz.ids())
def test_parallel_env_round_trips_through_aec(env_id):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PettingZoo's advisories (agent names, shapes)
        parallel = pz.parallel_env(env_id)
        parallel_api_test(parallel, num_cycles=20)
        aec = parallel_to_aec(pz.parallel_env(env_id))
        api_test(aec, num_cycles=20)
        back = aec_to_parallel(aec)
        assert isinstance(back, StackelbergParallelEnv)  # the original env, unwrapped
        parallel_api_test(back, num_cycles=20)
        assert aec.metadata["name"] == pettingzoo_name(env_id)


@pytest.mark.parametrize("env_id", pz.ids())
def test_standard_wrappers_apply_where_the_spaces_allow(env_id):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        checked = wrappers.AssertOutOfBoundsWrapper(pz.raw_env(env_id))
        api_test(wrappers.OrderEnforcingWrapper(checked), num_cycles=20)
    # followers send Discrete messages, so PettingZoo's Box clipping does not apply (it says so);
    # the env's own check refuses an out-of-bounds action, naming the agent
    with pytest.raises(AssertionError, match="should only use ClipOutOfBoundsWrapper for Box"):
        wrappers.ClipOutOfBoundsWrapper(pz.raw_env(env_id))
    raw = pz.raw_env(env_id)
    raw.reset(seed=0)
    with pytest.raises(ValueError, match=r"^agent 'follower_0': action must be an integer"):
        raw.step(raw.action_space("follower_0").n)


def test_aec_env_is_not_offered_to_aec_to_parallel():
    # followers move once, then the leader alone: not one action per agent per cycle
    assert pz.env("econ_envs/MSPM-v0").metadata["is_parallelizable"] is False
