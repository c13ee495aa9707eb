"""``econ-baselines bilevel``: optimize the AMA parameters of an AMA environment.

Example::

    econ-baselines bilevel --env econ_envs/SequentialSales-v0 --n-agents 3 --n-items 2 \\
        --method zeroth-order --n-starts 4 --seed 0

Writes the result (parameters, official evaluation, VCG beside it, provenance) as JSON and logs
one W&B run (offline unless W&B is configured) per optimization under ``runs/wandb/``. Declaring
the options imports no torch (:mod:`baselines.bilevel.settings`), so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
from dataclasses import fields
from pathlib import Path

from baselines.bilevel.settings import METHOD_CONFIGS, SETTING_HELP
from baselines.cli_errors import check_ama_env, flag, usage_error
from baselines.startup import imports_without_gc
from leaderboards.cli_options import add_track_option
from leaderboards.tracking import init_wandb, run_name

#: the keywords of the AMA domains, each an option, with its help (the env's default applies)
DOMAIN_OPTIONS = {
    "n_agents": "number of agents (every AMA env)",
    "n_items": "items sold, one per round (SequentialSales)",
    "n_tasks": "tasks assigned, one per round (TaskScheduling)",
    "distribution": "type distribution: uniform or asymmetric (SequentialSales, TaskScheduling)",
    "makespan_rule": "queue or curry2024 (TaskScheduling)",
    "size": "side of the torus grid (GridworldAMA)",
    "gamma": "discount factor (GridworldAMA)",
}
_OPTION_TYPES = {"distribution": str, "makespan_rule": str, "gamma": float}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of the ``bilevel`` subcommand."""
    parser.add_argument(
        "--env", required=True, help="AMA env id, e.g. econ_envs/SequentialSales-v0"
    )
    parser.add_argument(
        "--method",
        choices=tuple(METHOD_CONFIGS),
        default="zeroth-order",
        help="optimizer (default: zeroth-order)",
    )
    for option, text in DOMAIN_OPTIONS.items():
        parser.add_argument(flag(option), type=_OPTION_TYPES.get(option, int), help=text)
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--n-starts",
        type=int,
        default=1,
        help="independent starts (VCG, then noisy); the best on validation is kept (default: 1)",
    )
    parser.add_argument(
        "--optimize-weights",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="optimize the agents' weights too (default: only for asymmetric distributions)",
    )
    parser.add_argument(
        "--eval-profiles",
        type=int,
        default=10_000,
        help="type profiles of the official evaluation (default: 10000)",
    )
    parser.add_argument(
        "--eval-seed", type=int, default=0, help="seed of the official evaluation (default: 0)"
    )
    settings: dict[str, dict[str, object]] = {}  # setting -> {method: default}
    for method, config_type in METHOD_CONFIGS.items():
        for spec in fields(config_type):
            settings.setdefault(spec.name, {})[method] = spec.default
    for setting, defaults in settings.items():
        described = ", ".join(f"{method} {value}" for method, value in defaults.items())
        kind = type(next(iter(defaults.values())))
        parser.add_argument(
            flag(setting),
            type=kind,
            default=None,
            help=f"{SETTING_HELP[setting]} (default: {described})",
        )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="result JSON (default runs/bilevel/<run name>.json)",
    )
    add_track_option(parser)
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show a progress bar (default: on)",
    )


def run(args: argparse.Namespace) -> int:
    """Run one optimization; print the evaluation; return the exit status.

    ``--env``, the domain options and the method settings are checked before anything runs (no
    W&B run, no optimization); a bad one raises :class:`~baselines.cli_errors.UsageError`.
    """
    config_type = METHOD_CONFIGS[args.method]
    overrides = {f.name: getattr(args, f.name) for f in fields(config_type)}
    domain_kwargs = {k: getattr(args, k) for k in DOMAIN_OPTIONS if getattr(args, k) is not None}
    check_ama_env(args.env, domain_kwargs)
    try:
        config = config_type(**{k: v for k, v in overrides.items() if v is not None})
    except (ValueError, TypeError) as error:
        raise usage_error(error, {k: flag(k) for k in overrides}, "--method") from None
    name = run_name(args.env, f"bilevel-{args.method}", args.seed)
    tracker = None
    if args.track:
        tracker = init_wandb(
            "econ_envs-bilevel",
            name,
            {
                "env_id": args.env,
                "method": args.method,
                "seed": args.seed,
                "n_starts": args.n_starts,
                **domain_kwargs,
                **overrides,
            },
            job_type="bilevel",
        )
    with imports_without_gc():  # torch: only once the options are checked
        from baselines.bilevel.runner import optimize

    log = None if tracker is None else (lambda step, metrics: tracker.log(metrics, step=step))
    result = optimize(
        args.env,
        args.method,
        config=config,
        n_starts=args.n_starts,
        seed=args.seed,
        optimize_weights=args.optimize_weights,
        eval_profiles=args.eval_profiles,
        eval_seed=args.eval_seed,
        log=log,
        progress=args.progress,
        **domain_kwargs,
    )
    evaluation = result.evaluation
    if tracker is not None:
        tracker.summary.update(
            {
                f"eval/{k}": v
                for k, v in evaluation.items()
                if isinstance(v, (int, float)) and v is not None
            }
        )
        tracker.finish()
    path = result.write_json(args.output or Path("runs") / "bilevel" / f"{name}.json")
    print(
        f"{args.env} {args.method}: {evaluation['objective_name']} "
        f"{evaluation['objective']:.4f} ± {evaluation['objective_se']:.4f} "
        f"(VCG {evaluation['vcg_objective']:.4f}) in {result.wall_clock_s:.1f} s -> {path}"
    )
    return 0
