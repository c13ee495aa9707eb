"""Public conformance check for any econ_envs id (as PettingZoo ships ``pettingzoo.test``).

::

    from econ_envs.testing import check_env_id, check_all
    report = check_env_id("econ_envs/MSPM-v0", n_types=4)   # raises AssertionError on failure
    reports = check_all()                                    # every registered id

What is checked, for every id:

- gymnasium's ``check_env`` on ``gym.make(env_id).unwrapped`` and on the wrapped env;
- determinism: two envs reset with the same seed and given the same actions produce identical
  observations, rewards, terminations, truncations and infos over several episodes
  (later episodes start with ``reset()``, which continues the seeded stream);

and for the Stackelberg family also:

- a native vector env of size ``B`` (``gym.make_vec``, seed ``s``, same-step autoreset) equals
  ``B`` single envs seeded ``s + i``, stepped with the same random actions until every sub-env
  has finished ``episodes`` episodes (so autoresets are crossed): observations, rewards,
  terminations, truncations, the infos of rows that did not finish, and for rows that finished
  the final observation, the final info and the observation and state after the autoreset;
- PettingZoo's ``api_test``, ``parallel_api_test``, ``seed_test``, ``parallel_seed_test`` and
  ``state_test`` on :mod:`econ_envs.pettingzoo`;
- the observation round trip (:func:`check_observations`): the base game's table of observation
  vectors has one distinct row per policy-table row, and in plays with random types, messages
  and actions every observation the leader acts on is the table's row at its index.

By default the checks use short episodes (:data:`SHORT`), so one id takes under a second
(well under the 5 s budget); keywords given to :func:`check_env_id` override them.
"""

from __future__ import annotations

import contextlib
import io
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.utils.env_checker import check_env
from gymnasium.vector import AutoresetMode

from econ_envs.episode_options import EpisodeOptions
from econ_envs.registry import STACKELBERG, entry, ids

#: keywords that make an episode short, per family (overridden by the caller's keywords)
SHORT: dict[str, dict[str, Any]] = {
    STACKELBERG: {"response_iterations": 2, "reward_plays": 2},
    "ama": {"n_samples": 2},
}
_MAX_STEPS = 20_000


@dataclass
class ConformanceReport:
    """What :func:`check_env_id` ran.

    Attributes:
        env_id: the id checked.
        kwargs: the keywords the envs were made with.
        checks: the names of the checks that passed, in order.
        warnings: the distinct warning messages raised during the checks (API style advice from
            PettingZoo, e.g. on agent names, is expected here).
        seconds: wall-clock time of the whole check.
    """

    env_id: str
    kwargs: dict[str, Any]
    checks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def check_env_id(
    env_id: str,
    *,
    seed: int = 0,
    num_envs: int = 3,
    episodes: int = 2,
    short: bool = True,
    **kwargs: Any,
) -> ConformanceReport:
    """Run every conformance check that applies to ``env_id`` (see the module docstring).

    Args:
        env_id: a registered econ_envs id.
        seed: the seed of the determinism, vector and PettingZoo checks.
        num_envs: ``B``, the size of the vector env compared with ``B`` single envs.
        episodes: episodes per env in the determinism and vector checks (>= 2 crosses a reset).
        short: start from :data:`SHORT` keywords for the id's family.
        **kwargs: keywords of ``gym.make(env_id, ...)``.

    Returns:
        A :class:`ConformanceReport`.

    Raises:
        AssertionError: naming the check and what differed.
        ValueError: for an unknown id.
    """
    family = entry(env_id).family
    kwargs = {**(SHORT.get(family, {}) if short else {}), **kwargs}
    report = ConformanceReport(env_id, kwargs)
    start = time.perf_counter()
    checks: list[tuple[str, Callable[[], None]]] = [
        ("gymnasium.check_env", lambda: check_gymnasium(env_id, **kwargs)),
        ("determinism", lambda: check_determinism(env_id, seed, episodes, **kwargs)),
    ]
    if family == STACKELBERG:
        checks += [
            ("vector==single", lambda: check_vector(env_id, num_envs, seed, episodes, **kwargs)),
            ("pettingzoo", lambda: check_pettingzoo(env_id, **kwargs)),
            ("observations", lambda: check_observations(env_id, seed, **kwargs)),
        ]
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("always")
        for name, run in checks:
            run()
            report.checks.append(name)
    report.warnings = sorted({str(w.message) for w in caught})
    report.seconds = time.perf_counter() - start
    return report


