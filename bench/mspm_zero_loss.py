"""How often, and how fast, the exact search of ``baselines.oracles.mspm_zero_loss`` finds a
welfare-loss-0 MSPM table (follower regret 0 on the leaderboards' 10 evaluation seeds), one
search per seed, next to the published success rates of the Stackelberg POMDP paper's learning
method (5 types: 4% with 2 messages, 40% with 3). Not a test; prints a table::

    python bench/mspm_zero_loss.py --settings 5x2 5x3 --seeds 0-9 --time-limit 1200
"""

from __future__ import annotations

import argparse
import time

from baselines.oracles.mspm_zero_loss import REGRET_TOLERANCE, TOLERANCE, zero_loss_mspm_table

#: setting -> (n_types, n_messages, published success rate of the learning method)
SETTINGS = {
    "3x2": (3, 2, 1.00),
    "4x2": (4, 2, 1.00),
    "5x2": (5, 2, 0.04),
    "5x3": (5, 3, 0.40),
}


def _seeds(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--settings", nargs="+", default=["5x2", "5x3"], choices=list(SETTINGS))
    parser.add_argument("--seeds", default="0-9", help="a seed or a range a-b")
    parser.add_argument("--time-limit", type=float, default=1200.0, help="seconds per search")
    args = parser.parse_args()
    rows = []
    for setting in args.settings:
        n_types, n_messages, published = SETTINGS[setting]
        times = []
        for seed in _seeds(args.seeds):
            started = time.perf_counter()
            result = zero_loss_mspm_table(
                n_types=n_types, n_messages=n_messages, seed=seed, time_limit=args.time_limit
            )
            seconds = time.perf_counter() - started
            solved = result.regret <= REGRET_TOLERANCE and result.value >= -TOLERANCE
            times.append(seconds if solved else None)
            print(
                f"{setting} seed {seed}: value {result.value:.4f}, regret {result.regret:.4f}, "
                f"{result.evaluations} tables in {seconds:.0f} s{' (optimal)' if solved else ''}",
                flush=True,
            )
        found = sorted(t for t in times if t is not None)
        shown = (
            "-"
            if not found
            else f"{found[0]:.0f}-{found[-1]:.0f} (median {found[len(found) // 2]:.0f})"
        )
        rows.append(f"| {setting} | {len(found)}/{len(times)} | {shown} | {published:.0%} |")
    print("| types x messages | optimum found | seconds | published (learning) |")
    print("|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
