"""Leader steps per second of every Stackelberg id (single env, native vector env at
B = 64, 1024, 4096) with a random policy, the memory of a 4096-wide MSPM vector env, and the
time to evaluate one policy table exactly.

Run: ``python bench/throughput.py [--seconds 2.0] [--ids econ_envs/MSPM-v0 ...]``. Prints a
table; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode

import econ_envs
from econ_envs.policy_table import evaluate_table, game_of

BATCHES = (64, 1024, 4096)
#: skip the exact table evaluation of games with more (type profile, message profile) plays
MAX_TABLE_PLAYS = 2_000_000


def random_actions(space: gym.Space, count: int, seed: int) -> np.ndarray:
    """``count`` random actions of one env's space, pre-drawn so sampling is not timed."""
    space.seed(seed)
    return np.stack([np.asarray(space.sample()) for _ in range(count)])


#: a clock: ``time.perf_counter`` (wall) or ``time.process_time`` (this process's CPU time)
Clock = Callable[[], float]


def best_rate(
    advance: Callable[[], int], seconds: float, windows: int = 5, clock: Clock = time.perf_counter
) -> float:
    """Steps per second of ``advance`` (one call runs a chunk of steps and returns how many):
    the best of ``windows`` timed windows of ``seconds / windows`` each, after a warm-up window
    (first-call allocations, caches). As :mod:`timeit` advises, the best window is the figure
    to compare: slower ones measure interference (this shared machine's timings swing by a
    third from run to run)."""
    rates = []
    for window in range(windows + 1):
        steps, start = 0, clock()
        while clock() - start < seconds / windows:
            steps += advance()
        if window:  # the first window warms up
            rates.append(steps / (clock() - start))
    return max(rates)


def single_rate(env_id: str, seconds: float, clock: Clock = time.perf_counter) -> float:
    """Steps per second of the single env of ``env_id`` under a random policy."""
    env = gym.make(env_id)
    actions = random_actions(env.action_space, 512, 0)
    env.reset(seed=0)

    def advance() -> int:
        for a in actions:
            if env.step(a)[2]:
                env.reset()
        return len(actions)

    return best_rate(advance, seconds, clock=clock)


def vector_rate(env_id: str, batch: int, seconds: float, clock: Clock = time.perf_counter) -> float:
    """Env steps per second of the native vector env of ``env_id`` with ``batch`` envs, in the
    trainer's ``SAME_STEP`` autoreset mode."""
    venv = gym.make_vec(env_id, num_envs=batch, autoreset_mode=AutoresetMode.SAME_STEP)
    pool = random_actions(venv.single_action_space, batch * 8, 1)
    actions = [pool[np.random.default_rng(k).integers(len(pool), size=batch)] for k in range(8)]
    venv.reset(seed=0)

    def advance() -> int:
        for a in actions:
            venv.step(a)
        return batch * len(actions)

    return best_rate(advance, seconds, clock=clock)


def vector_memory_mib(env_id: str, batch: int) -> float:
    tracemalloc.start()
    venv = gym.make_vec(env_id, num_envs=batch, autoreset_mode=AutoresetMode.SAME_STEP)
    venv.reset(seed=0)
    actions = random_actions(venv.single_action_space, batch, 2)
    for _ in range(50):
        venv.step(actions)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def table_eval_ms(
    env_id: str, repeats: int = 5, clock: Clock = time.perf_counter, **env_kwargs: Any
) -> float | None:
    """Milliseconds per exact table evaluation (the best of ``repeats``, after a warm-up);
    ``None`` where its outcome tensor is too large."""
    game = game_of(env_id, **env_kwargs)
    if math.prod(game.spec.n_types) * math.prod(game.spec.n_messages) > MAX_TABLE_PLAYS:
        return None
    table = random_actions(game.spec.action_space, game.spec.n_observations, 3)
    evaluate_table(env_id, table, seed=0, **env_kwargs)  # warm-up
    times = []
    for seed in range(repeats):
        start = clock()
        evaluate_table(env_id, table, seed=seed, **env_kwargs)
        times.append(clock() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--seconds", type=float, default=2.0, help="time per measurement (best of 5 windows)"
    )
    parser.add_argument(
        "--ids", nargs="+", metavar="ID", help="Stackelberg env ids to measure (default: all)"
    )
    args = parser.parse_args()
    known = econ_envs.ids("stackelberg")
    unknown = sorted(set(args.ids or ()) - set(known))
    if unknown:
        parser.error(f"--ids must be Stackelberg env ids {known}, got unknown {unknown}")
    header = f"{'env id':34} {'single':>10}" + "".join(f" {'B=' + str(b):>12}" for b in BATCHES)
    print("leader steps per second (random policy)")
    print(header + f" {'table eval':>11}")
    for env_id in args.ids or known:
        row = f"{env_id:34} {single_rate(env_id, args.seconds):>10,.0f}"
        row += "".join(f" {vector_rate(env_id, b, args.seconds):>12,.0f}" for b in BATCHES)
        ms = table_eval_ms(env_id)
        print(row + (f" {ms:>9.1f}ms" if ms is not None else f" {'n/a':>11}"), flush=True)
    mib = vector_memory_mib("econ_envs/MSPM-v0", 4096)
    print(f"\nMSPM-v0 vector env, B=4096: peak traced memory {mib:.1f} MiB")


if __name__ == "__main__":
    main()
