"""Learning benchmark of the Stackelberg POMDP baselines: how fast the preset finds the optimum.

Every run is what a user types: ``econ-baselines train`` in a fresh process (start-up included
in the wall clock), with the env's preset (the reference method: per-episode tables, the exact
equilibrium check and penalty, the best verified table, stop on the optimum within the preset's
tolerance) and a time budget. Prints one line per run as it ends, then a table: runs solved,
env steps and seconds to the optimum per seed (training seconds, and the process's wall clock
from start to exit), final value and regret. A run counts as solved only when its exported table
is optimal on every held-out check seed (``check_seeds``, 100..149 by default), which nothing
in training selects on; runs optimal on the training seeds but not on the held-out ones are
counted beside. Not a test: run it by hand, one run at a time (the
2 cores are shared), e.g.::

    python bench/learning.py --settings mspm-3 --seeds 0 1 2 3 4
    python bench/learning.py --settings mspm-4 --seeds 0 1 2 3 4 --minutes 5
    python bench/learning.py --settings mspm-5x2 mspm-5x3 --seeds 0-9 --minutes 20
    python bench/learning.py --settings mspm-5x3 --seeds 0-9 --minutes 10 \
        --config '{"elite_fraction": 0.8, "torch_threads": 1}'   # the elite search, 1 core
    python bench/learning.py --end-to-end mspm-3 message-3   # 1M-step runs, steps/s by wall clock

Targets on a 2-core machine (issue 11): MSPM 3 types / 2 messages optimal (welfare loss <=
0.005, regret 0) in <= 30 s median wall clock, 5/5 seeds; 4 types 5/5 seeds within 5 minutes;
MessageAllocation (3 messages) every seed within 30 s; a 1M-step run >= 150,000 env steps/s by
wall clock, start-up included. The reference implementation on this machine (REFERENCE.md):
MSPM 3 types 5/5 seeds in 32-220 s (16k-93k steps), at 435-597 env steps/s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baselines.mappo.cli import option_name

MSG = "econ_envs/MessageAllocation-v0"
MSPM = "econ_envs/MSPM-v0"

#: setting name -> (env id, env keywords)
SETTINGS: dict[str, tuple[str, dict[str, Any]]] = {
    "escape": ("econ_envs/Escape-v0", {}),
    "maintain-pure": ("econ_envs/Maintain-v0", {}),
    "maintain-mixed": ("econ_envs/Maintain-v0", {"mixed": True}),
    "matrix-design": ("econ_envs/MatrixDesign-v0", {}),
    "message-1": (MSG, {"n_messages": 1}),
    "message-2": (MSG, {"n_messages": 2}),
    "message-3": (MSG, {"n_messages": 3}),
    "mspm-3": (MSPM, {"n_types": 3}),
    "mspm-4": (MSPM, {"n_types": 4}),
    "mspm-5x2": (MSPM, {"n_types": 5}),
    "mspm-5x3": (MSPM, {"n_types": 5, "n_messages": 3}),
}


@dataclass(frozen=True)
class Outcome:
    """One training run of the benchmark."""

    setting: str
    algo: str
    seed: int
    solved_at: int | None
    solved_seconds: float | None
    steps: int
    seconds: float
    process_seconds: float
    value: float
    regret: float
    source: str
    held_out_solved: bool
    held_out_optimal: str


def run_one(
    setting: str,
    algo: str,
    seed: int,
    steps: int,
    minutes: float,
    overrides: dict[str, Any],
    stop_when_solved: bool = True,
) -> Outcome:
    """One ``econ-baselines train`` process; its exported ``policy_table.json`` is read back."""
    env_id, env_kwargs = SETTINGS[setting]
    with tempfile.TemporaryDirectory() as run_dir:
        command = [
            sys.executable,
            "-m",
            "baselines.cli",
            "train",
            "--env",
            env_id,
            "--env-kwargs",
            json.dumps(env_kwargs),
            "--algo",
            algo,
            "--seed",
            str(seed),
            "--steps",
            str(steps),
            "--time-limit",
            str(60.0 * minutes),
            "--stop-when-solved" if stop_when_solved else "--no-stop-when-solved",
            "--no-track",
            "--no-progress",
            "--run-dir",
            run_dir,
        ]
        for name, value in overrides.items():
            command += [option_name(name), *_option_values(value)]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
        process_seconds = time.perf_counter() - started
        (table,) = Path(run_dir).glob("*/policy_table.json")
        document = json.loads(table.read_text())
    held_out = document["held_out_score"]
    # solved = optimal on the held-out seeds, not only on the seeds training stopped on
    solved_at = document["solved_at"] if held_out["solved"] else None
    return Outcome(
        setting,
        algo,
        seed,
        solved_at,
        None if solved_at is None else process_seconds,
        document["training_steps"],
        document["wall_clock_s"],
        process_seconds,
        document["score"]["value"],
        document["score"]["regret"],
        document["table_source"],
        held_out["solved"],
        f"{held_out['seeds_optimal']}/{len(held_out['evaluator_seeds'])}",
    )


def _option_values(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return [json.dumps(value)]
    return [str(value)]


def table(outcomes: list[Outcome]) -> str:
    """Markdown table: one row per (setting, algorithm), seeds aggregated."""
    lines = [
        "| setting | algo | solved (held out) | held-out seeds optimal (per seed) | steps to "
        "optimum (per seed) | wall-clock s to optimum (median) | final value (mean) | final "
        "regret (max) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault((o.setting, o.algo), []).append(o)
    for (setting, algo), runs in groups.items():
        runs.sort(key=lambda o: o.seed)
        steps = ", ".join("-" if o.solved_at is None else f"{o.solved_at:,}" for o in runs)
        seconds = [o.solved_seconds for o in runs]
        shown = ", ".join("-" if s is None else f"{s:.0f}" for s in seconds)
        solved = sorted(s for s in seconds if s is not None)
        median = f"{solved[len(solved) // 2]:.0f}" if len(solved) == len(runs) else "-"
        value = sum(o.value for o in runs) / len(runs)
        held_out = ", ".join(o.held_out_optimal for o in runs)
        lines.append(
            f"| {setting} | {algo} | {len(solved)}/{len(runs)} | {held_out} | {steps} | "
            f"{shown} ({median}) | {value:.4f} | {max(o.regret for o in runs):.3f} |"
        )
    return "\n".join(lines)


def _seeds(texts: list[str]) -> list[int]:
    """Seeds as integers; ``a-b`` is the range a..b."""
    seeds: list[int] = []
    for text in texts:
        first, _, last = text.partition("-")
        seeds += list(range(int(first), int(last or first) + 1))
    return seeds


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--settings", nargs="+", default=["mspm-3"], choices=list(SETTINGS))
    parser.add_argument("--algos", nargs="+", default=["mappo"], choices=["mappo", "ppo"])
    parser.add_argument("--seeds", nargs="+", default=["0-4"], help="seeds, or ranges a-b")
    parser.add_argument("--steps", type=float, default=1e9, help="env-step budget per run")
    parser.add_argument("--minutes", type=float, default=5.0, help="time budget per run")
    parser.add_argument(
        "--config", type=json.loads, default={}, metavar="JSON", help="TrainConfig overrides"
    )
    parser.add_argument(
        "--end-to-end",
        nargs="+",
        default=None,
        choices=list(SETTINGS),
        metavar="SETTING",
        help="instead: one 1M-step run per setting (no stop), env steps/s by wall clock",
    )
    args = parser.parse_args(argv)
    if args.end_to_end:
        for setting in args.end_to_end:
            o = run_one(setting, args.algos[0], 0, 1_000_000, 60.0, args.config, False)
            print(
                f"{setting} {o.algo}: {o.steps:,} steps in {o.process_seconds:.1f} s by wall "
                f"clock (start-up included): {o.steps / o.process_seconds:,.0f} steps/s; "
                f"training loop {o.steps / o.seconds:,.0f} steps/s",
                flush=True,
            )
        return
    outcomes: list[Outcome] = []
    for setting in args.settings:
        for algo in args.algos:
            for seed in _seeds(args.seeds):
                steps = int(args.steps)
                outcome = run_one(setting, algo, seed, steps, args.minutes, args.config)
                outcomes.append(outcome)
                print(outcome, flush=True)
    print(table(outcomes))


if __name__ == "__main__":
    main()
