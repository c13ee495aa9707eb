"""What baselines and leaderboards need from econ_envs is public API (issue 13, parts 3 and 6).

The import scan reads ``baselines/`` and ``leaderboards/`` with ``ast`` (nothing is imported):
every ``econ_envs`` import must name a public module and a name that module exports.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import math
import pkgutil
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest

import econ_envs
from econ_envs import (
    EpisodeOptions,
    ResponseSchedule,
    StateLayout,
    evaluate_table_seeds,
    game_of,
    outcome_tensor,
    plays_per_iteration,
    response_schedule,
    run_dynamics,
)
from econ_envs.adapters.gym_env import StackelbergEnv
from econ_envs.adapters.vector_env import StackelbergVectorEnv
from econ_envs.followers import DYNAMICS, dynamics_class

ROOT = Path(__file__).resolve().parents[1]

#: the modules other packages may import from: the package, its PettingZoo view, its
#: conformance check, the shared argument checks (one helper per idea, reused by the sweeps),
#: the bounded reader of user files
#: and the ``__init__`` of every subpackage (what it re-exports)
PUBLIC_MODULES = frozenset(
    {
        "econ_envs",
        "econ_envs.pettingzoo",
        "econ_envs.testing",
        "econ_envs.validation",
        "econ_envs.files",
        "econ_envs.adapters",
        "econ_envs.ama",
        "econ_envs.followers",
        "econ_envs.games",
    }
)

#: the adapter layer: the only econ_envs modules that may import ``econ_envs.adapters``
ADAPTER_LAYER = ("econ_envs.adapters", "econ_envs.pettingzoo", "econ_envs.testing")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _econ_imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """``(line, module, names)`` of every econ_envs import in ``path`` (``names`` empty for a
    plain ``import``), at any depth (function-level imports included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = tuple(alias.name for alias in node.names)
            found.append((node.lineno, node.module, names))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, ()) for alias in node.names)
    return sorted(item for item in found if item[1].split(".")[0] == "econ_envs")


def _exported(module: str) -> set[str]:
    """The names ``module`` exports: its ``__all__`` and its public submodules; a module
    without ``__all__`` (the argument checks) exports its names without a leading underscore."""
    loaded = importlib.import_module(module)
    names = getattr(loaded, "__all__", None)
    if names is None:
        names = [name for name in vars(loaded) if not name.startswith("_")]
    submodules = {
        m.removeprefix(module + ".") for m in PUBLIC_MODULES if m.startswith(module + ".")
    }
    return set(names) | submodules


def private_imports(folders: tuple[str, ...]) -> list[str]:
    """``file:line: what`` for every import in ``folders`` of a non-public econ_envs module or
    of a name its public module does not export."""
    problems = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, module, names in _econ_imports(path):
                where = f"{path.relative_to(ROOT)}:{line}"
                if module not in PUBLIC_MODULES:
                    problems.append(f"{where}: {module} is not a public module")
                    continue
                hidden = sorted(set(names) - _exported(module))
                if hidden:
                    problems.append(f"{where}: {module} does not export {hidden}")
    return problems


def test_baselines_and_leaderboards_import_only_public_names():
    assert private_imports(("baselines", "leaderboards")) == []


def test_the_scan_finds_a_deep_import(tmp_path, monkeypatch):
    """The scan is not vacuous: a deep import and an unexported name are both reported."""
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "bad.py").write_text(
        "from econ_envs.ama.planner import path_length\n"
        "from econ_envs import register_all, StateLayout\n"
        "def f():\n    from econ_envs.policy_table import game_of\n"
        "import econ_envs.registry\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert private_imports(("pkg",)) == [
        "pkg/bad.py:1: econ_envs.ama.planner is not a public module",
        "pkg/bad.py:4: econ_envs.policy_table is not a public module",
        "pkg/bad.py:5: econ_envs.registry is not a public module",
    ]
    (folder / "bad.py").write_text("from econ_envs.games import GameSpec, mspm, _private\n")
    assert private_imports(("pkg",)) == [
        "pkg/bad.py:1: econ_envs.games does not export ['_private', 'mspm']"
    ]


