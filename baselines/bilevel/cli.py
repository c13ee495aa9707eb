"""``econ-baselines bilevel``: optimize the AMA parameters of an AMA environment.

Example::

    econ-baselines bilevel --env econ_envs/SequentialSales-v0 --n-agents 3 --n-items 2 \\
        --method zeroth-order --n-starts 4 --seed 0

Writes the result (parameters, official evaluation, VCG beside it, provenance) as JSON and logs
one W&B run (offline unless W&B is configured) per optimization.
"""

from __future__ import annotations

import argparse
from dataclasses import fields
from pathlib import Path

from baselines.bilevel.methods import METHODS
from baselines.bilevel.runner import optimize
from baselines.cli_errors import check_ama_env, flag, usage_error
from baselines.tracking import init_wandb, run_name

DOMAIN_OPTIONS = (
    "n_agents",
    "n_items",
    "n_tasks",
    "distribution",
    "makespan_rule",
    "size",
    "gamma",
)
_OPTION_TYPES = {"distribution": str, "makespan_rule": str, "gamma": float}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of the ``bilevel`` subcommand."""
    parser.add_argument("--env", required=True, help="AMA env id: econ_envs/SequentialSales-v0")
    parser.add_argument("--method", choices=tuple(METHODS), default="zeroth-order")
    for option in DOMAIN_OPTIONS:
        parser.add_argument(f"--{option.replace('_', '-')}", type=_OPTION_TYPES.get(option, int))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-starts", type=int, default=1)
    parser.add_argument(
        "--optimize-weights",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="default: only for asymmetric distributions",
    )
    parser.add_argument("--eval-profiles", type=int, default=10_000)
    parser.add_argument("--eval-seed", type=int, default=0)
    settings: dict[str, dict[str, object]] = {}  # setting -> {method: default}
    for method, (_, config_type) in METHODS.items():
        for spec in fields(config_type):
            settings.setdefault(spec.name, {})[method] = spec.default
    for setting, defaults in settings.items():
        described = ", ".join(f"{method}: {value}" for method, value in defaults.items())
        kind = type(next(iter(defaults.values())))
        parser.add_argument(
            f"--{setting.replace('_', '-')}",
            type=kind,
            default=None,
            help=f"method setting (defaults: {described})",
        )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="result JSON (default runs/bilevel/<run name>.json)",
    )
    parser.add_argument("--wandb", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=True)


def run(args: argparse.Namespace) -> int:
    """Run one optimization; print the evaluation; return the exit status.

    ``--env``, the domain options and the method settings are checked before anything runs (no
    W&B run, no optimization); a bad one raises :class:`~baselines.cli_errors.UsageError`.
    """
    _, config_type = METHODS[args.method]
    overrides = {f.name: getattr(args, f.name) for f in fields(config_type)}
    domain_kwargs = {k: getattr(args, k) for k in DOMAIN_OPTIONS if getattr(args, k) is not None}
    check_ama_env(args.env, domain_kwargs)
    try:
        config = config_type(**{k: v for k, v in overrides.items() if v is not None})
    except (ValueError, TypeError) as error:
        raise usage_error(error, {k: flag(k) for k in overrides}, "--method") from None
    name = run_name(args.env, f"bilevel-{args.method}", args.seed)
    tracker = None
    if args.wandb:
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
            directory="runs",
        )
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
