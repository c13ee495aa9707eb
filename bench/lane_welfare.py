"""Social welfare of lane coordination with the learned transfer against no transfer
(``econ_envs/LaneCoordination-v0``, logit followers), for 5, 10 and 20 agents.

The transfer is learned by the two-timescale baseline (:mod:`baselines.lane`) with short
episodes; both transfers are then evaluated on the same seeds with the env's default episode
(100 response iterations, 20 reward plays). Welfare is the sum over agents of
``-beta * sum_j (x_i - x_j)^2 - delta * u_i`` (transfers excluded), mean +- standard error over
episodes; "coordinated" is the welfare if everyone met at the best point (only effort is lost).

Run: ``python bench/lane_welfare.py [--agents 5 10 20] [--steps 15] [--episodes 32]``.
Prints a markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from baselines.lane import ENV_ID, TwoTimescaleConfig, train, welfare
from econ_envs.policy_table import game_of

TRAIN_EPISODES = {"response_iterations": 50, "reward_plays": 10}
EVAL_SEED = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, nargs="+", default=[5, 10, 20])
    parser.add_argument("--steps", type=int, default=15, help="designer updates")
    parser.add_argument("--episodes", type=int, default=32, help="evaluation episodes")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(
        "| agents | no transfer | learned transfer | gain | coordinated | coefficients "
        "(w0, w1, w2) | seconds |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in args.agents:
        start = time.perf_counter()
        config = TwoTimescaleConfig(
            n_agents=n, steps=args.steps, seed=args.seed, env_kwargs=TRAIN_EPISODES
        )
        learned = train(config).action
        none = welfare(n, np.zeros((args.episodes, len(learned))), seed=EVAL_SEED)
        with_transfer = welfare(n, np.tile(learned, (args.episodes, 1)), seed=EVAL_SEED)
        game = game_of(ENV_ID, n_agents=n)
        # everyone meets at the largest start position: only the effort is lost
        coordinated = -game.delta * n * np.mean(game.starts.max() - game.starts)
        scale = game.transfer_scale
        print(
            f"| {n} | {_mean_se(none)} | {_mean_se(with_transfer)} | "
            f"{with_transfer.mean() - none.mean():+.3f} | {coordinated:.3f} | "
            f"{tuple(np.round(scale * learned, 2).tolist())} | "
            f"{time.perf_counter() - start:.0f} |",
            flush=True,
        )


def _mean_se(values: np.ndarray) -> str:
    return f"{values.mean():.3f} ± {values.std(ddof=1) / np.sqrt(len(values)):.3f}"


if __name__ == "__main__":
    main()
