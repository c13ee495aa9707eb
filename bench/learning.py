"""Learning benchmark of the Stackelberg POMDP baselines: MAPPO vs PPO, several seeds.

For every setting, algorithm and seed, trains with the env's published preset until the
deterministic policy table is optimal (exact value within 0.02 of the optimum, exact follower
regret 0; evaluated after every update) or the step / time budget runs out, and prints a table of
env steps and wall-clock to the optimum. Not a test: run it by hand, e.g.::

    python bench/learning.py --settings escape message-3 --seeds 0 1 2 --workers 1
    python bench/learning.py --settings mspm-3 --algos mappo --minutes 20 \
        --config '{"learning_rate": 3e-4}'

(MSPM's preset keeps the published learning rate 3e-6, which needs the published budget of up to
10^8 steps; the 20-minute target is measured with 3e-4.)

Targets on a 2-core machine: MessageAllocation with 3 messages optimal in <= 5 minutes for every
seed; MSPM 3 types / 2 messages optimal (welfare loss <= 0.005, regret 0) within 20 minutes for
at least 2 of 3 seeds; end-to-end training >= 20,000 env steps/s.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import tempfile
from dataclasses import dataclass
from typing import Any

MSG = "econ_envs/MessageAllocation-v0"

#: optimum tolerance per setting (default 0.02); MSPM: welfare loss <= 0.005
TOLERANCE = {"mspm-3": 0.005}

#: setting name -> (env id, env keywords)
SETTINGS: dict[str, tuple[str, dict[str, Any]]] = {
    "escape": ("econ_envs/Escape-v0", {}),
    "maintain-pure": ("econ_envs/Maintain-v0", {}),
    "maintain-mixed": ("econ_envs/Maintain-v0", {"mixed": True}),
    "matrix-design": ("econ_envs/MatrixDesign-v0", {}),
    "message-1": (MSG, {"n_messages": 1}),
    "message-2": (MSG, {"n_messages": 2}),
    "message-3": (MSG, {"n_messages": 3}),
    "mspm-3": ("econ_envs/MSPM-v0", {"n_types": 3}),
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
    value: float
    regret: float
    steps_per_second: float


def run_one(
    setting: str,
    algo: str,
    seed: int,
    steps: int,
    minutes: float,
    threads: int,
    overrides: dict[str, Any] | None = None,
) -> Outcome:
    """Train one (setting, algorithm, seed) until solved or out of budget; ``overrides`` are
    :class:`~baselines.mappo.config.TrainConfig` fields replacing the preset's."""
    import torch

    from baselines.mappo.config import TrainConfig
    from baselines.mappo.train import train

    torch.set_num_threads(threads)
    env_id, env_kwargs = SETTINGS[setting]
    with tempfile.TemporaryDirectory() as run_dir:
        config = TrainConfig(
            env_id=env_id,
            env_kwargs=env_kwargs,
            algo=algo,
            seed=seed,
            total_steps=steps,
            eval_every=1,  # after every update
            stop_when_solved=True,
            solve_tolerance=TOLERANCE.get(setting, 0.02),
            time_limit=60.0 * minutes,
            track=False,
            progress=False,
            **(overrides or {}),
        )
        result = train(config, run_dir=run_dir)
    return Outcome(
        setting,
        algo,
        seed,
        result.solved_at,
        result.solved_wall_clock,
        result.global_step,
        result.wall_clock,
        result.score.value,
        result.score.regret,
        result.steps_per_second,
    )


