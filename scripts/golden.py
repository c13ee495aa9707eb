"""Behaviour fingerprint of the environments: a SHA-256 per case of everything they output.

A restructure that must keep behaviour bit-identical records the fingerprint before and checks
it after::

    python scripts/golden.py --write golden.json     # before
    python scripts/golden.py --check golden.json     # after: lists every case that changed

Cases: every registered id through ``gym.make`` (every follower dynamics for the Stackelberg
ids), the native vector env (``gym.make_vec``, 3 envs across same-step autoresets), the
PettingZoo parallel env, the exact evaluator on seeded random tables (Stackelberg) and
parameters (AMA). Each case steps seeded random valid actions; the hash covers observations,
rewards, terminations, truncations and infos (dtype, shape and bytes of every array).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode

import econ_envs
from econ_envs import pettingzoo as pz
from econ_envs.followers import DYNAMICS
from econ_envs.policy_table import evaluate_table, exact_plays, game_of, observation_vectors
from econ_envs.registry import AMA, ENTRIES, STACKELBERG

#: keywords that keep the episodes short (every rule still runs)
SHORT = {STACKELBERG: {"response_iterations": 3, "reward_plays": 3}, AMA: {"n_samples": 2}}
STEPS = 1000
#: exact-evaluator cases above this many plays are skipped (LaneCoordination)
MAX_PLAYS = 200_000


class Fingerprint:
    """An incremental SHA-256 of nested outputs (arrays by dtype, shape and bytes)."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def add(self, value: Any) -> None:
        """Fold ``value`` (array, number, string, dict, list, tuple, None) into the hash."""
        if isinstance(value, dict):
            for key in sorted(value, key=str):
                self._hash.update(f"<{key}>".encode())
                self.add(value[key])
        elif isinstance(value, list | tuple):
            self._hash.update(f"[{len(value)}".encode())
            for item in value:
                self.add(item)
        elif isinstance(value, str | type(None)):
            self._hash.update(repr(value).encode())
        else:
            array = np.ascontiguousarray(value)
            if array.dtype == object:
                self.add(array.tolist())
                return
            self._hash.update(f"{array.dtype.str}{array.shape}".encode())
            self._hash.update(array.tobytes())

    def hexdigest(self) -> str:
        """The fingerprint so far."""
        return self._hash.hexdigest()


def single_env(env_id: str, kwargs: dict[str, Any]) -> str:
    """Fingerprint of ``gym.make(env_id, **kwargs)`` over :data:`STEPS` steps (autoresets)."""
    env = gym.make(env_id, disable_env_checker=True, **kwargs)
    env.action_space.seed(1)
    out = Fingerprint()
    out.add(env.reset(seed=7))
    for _ in range(STEPS):
        step = env.step(env.action_space.sample())
        out.add(step)
        if step[2] or step[3]:
            out.add(env.reset())
    return out.hexdigest()


def vector_env(env_id: str, kwargs: dict[str, Any]) -> str:
    """Fingerprint of ``gym.make_vec(env_id, 3, **kwargs)`` over :data:`STEPS` steps, in the
    ``SAME_STEP`` autoreset mode (the trainer's; the default before 0.2.0)."""
    env = gym.make_vec(env_id, num_envs=3, autoreset_mode=AutoresetMode.SAME_STEP, **kwargs)
    env.action_space.seed(2)
    out = Fingerprint()
    out.add(env.reset(seed=11))
    for _ in range(STEPS):
        out.add(env.step(env.action_space.sample()))
    env.close()
    return out.hexdigest()


def parallel_env(env_id: str, kwargs: dict[str, Any]) -> str:
    """Fingerprint of the PettingZoo parallel env over :data:`STEPS` steps (new plays by reset)."""
    env = pz.parallel_env(env_id, **kwargs)
    out = Fingerprint()
    out.add(env.reset(seed=5))
    for t in range(STEPS):
        if not env.agents:
            out.add(env.reset())
        actions = {}
        for k, agent in enumerate(env.agents):
            space = env.action_space(agent)
            space.seed(1000 * t + k)
            actions[agent] = space.sample()
        out.add(env.step(actions))
        out.add(env.state())
    return out.hexdigest()


def evaluator(env_id: str, kwargs: dict[str, Any]) -> str:
    """Fingerprint of the exact evaluator on three seeded random tables (Stackelberg) or
    parameter vectors (AMA)."""
    out = Fingerprint()
    if econ_envs.registry.entry(env_id).family == AMA:
        from econ_envs.ama import evaluate

        env = gym.make(env_id, disable_env_checker=True, **kwargs).unwrapped
        env.action_space.seed(3)
        for _ in range(3):
            params = env.params_from_action(env.action_space.sample())
            result = evaluate(env_id, params, n_profiles=200, seed=0)
            out.add({k: v for k, v in vars(result).items() if isinstance(v, int | float | str)})
        return out.hexdigest()
    space = gym.make(env_id, disable_env_checker=True, **kwargs).action_space
    space.seed(3)
    rows = len(observation_vectors(env_id, **kwargs))
    for _ in range(3):
        table = np.stack([np.asarray(space.sample()) for _ in range(rows)])
        evaluation = evaluate_table(env_id, table, **kwargs)
        out.add({k: v for k, v in vars(evaluation).items() if not callable(v)})
    return out.hexdigest()


def cases() -> Iterator[tuple[str, Callable[[], str]]]:
    """Every (name, fingerprint function) case."""
    for e in ENTRIES:
        short = dict(SHORT[e.family])
        dynamics = [None] if e.family == AMA or "dynamics" in e.kwargs else sorted(DYNAMICS)
        for name in dynamics:
            kwargs = short if name is None else {**short, "dynamics": name}
            if name == "best_response":  # one response iteration per type profile
                kwargs = {"reward_plays": 3, "dynamics": name}
            label = f"{e.id} {name or ''}".strip()
            yield f"{label} single", lambda e=e, k=kwargs: single_env(e.id, k)
        if e.family == STACKELBERG:
            yield f"{e.id} vector", lambda e=e, k=short: vector_env(e.id, k)
            yield f"{e.id} parallel", lambda e=e: parallel_env(e.id, {})  # one play
            if exact_plays(game_of(e.id, **short)) > MAX_PLAYS:
                continue
        yield f"{e.id} evaluator", lambda e=e, k=short: evaluator(e.id, k)


def fingerprints() -> dict[str, str]:
    """Every case's fingerprint (or the error it raised, by type and message)."""
    result = {}
    for name, run in cases():
        try:
            result[name] = run()
        except Exception as error:  # a case that raises is part of the behaviour too
            result[name] = f"raised {type(error).__name__}: {error}"
    return result


def main(argv: list[str] | None = None) -> int:
    """Write or check the fingerprints; exit 1 if a check finds a difference."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path, help="write the fingerprints to this JSON file")
    mode.add_argument("--check", type=Path, help="compare with the fingerprints in this file")
    args = parser.parse_args(argv)
    now = fingerprints()
    if args.write:
        args.write.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"{len(now)} cases written to {args.write}")
        return 0
    before = json.loads(args.check.read_text())
    changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for name in changed:
        print(f"changed: {name}\n  before: {before.get(name)}\n  after:  {now.get(name)}")
    print(f"{len(now) - len(changed)}/{len(now)} cases identical")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