def check_all(**kwargs: Any) -> list[ConformanceReport]:
    """:func:`check_env_id` for every registered id (``kwargs`` are passed to each; game
    keywords rarely fit every id, so usually only ``seed``, ``num_envs``, ``episodes``)."""
    return [check_env_id(env_id, **kwargs) for env_id in ids()]


def check_gymnasium(env_id: str, **kwargs: Any) -> None:
    """gymnasium's ``check_env`` on ``gym.make(env_id, **kwargs)``, unwrapped and wrapped."""
    wrapped = gym.make(env_id, **kwargs)
    check_env(wrapped.unwrapped, skip_render_check=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", ".*is different from the unwrapped version")
        check_env(wrapped, skip_render_check=True)
    wrapped.close()


def check_determinism(env_id: str, seed: int = 0, episodes: int = 2, **kwargs: Any) -> None:
    """Two envs with the same seed and actions give identical trajectories over ``episodes``
    episodes (``reset(seed=seed)`` first, ``reset()`` after each end)."""
    first = _rollout(gym.make(env_id, **kwargs), seed, episodes)
    second = _rollout(gym.make(env_id, **kwargs), seed, episodes)
    assert len(first) == len(second), f"{env_id}: trajectory lengths differ under seed {seed}"
    for t, (a, b) in enumerate(zip(first, second, strict=True)):
        _assert_same(a, b, f"{env_id} determinism, step {t} (reset or step result)")


def check_vector(
    env_id: str, num_envs: int = 3, seed: int = 0, episodes: int = 2, **kwargs: Any
) -> None:
    """The native vector env of size ``num_envs`` seeded ``seed`` equals ``num_envs`` single
    envs seeded ``seed + i`` under the same actions (see the module docstring), in the
    ``SAME_STEP`` autoreset mode (the other modes are checked against gymnasium's
    ``SyncVectorEnv`` in the test suite)."""
    vector = gym.make_vec(
        env_id,
        num_envs=num_envs,
        vectorization_mode="vector_entry_point",
        autoreset_mode=AutoresetMode.SAME_STEP,
        **kwargs,
    )
    singles = [gym.make(env_id, **kwargs) for _ in range(num_envs)]
    obs, info = vector.reset(seed=seed)
    for i, env in enumerate(singles):
        single_obs, single_info = env.reset(seed=seed + i)
        _assert_same(_row(obs, i), single_obs, f"{env_id} vector reset, env {i}, obs")
        _assert_same(_info_row(info, i), single_info, f"{env_id} vector reset, env {i}, info")
    vector.action_space.seed(seed)
    finished = np.zeros(num_envs, np.intp)
    for t in range(_MAX_STEPS):
        if (finished >= episodes).all():
            break
        actions = vector.action_space.sample()
        obs, rewards, terms, truncs, info = vector.step(actions)
        for i, env in enumerate(singles):
            where = f"{env_id} vector step {t}, env {i}"
            single = env.step(_row(actions, i))
            _assert_same((rewards[i], terms[i], truncs[i]), single[1:4], f"{where}, reward/done")
            if not (single[2] or single[3]):
                _assert_same(_row(obs, i), single[0], f"{where}, obs")
                _assert_same(_info_row(info, i), single[4], f"{where}, info")
                continue
            finished[i] += 1
            _assert_same(info["final_obs"][i], single[0], f"{where}, final_obs")
            _assert_same(_info_row(info["final_info"], i), single[4], f"{where}, final_info")
            reset_obs, reset_info = env.reset()
            _assert_same(_row(obs, i), reset_obs, f"{where}, obs after autoreset")
            _assert_same(info["state"][i], reset_info["state"], f"{where}, state after autoreset")
    assert (finished >= episodes).all(), f"{env_id}: episodes did not end in {_MAX_STEPS} steps"
    vector.close()


def check_pettingzoo(env_id: str, num_cycles: int = 50, **kwargs: Any) -> None:
    """PettingZoo's API, parallel API, seed and state tests on the views of ``env_id``
    (episode options among ``kwargs`` are dropped: the views are one play of the base game)."""
    from pettingzoo.test import api_test, parallel_api_test, parallel_seed_test, seed_test
    from pettingzoo.test.state_test import state_test

    from econ_envs import pettingzoo as pz

    game = {k: v for k, v in kwargs.items() if k not in EpisodeOptions.__dataclass_fields__}
    api_test(pz.env(env_id, **game), num_cycles=num_cycles)
    parallel_api_test(pz.parallel_env(env_id, **game), num_cycles=num_cycles)
    seed_test(lambda: pz.env(env_id, **game), num_cycles=num_cycles)
    parallel_seed_test(lambda: pz.parallel_env(env_id, **game), num_cycles=num_cycles)
    state_test(pz.env(env_id, **game), pz.parallel_env(env_id, **game), num_cycles=num_cycles)


def check_observations(env_id: str, seed: int = 0, n_plays: int = 256, **kwargs: Any) -> None:
    """The three encodings of the leader's observation of ``env_id``'s base game agree:
    ``observation_vectors()`` has one distinct row per policy-table row, and in ``n_plays``
    plays with random types, messages and actions (seeded ``seed``), at every leader step of a
    live play ``observation_index`` is in range and the table's row at it is what ``observe``
    shows."""
    from econ_envs.policy_table import game_of

    game = game_of(env_id, **kwargs)
    spec = game.spec
    table = game.observation_vectors()
    shape = (spec.n_observations, *spec.observation_space.shape)
    assert table.shape == shape, f"{env_id}: observation_vectors {table.shape}, expected {shape}"
    assert len(np.unique(table, axis=0)) == len(table), (
        f"{env_id}: observation_vectors has repeated rows (two table rows, one observation)"
    )
    rng = np.random.default_rng(seed)
    plays = game.new_plays(n_plays)
    types = game.types.sample(rng.random(n_plays))
    messages = rng.integers(0, spec.n_messages, (n_plays, spec.n_followers))
    game.start(plays, np.arange(n_plays), types, messages)
    spec.action_space.seed(seed)
    live = np.ones(n_plays, bool)
    for step in range(spec.horizon):
        observed, index = game.observe(plays)[live], game.observation_index(plays)[live]
        where = f"{env_id} observations, leader step {step}"
        assert ((index >= 0) & (index < spec.n_observations)).all(), (
            f"{where}: observation_index {index.min()}..{index.max()} outside "
            f"[0, {spec.n_observations})"
        )
        assert observed.shape[1:] == shape[1:], f"{where}: observe shape {observed.shape[1:]}"
        wrong = np.flatnonzero((table[index] != observed).any(axis=1))
        assert not len(wrong), (
            f"{where}: observe shows {observed[wrong[0]].tolist()} but observation_index "
            f"{index[wrong[0]]} is the row {table[index[wrong[0]]].tolist()}"
        )
        actions = np.stack([spec.action_space.sample() for _ in range(n_plays)])
        live &= ~game.step(plays, game.check_action(actions))
        if not live.any():
            break


def _rollout(env: gym.Env[Any, Any], seed: int, episodes: int) -> list[tuple[Any, ...]]:
    """Every (obs, reward, terminated, truncated, info) of ``episodes`` episodes, random actions
    from the action space seeded with ``seed``; the reset results count as steps too."""
    env.action_space.seed(seed)
    steps: list[tuple[Any, ...]] = [(*env.reset(seed=seed),)]
    done = 0
    while done < episodes and len(steps) < _MAX_STEPS:
        obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
        steps.append((obs, reward, terminated, truncated, info))
        if terminated or truncated:
            done += 1
            steps.append((*env.reset(),))
    env.close()
    assert done == episodes, f"{env.spec.id if env.spec else env}: no end in {_MAX_STEPS} steps"
    return steps


def _row(batch: Any, i: int) -> Any:
    """Row ``i`` of a batched observation or action (``Dict`` observations included)."""
    if isinstance(batch, dict):
        return {key: _row(value, i) for key, value in batch.items()}
    return batch[i]


def _info_row(info: dict[str, Any], i: int) -> dict[str, Any]:
    """The single-env info of row ``i`` of a vector info (entries whose ``_key`` mask is set),
    without the autoreset entries ``final_obs`` and ``final_info``."""
    return {
        key: value[i]
        for key, value in info.items()
        if not key.startswith("_") and key not in ("final_obs", "final_info") and info[f"_{key}"][i]
    }


def _assert_same(a: Any, b: Any, where: str) -> None:
    """Exact equality of nested dicts, tuples, arrays and scalars (dtype aside)."""
    if isinstance(a, dict) or isinstance(b, dict):
        assert isinstance(a, dict) and isinstance(b, dict), f"{where}: {a!r} vs {b!r}"
        assert a.keys() == b.keys(), f"{where}: keys {sorted(a)} vs {sorted(b)}"
        for key in a:
            _assert_same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, tuple) and isinstance(b, tuple):
        assert len(a) == len(b), f"{where}: lengths {len(a)} vs {len(b)}"
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{where}[{k}]")
    else:
        x, y = np.asarray(a), np.asarray(b)
        assert x.shape == y.shape and np.array_equal(x, y), f"{where}: {a!r} vs {b!r}"