def test_public_modules_are_the_declared_ones_and_export_what_they_list():
    subpackages = {
        f"econ_envs.{m.name}" for m in pkgutil.iter_modules(econ_envs.__path__) if m.ispkg
    }
    assert subpackages == {m for m in PUBLIC_MODULES if m.count(".") == 1} - {
        "econ_envs.pettingzoo",
        "econ_envs.testing",
        "econ_envs.validation",
        "econ_envs.files",
    }
    for module in PUBLIC_MODULES:
        loaded = importlib.import_module(module)
        for name in getattr(loaded, "__all__", ()):
            assert hasattr(loaded, name), f"{module}.__all__ lists {name!r}, which it lacks"


def test_the_core_does_not_import_the_adapters():
    """Adapters are leaves: only the adapter layer (and the AMA designer env, itself a
    gymnasium adapter of its family) imports ``econ_envs.adapters``."""
    importers = []
    for path in sorted((ROOT / "econ_envs").rglob("*.py")):
        module = _module_name(path)
        if module.startswith(ADAPTER_LAYER):
            continue
        for line, imported, names in _econ_imports(path):
            targets = [imported] + [f"{imported}.{name}" for name in names]
            if any(t.startswith("econ_envs.adapters") for t in targets):
                importers.append(f"{module}:{line}")
    assert importers == ["econ_envs.ama.designer_env:33"]


# -- the privileged-state layout ---------------------------------------------------------------


def test_mspm_state_layout_has_named_slices():
    env = gym.make("econ_envs/MSPM-v0")
    layout = env.unwrapped.state_layout
    # 2 agents, 3 types, 2 messages, mw: 2 + 2 deviation plays per iteration
    assert layout == StateLayout(n_followers=2, max_types=3, max_messages=2, plays_per_iteration=4)
    assert (layout.phase, layout.progress) == (0, 1)
    assert (layout.types, layout.messages) == (slice(2, 8), slice(8, 12))
    assert (layout.counterfactual, layout.strategies) == (slice(12, 16), slice(16, 28))
    assert layout.size == 28 == env.unwrapped.episodes.state_size


def test_state_layout_reads_the_state_the_env_writes():
    env = gym.make("econ_envs/MSPM-v0", privileged_state=True, n_types=4, n_messages=3)
    layout = env.unwrapped.state_layout
    assert env.observation_space["state"].shape == (layout.size,)
    observation, _ = env.reset(seed=3)
    state = observation["state"]
    assert state[layout.phase] == 0.0
    strategies = layout.follower_strategies(state)
    assert strategies.shape == (2, 4, 3)
    np.testing.assert_allclose(strategies.sum(axis=-1), 1.0, rtol=1e-6)
    # the first play of an iteration is follower 0's deviation to message 0
    assert state[layout.counterfactual].tolist() == [1.0, 0, 0, 0, 0, 0]
    assert layout.message_profile(state)[0] == 0
    assert set(layout.type_profile(state).tolist()) <= set(range(4))


def test_state_layout_phase_flag_is_set_in_the_reward_phase():
    venv = gym.make_vec("econ_envs/MessageAllocation-v0", num_envs=3, response_iterations=0)
    _, info = venv.reset(seed=0)
    layout = venv.state_layout
    assert info["state"][:, layout.phase].tolist() == [1.0, 1.0, 1.0]
    assert np.all(info["state"][:, layout.counterfactual] == 0.0)


# -- plays per iteration, keyword defaults, episode options -------------------------------------


@pytest.mark.parametrize(
    ("dynamics", "plays"), [("mw", 3 + 3), ("q_learning", 1), ("best_response", 3 * 3)]
)
def test_plays_per_iteration_is_what_the_dynamics_takes(dynamics, plays):
    spec = game_of("econ_envs/MSPM-v0", n_messages=3).spec
    assert plays_per_iteration(dynamics, spec) == plays


@pytest.mark.parametrize("dynamics", sorted(DYNAMICS))
def test_the_episodes_lay_out_the_declared_plays_per_iteration(dynamics):
    env = gym.make("econ_envs/MatrixDesign-v0", dynamics=dynamics)
    spec = env.unwrapped.game.spec
    declared = plays_per_iteration(dynamics, spec)
    assert env.unwrapped.episodes.plays_per_iteration == declared
    assert env.unwrapped.state_layout.plays_per_iteration == declared
    full_information = dynamics in ("mw", "logit", "regret_matching")
    expected = {"q_learning": 1, "best_response": math.prod(spec.n_messages)}
    assert declared == (sum(spec.n_messages) if full_information else expected[dynamics])


