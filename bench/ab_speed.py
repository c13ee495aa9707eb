"""Old-against-new speed of two checkouts, measured interleaved in one run.

Run: ``python bench/ab_speed.py OLD_ROOT NEW_ROOT [--rounds 4] [--seconds 1.0]``, where each root
is a checkout (e.g. a ``git worktree add`` of the commit before a change). Every round measures
both checkouts, in alternating order, each in its own subprocess that imports ``econ_envs`` from
its root: ``gym.make_vec(id, 1024)`` leader steps per second for MSPM-v0 and
MessageAllocation-v0, the single env's steps per second on MSPM-v0, and the time of one
``evaluate_table`` on MSPM-v0 with 4 types. Prints the new/old ratio of every round and their
range (a machine whose speed drifts between rounds still compares like with like within one).
Times are the process's CPU time, which other processes on a shared machine disturb less than
the wall clock. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BATCH = 1024
#: (label, higher is better)
METRICS = {
    "MSPM-v0 vec B=1024 steps/s": True,
    "MessageAllocation-v0 vec B=1024 steps/s": True,
    "MSPM-v0 single steps/s": True,
    "evaluate_table MSPM-v0 4 types ms": False,
}


def measure(seconds: float) -> dict[str, float]:
    """The metrics of the ``econ_envs`` on ``sys.path`` (run inside a subprocess), timed with
    this process's CPU time by :mod:`throughput`'s helpers."""
    from throughput import single_rate, table_eval_ms, vector_rate

    clock = time.process_time
    values = (
        vector_rate("econ_envs/MSPM-v0", BATCH, seconds, clock),
        vector_rate("econ_envs/MessageAllocation-v0", BATCH, seconds, clock),
        single_rate("econ_envs/MSPM-v0", seconds, clock),
        table_eval_ms("econ_envs/MSPM-v0", 3, clock, n_types=4),
    )
    return dict(zip(METRICS, values, strict=True))


def run_in(root: Path, seconds: float) -> dict[str, float]:
    """:func:`measure` in a subprocess importing ``econ_envs`` from ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, __file__, "--measure", "--seconds", str(seconds)]
    out = subprocess.run(command, env=env, cwd=root, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("roots", nargs="*", type=Path, metavar="ROOT", help="OLD_ROOT NEW_ROOT")
    parser.add_argument("--rounds", type=int, default=4, help="old/new pairs to measure")
    parser.add_argument("--seconds", type=float, default=1.0, help="time per rate measurement")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        import econ_envs

        print(f"# econ_envs from {Path(econ_envs.__file__).parent}", file=sys.stderr)
        print(json.dumps(measure(args.seconds)))
        return
    if len(args.roots) != 2:
        parser.error("give OLD_ROOT and NEW_ROOT")
    old_root, new_root = args.roots
    ratios: dict[str, list[float]] = {name: [] for name in METRICS}
    for round_ in range(args.rounds):
        if round_ % 2 == 0:
            old = run_in(old_root, args.seconds)
            new = run_in(new_root, args.seconds)
        else:
            new = run_in(new_root, args.seconds)
            old = run_in(old_root, args.seconds)
        for name, higher_is_better in METRICS.items():
            # speed ratio new/old: > 1 means new is faster
            ratio = new[name] / old[name] if higher_is_better else old[name] / new[name]
            ratios[name].append(ratio)
            print(
                f"round {round_}: {name:42} old {old[name]:>12,.1f} new {new[name]:>12,.1f}"
                f" speed new/old {ratio:.3f}",
                flush=True,
            )
    print("\nspeed new/old (> 1: new faster): median [min, max] over rounds")
    for name, values in ratios.items():
        values.sort()
        median = values[len(values) // 2]
        print(f"{name:42} {median:.3f} [{values[0]:.3f}, {values[-1]:.3f}]")


if __name__ == "__main__":
    main()