def throughput(
    setting: str,
    algo: str,
    updates: int,
    num_envs: int | None,
    threads: int,
    overrides: dict[str, Any] | None = None,
) -> str:
    """Steady-state training speed (collection + PPO update) after one warm-up update (numba
    compilation): env steps per wall-clock second and per CPU second of this process;
    ``overrides`` are :class:`~baselines.mappo.config.TrainConfig` fields replacing the preset's."""
    import time

    import torch

    from baselines.mappo.config import TrainConfig
    from baselines.mappo.train import TrainingRun

    torch.set_num_threads(threads)
    env_id, env_kwargs = SETTINGS[setting]
    overrides = dict(overrides or {})
    if num_envs is not None:
        overrides["num_envs"] = num_envs
    config = TrainConfig(env_id=env_id, env_kwargs=env_kwargs, algo=algo, track=False, **overrides)
    run = TrainingRun(config, None)
    run.iterate()
    wall, cpu, first = time.perf_counter(), time.process_time(), run.global_step
    for _ in range(updates):
        run.iterate()
    steps = run.global_step - first
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return (
        f"{setting} {algo}: {config.num_envs} envs, rollout {run.rollout}, "
        f"{config.update_epochs} epochs x {config.num_minibatches} minibatches, {steps:,} steps: "
        f"{steps / wall:,.0f} steps/s wall, {steps / cpu:,.0f} steps/CPU-s ({threads} threads)"
    )


def _run_star(job: tuple) -> Outcome:
    return run_one(*job)


def table(outcomes: list[Outcome]) -> str:
    """Markdown table: one row per (setting, algorithm), seeds aggregated."""
    lines = [
        "| setting | algo | solved | steps to optimum (per seed) | seconds to optimum | "
        "final value | final regret | steps/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault((o.setting, o.algo), []).append(o)
    for (setting, algo), runs in groups.items():
        runs.sort(key=lambda o: o.seed)
        steps = ", ".join("-" if o.solved_at is None else f"{o.solved_at:,}" for o in runs)
        seconds = ", ".join(
            "-" if o.solved_seconds is None else f"{o.solved_seconds:.0f}" for o in runs
        )
        values = ", ".join(f"{o.value:.4f}" for o in runs)
        regrets = ", ".join(f"{o.regret:.3f}" for o in runs)
        solved = sum(o.solved_at is not None for o in runs)
        sps = sum(o.steps for o in runs) / max(sum(o.seconds for o in runs), 1e-9)
        lines.append(
            f"| {setting} | {algo} | {solved}/{len(runs)} | {steps} | {seconds} | {values} | "
            f"{regrets} | {sps:,.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--settings", nargs="+", default=list(SETTINGS), choices=list(SETTINGS))
    parser.add_argument("--algos", nargs="+", default=["mappo", "ppo"], choices=["mappo", "ppo"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--steps", type=float, default=2e7, help="env-step budget per run")
    parser.add_argument("--minutes", type=float, default=5.0, help="time budget per run")
    parser.add_argument("--workers", type=int, default=1, help="runs in parallel")
    parser.add_argument("--threads", type=int, default=1, help="torch threads per run")
    parser.add_argument(
        "--config",
        type=json.loads,
        default=None,
        metavar="JSON",
        help="TrainConfig overrides, e.g. '{\"learning_rate\": 3e-4}'",
    )
    parser.add_argument(
        "--throughput",
        type=int,
        default=0,
        metavar="UPDATES",
        help="only measure steady-state steps/s over this many updates per setting and algo",
    )
    parser.add_argument("--num-envs", type=int, help="envs (throughput mode; default: preset)")
    args = parser.parse_args(argv)
    if args.throughput:
        for setting in args.settings:
            for algo in args.algos:
                print(
                    throughput(
                        setting, algo, args.throughput, args.num_envs, args.threads, args.config
                    ),
                    flush=True,
                )
        return
    jobs = [
        (setting, algo, seed, int(args.steps), args.minutes, args.threads, args.config)
        for setting in args.settings
        for algo in args.algos
        for seed in args.seeds
    ]
    outcomes: list[Outcome] = []
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        for outcome in pool.imap_unordered(_run_star, jobs):
            outcomes.append(outcome)
            print(outcome, flush=True)  # partial results as runs finish
    print(table(outcomes))


if __name__ == "__main__":
    main()