@pytest.mark.parametrize("dynamics", sorted(DYNAMICS))
def test_the_response_schedule_is_declared_once_by_the_dynamics_class(dynamics):
    """The class declares the schedule before any episode exists; the env, its state layout and
    :func:`econ_envs.response_schedule` read that one declaration (best_response: one iteration
    per type profile of MSPM's 3 x 3, not the game's 250)."""
    game = game_of("econ_envs/MSPM-v0")
    declared = dynamics_class(dynamics).schedule(game.spec, game.types, None)
    episodes = gym.make("econ_envs/MSPM-v0", dynamics=dynamics).unwrapped.episodes
    assert (
        episodes.schedule == declared == response_schedule("econ_envs/MSPM-v0", dynamics=dynamics)
    )
    assert episodes.state_layout.plays_per_iteration == declared.plays_per_iteration
    iterations = 9 if dynamics == "best_response" else 250
    assert declared.iterations == iterations
    assert declared.plays == iterations * plays_per_iteration(dynamics, game.spec)


def test_best_responses_schedule_refuses_another_count_without_an_env():
    game = game_of("econ_envs/MSPM-v0")
    with pytest.raises(ValueError, match="response_iterations must be None or 9"):
        dynamics_class("best_response").schedule(game.spec, game.types, 250)
    assert response_schedule("econ_envs/MSPM-v0", response_iterations=7) == ResponseSchedule(7, 4)


@pytest.mark.parametrize(("dynamics", "iterations"), [("mw", 5), ("best_response", None)])
def test_run_dynamics_is_the_evaluators_response_phase(dynamics, iterations):
    """One call per iteration of the declared schedule; the final strategies and empirical
    regret are those :func:`econ_envs.evaluate_table_seeds` reports for the same seeds."""
    env_id, table = "econ_envs/MSPM-v0", econ_envs.optimal_mspm_table(3)
    game, seeds = game_of(env_id), (0, 4)
    options = {"dynamics": dynamics, "response_iterations": iterations}
    calls = []
    run = run_dynamics(
        game, outcome_tensor(game, table), seeds, **options, on_iteration=calls.append
    )
    assert len(calls) == response_schedule(env_id, **options).iterations
    assert all(dynamics_seen is run.dynamics for dynamics_seen in calls)
    evaluations = evaluate_table_seeds(env_id, table, seeds=seeds, **options)
    for b, evaluation in enumerate(evaluations):
        assert np.array_equal(run.final[b], evaluation.follower_strategies)
        assert run.empirical_regret[b] == evaluation.empirical_regret


def test_plays_per_iteration_names_an_unknown_dynamics():
    spec = game_of("econ_envs/MSPM-v0").spec
    with pytest.raises(ValueError, match="dynamics must be one of"):
        plays_per_iteration("hedge", spec)


def test_keyword_defaults_are_the_games_declared_defaults():
    defaults = econ_envs.game_class("MSPM").keyword_defaults()
    assert defaults["n_agents"] == 2 and defaults["n_messages"] == 2
    assert defaults["objective"] == "welfare_loss" and defaults["max_price"] == 1.0
    assert "preset" in defaults
    assert econ_envs.game_class("MessageAllocation").keyword_defaults() == {
        "n_items": 3,
        "n_messages": 3,
    }


def test_episode_options_are_declared_once():
    names = EpisodeOptions.names()
    assert names == (
        "dynamics",
        "dynamics_kwargs",
        "response_iterations",
        "reward_plays",
        "privileged_state",
    )
    for env_class in (StackelbergEnv, StackelbergVectorEnv):
        assert not set(names) & set(inspect.signature(env_class).parameters)
    options, rest = EpisodeOptions.split({"n_types": 4, "dynamics": "logit", "reward_plays": 2})
    assert options == EpisodeOptions(dynamics="logit", reward_plays=2)
    assert rest == {"n_types": 4}
    assert EpisodeOptions.defaults()["dynamics"] == "mw"


@pytest.mark.parametrize("make", [gym.make, lambda env_id, **kw: gym.make_vec(env_id, 2, **kw)])
def test_episode_options_are_still_checked_by_name(make):
    with pytest.raises(TypeError, match="privileged_state"):
        make("econ_envs/MSPM-v0", privileged_state=2)
    with pytest.raises(ValueError, match="reward_plays"):
        make("econ_envs/MSPM-v0", reward_plays=0)
    with pytest.raises(ValueError, match="dynamics must be one of"):
        make("econ_envs/MSPM-v0", dynamics="hedge")
