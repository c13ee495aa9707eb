"""``econ-baselines sweep``: run a sweep file on Ray Tune (``econ-envs-baselines[distributed]``).

Examples::

    econ-baselines sweep --config sweeps/mspm_published.yaml                # all local cores
    econ-baselines sweep --config sweeps/mspm_published.yaml --address auto # a Ray cluster
    econ-baselines sweep --resume runs/sweeps/mspm_published                # continue a sweep
    econ-baselines sweep --config sweeps/ama_tables.yaml --submit best      # fill the boards

The sweep file is checked before Ray starts (a bad field exits with one line naming it). The
sweep directory is ``<--sweeps-dir>/<name>`` (see :mod:`baselines.sweep.layout`).
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from baselines.cli_errors import UsageError
from baselines.sweep.layout import SWEEP_FILE


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of the ``sweep`` subcommand."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", type=Path, help="sweep file (YAML), e.g. sweeps/smoke.yaml")
    source.add_argument("--resume", type=Path, help="sweep directory of a sweep to continue")
    parser.add_argument(
        "--address", default=None, help="Ray cluster to join (auto: the local cluster)"
    )
    parser.add_argument(
        "--sweeps-dir",
        type=Path,
        default=Path("runs") / "sweeps",
        help="where --config creates the sweep directory <name>/ (default runs/sweeps)",
    )
    parser.add_argument(
        "--submit",
        choices=("best",),
        default=None,
        help="best: submit each setting's best trial to the local leaderboard",
    )
    parser.add_argument(
        "--results", type=Path, default=None, help="leaderboard results root (for --submit)"
    )


def run(args: argparse.Namespace) -> int:
    """Check the sweep file, run the sweep, print its summary (and submit); return 0. A bad
    sweep file or option raises :class:`~baselines.cli_errors.UsageError` before Ray starts."""
    from baselines.sweep.file import load_sweep
    from baselines.sweep.schema import SweepError

    if args.resume is not None:
        sweep_dir = args.resume
        if not (sweep_dir / SWEEP_FILE).is_file():
            raise UsageError(f"--resume: no {SWEEP_FILE} in {sweep_dir}")
        source = sweep_dir / SWEEP_FILE
    else:
        source = args.config
    try:
        config = load_sweep(source)
    except SweepError as error:
        raise UsageError(str(error)) from None
    if args.address is None and config.cpus_per_trial > (os.cpu_count() or 1):
        raise UsageError(
            f"cpus_per_trial: {config.cpus_per_trial} CPUs per trial, but this machine has "
            f"{os.cpu_count()} (a local Ray would wait forever; --address runs on a cluster)"
        )
    from baselines.sweep.runner import run_sweep  # Ray: checked file first, nothing written yet

    if args.resume is None:
        sweep_dir = args.sweeps_dir / config.name
        if (sweep_dir / SWEEP_FILE).exists():
            raise UsageError(f"--config: {sweep_dir} exists; continue it with --resume {sweep_dir}")
        sweep_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, sweep_dir / SWEEP_FILE)
    rows = run_sweep(config, sweep_dir, address=args.address, resume=args.resume is not None)
    if args.submit == "best":
        from baselines.sweep.submit import submit_best

        submit_best(sweep_dir, rows, results_dir=args.results, wandb_dir=sweep_dir)
    return 0
