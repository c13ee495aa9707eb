"""The MSPM success-rate protocol of the Stackelberg POMDP paper as a sweep
(``sweeps/mspm_published.yaml``: types/messages 3/2, 4/2, 5/2, 5/3; runs x restarts), printed next
to the published success rates and mean welfare losses, with the whole sweep's wall clock.

A run succeeds when one of its restarts reaches welfare loss 0 (within the MSPM preset's 0.005)
with follower regret 0. The full protocol is 1,000 trials (days on 2 cores); shrink it with
``--runs``, ``--restarts`` and ``--time-limit`` (seconds of training per trial), or print the table
of a finished sweep with ``--summary DIR``. Not a test; run it by hand::

    python bench/sweep.py --runs 5 --restarts 2 --time-limit 120
    python bench/sweep.py --summary runs/sweeps/mspm_published
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

from baselines.sweep.layout import SUMMARY_JSON
from baselines.sweep.schema import parse_sweep

SWEEP_FILE = Path(__file__).resolve().parents[1] / "sweeps" / "mspm_published.yaml"
#: setting -> (published success rate, published mean welfare loss or None)
PUBLISHED = {
    "mspm-3x2": (1.00, None),
    "mspm-4x2": (1.00, None),
    "mspm-5x2": (0.04, 0.009),
    "mspm-5x3": (0.40, 0.006),
}


def table(summary: dict[str, Any]) -> str:
    """Success rate and mean welfare loss per setting, ours next to the published ones."""
    lines = [
        "| setting | runs | successes | success rate | published | mean loss | published |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in summary["rows"]:
        rate, loss = PUBLISHED[row["setting"]]
        ours = row["successes"] / row["runs"] if row["runs"] else float("nan")
        mean_loss = "–" if row["mean"] is None else f"{0.0 - row['mean']:.4f}"
        published_loss = "–" if loss is None else f"{loss:.3f}"
        lines.append(
            f"| {row['setting']} | {row['runs']} | {row['successes']} | {ours:.0%} | {rate:.0%} "
            f"| {mean_loss} | {published_loss} |"
        )
    lines.append(f"\nwhole sweep: {summary['trials']} trials, {summary['wall_clock_s']:.0f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="runs per setting (25)")
    parser.add_argument("--restarts", type=int, default=None, help="restarts per run (10)")
    parser.add_argument("--time-limit", type=float, default=None, help="training s per trial")
    parser.add_argument("--sweeps-dir", type=Path, default=Path("runs") / "sweeps")
    parser.add_argument("--summary", type=Path, default=None, help="a finished sweep's directory")
    parser.add_argument("--address", default=None, help="Ray cluster to join")
    args = parser.parse_args()
    if args.summary is None:
        from baselines.sweep.runner import run_sweep

        data = yaml.safe_load(SWEEP_FILE.read_text())
        for key, value in (("runs", args.runs), ("restarts", args.restarts)):
            if value is not None:
                data[key] = value
        if args.time_limit is not None:
            data["hyperparameters"]["time_limit"] = args.time_limit
        if (args.runs, args.restarts, args.time_limit) != (None, None, None):
            data["name"] += f"_r{data['runs']}x{data['restarts']}_t{args.time_limit}"
        config = parse_sweep(data)
        args.summary = args.sweeps_dir / config.name
        run_sweep(config, args.summary, address=args.address, resume=args.summary.exists())
    print(table(json.loads((args.summary / SUMMARY_JSON).read_text())))


if __name__ == "__main__":
    main()
