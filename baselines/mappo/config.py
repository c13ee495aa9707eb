"""The typed configuration of one PPO / MAPPO training run."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from baselines import presets
from econ_envs import CHECK_SEEDS, MAX_EXACT_PLAYS, TRAINING_SEEDS, exact_plays, game_of

ALGOS = ("mappo", "ppo")
#: the most CPU threads a run may ask torch for (torch crashes when asked for ~100,000)
MAX_TORCH_THREADS = 256
#: the largest seed (numpy's legacy global stream, which tianshou shuffles with, takes 32 bits)
MAX_SEED = 2**32 - 1
#: the default budget of a run that stops on the optimum: the published budget of one run
#: (Brero et al.: restarts of up to 10^8 steps); stopping early makes a large budget free
STEPS_UNTIL_SOLVED = 10**8
#: the default budget of a run that does not stop on the optimum (``stop_when_solved=False``)
STEPS_WITHOUT_STOP = 2_000_000


#: the valid range of every numeric field of :class:`TrainConfig`: (fields, test, what the test
#: asks, as the message says it)
RANGES: tuple[tuple[tuple[str, ...], Callable[[Any], bool], str], ...] = (
    (("seed",), lambda v: 0 <= v <= MAX_SEED, f"between 0 and {MAX_SEED} (2**32 - 1)"),
    (
        ("total_steps", "num_envs", "rollout_steps", "update_epochs", "num_minibatches"),
        lambda v: v >= 1,
        ">= 1",
    ),
    (
        ("torch_threads",),
        lambda v: 1 <= v <= MAX_TORCH_THREADS,
        f"between 1 and {MAX_TORCH_THREADS}",
    ),
    (
        ("gamma", "gae_lambda", "explore_eps", "elite_fraction", "elite_mutation"),
        lambda v: 0.0 <= v <= 1.0,
        "in [0, 1]",
    ),
    (("learning_rate", "clip", "max_grad_norm"), lambda v: 0.0 < v < math.inf, "> 0 and finite"),
    (("ent_coef", "vf_coef"), lambda v: 0.0 <= v < math.inf, ">= 0 and finite"),
    (("eval_every", "checkpoint_seconds", "solve_tolerance"), lambda v: v >= 0, ">= 0"),
    (("time_limit",), lambda v: v is None or v > 0.0, "> 0 seconds"),
)


@dataclass
class TrainConfig:
    """Everything that defines a training run (CleanRL-style; ``None`` = the env's preset).

    Attributes:
        env_id: a Stackelberg POMDP id, e.g. ``"econ_envs/MessageAllocation-v0"``.
        env_kwargs: keywords of ``gym.make_vec`` (game parameters, ``response_iterations``, ...).
        algo: ``"mappo"`` (critic reads the privileged state and the observation) or ``"ppo"``
            (critic reads the observation only). The actor always reads the observation only.
        seed: seeds torch, the exploration stream and the envs' random streams.
        total_steps: env steps to train for (default: 10^8, the published budget of one run,
            when ``stop_when_solved``, which ends the run at the optimum; else 2,000,000).
        num_envs: episodes stepped together by the native vector env (preset: 1024 for MSPM,
            else about one episode per env per rollout, see :func:`baselines.presets.num_envs`).
        learning_rate: Adam learning rate (preset: 3e-4, 3e-6 for MSPM).
        rollout_steps: env steps collected per update (preset: the published formula, times
            the preset's ``rollout_factor``, see :data:`baselines.presets.PRESETS`).
        gamma: discount (1: the return is the mean reward-phase utility).
        gae_lambda: GAE lambda.
        update_epochs: passes over each rollout (preset: 10, Stable-Baselines3's default; 4
            for MessageAllocation, see :data:`baselines.presets.PRESETS`).
        num_minibatches: minibatches per pass (preset: 8: far larger minibatches than SB3's 64
            samples, for CPU throughput, yet enough gradient steps per rollout to learn).
        clip: PPO ratio clip.
        ent_coef: entropy bonus weight (default 0: exploration comes from sampling each
            observation's committed action; a bonus inflates the Gaussian std of Box actions).
        vf_coef: value loss weight.
        max_grad_norm: gradient clipping norm.
        hidden_sizes: widths of the actor's and the critic's hidden layers (each >= 1).
        torch_threads: CPU threads of torch's kernels (1 to 256). A run is bit-for-bit
            reproducible for a given count and differs between counts; 2 updates ~1.3x faster
            than 1 on 2 cores (the env steps in one thread either way).
        explore_eps: probability that an observation of a new episode's table gets a uniform
            action (the reference's final epsilon, 0.05).
        first_episode_uniform: every env's first episode plays a uniform table (the reference
            starts with epsilon 1 until its first episode ends).
        equilibrium_penalty: the reference's equilibrium penalty: an episode whose followers
            are not in equilibrium against its realized table (exact check when the reward
            phase begins) pays -1 / reward_plays per reward play instead of the leader's
            utility (``StopOnThresholdWrapper.step`` of the reference).
        elite_fraction: probability that a new episode plays a mutation of the elite, the
            table of the best verified training episode so far, instead of a table drawn from
            the policy (:mod:`baselines.mappo.elite`: a local search beside the policy's
            exploration, ours; PPO learns from the policy's episodes only). 0: off, the
            reference method; 0.8 finds the 5-type MSPM optima (see the README).
        elite_mutation: probability that a small-step mutation of the elite moves each row.
        aggregate_repeats: the actor learns from two samples per (episode, observation), the
            sums of its visits' positive and negative advantages (an exact reduction of the
            full-batch clipped loss; advantages normalized over the whole batch), the critic
            from those samples' states (see :mod:`baselines.mappo.aggregation`). Off: every
            visit is a sample and tianshou normalizes advantages per minibatch.
        basic_pomdp: ablation: drop response-phase transitions from training.
        eval_every: env steps between deterministic (policy-table) evaluations (0: only at the
            end).
        eval_seeds: follower-dynamics seeds of the exact evaluations that training verifies
            tables, picks the exported table and stops on (default: the training seeds 0..29,
            :data:`econ_envs.TRAINING_SEEDS`; the leaderboards score on other seeds).
        check_seeds: held-out follower-dynamics seeds on which the exported table is scored
            once at the end and reported beside its score on ``eval_seeds`` (nothing selects
            on them; default: 100..149, :data:`econ_envs.CHECK_SEEDS`; must not share a seed
            with ``eval_seeds``).
        checkpoint_seconds: training seconds between checkpoints, written atomically after an
            update (0: after every update); a killed run resumes from its last checkpoint and
            ends exactly as the uninterrupted run would.
        run_dir: where checkpoints, the exported table and the W&B run go.
        wandb_project: W&B project name.
        wandb_group: W&B group (default: the env's name; a sweep groups its trials by sweep).
        track: log a W&B run.
        progress: show a progress bar.
        stop_when_solved: stop as soon as the best verified table or the deterministic policy's
            table is optimal (the reference stops when its best verified policy reaches the
            threshold).
        solve_tolerance: a table is optimal when its exact value is within this of the optimum
            for every evaluation seed and its exact follower regret is 0 (preset: 0.02; MSPM:
            0.005 welfare loss).
        time_limit: stop after this many seconds of training, > 0 (``None``: no limit).

    Every numeric field is checked against its range in :data:`RANGES` (``ValueError``).
    """

    env_id: str = "econ_envs/MessageAllocation-v0"
    env_kwargs: dict[str, Any] = field(default_factory=dict)
    algo: str = "mappo"
    seed: int = 0
    total_steps: int | None = None
    num_envs: int | None = None
    learning_rate: float | None = None
    rollout_steps: int | None = None
    gamma: float = 1.0
    gae_lambda: float = 0.95
    update_epochs: int | None = None
    num_minibatches: int | None = None
    clip: float = 0.2
    ent_coef: float = 0.0
    vf_coef: float = 0.5
    max_grad_norm: float = 0.5
    hidden_sizes: tuple[int, ...] = (64, 64)
    torch_threads: int = 2
    explore_eps: float = 0.05
    first_episode_uniform: bool = True
    equilibrium_penalty: bool = True
    elite_fraction: float = 0.0
    elite_mutation: float = 0.1
    aggregate_repeats: bool = True
    basic_pomdp: bool = False
    eval_every: int = 200_000
    eval_seeds: tuple[int, ...] = TRAINING_SEEDS
    check_seeds: tuple[int, ...] = CHECK_SEEDS
    checkpoint_seconds: float = 60.0
    run_dir: str = "runs"
    wandb_project: str = "econ_envs"
    wandb_group: str | None = None
    track: bool = True
    progress: bool = True
    stop_when_solved: bool = True
    solve_tolerance: float | None = None
    time_limit: float | None = None

    def __post_init__(self) -> None:
        if self.algo not in ALGOS:
            raise ValueError(f"algo must be one of {ALGOS}, got {self.algo!r}")
        chosen = presets.preset(self.env_id)
        self.env_kwargs = {**chosen.env_kwargs, **self.env_kwargs}
        if self.learning_rate is None:
            self.learning_rate = chosen.learning_rate
        if self.rollout_steps is None:
            published = presets.rollout_steps(self.env_id, self.env_kwargs)
            self.rollout_steps = chosen.rollout_factor * published
        if self.update_epochs is None:
            self.update_epochs = chosen.update_epochs
        if self.solve_tolerance is None:
            self.solve_tolerance = chosen.solve_tolerance
        if self.num_minibatches is None:
            self.num_minibatches = chosen.num_minibatches
        if self.num_envs is None:
            self.num_envs = chosen.num_envs or presets.num_envs(
                self.env_id, self.env_kwargs, self.rollout_steps
            )
        if self.total_steps is None:
            self.total_steps = STEPS_UNTIL_SOLVED if self.stop_when_solved else STEPS_WITHOUT_STOP
        self.hidden_sizes = tuple(self.hidden_sizes)
        self.eval_seeds = tuple(self.eval_seeds)
        self.check_seeds = tuple(self.check_seeds)
        for names, valid, expected in RANGES:
            for name in names:
                value = getattr(self, name)
                if not valid(value):  # a comparison with NaN is False: NaN is refused too
                    raise ValueError(f"{name} must be {expected}, got {value!r}")
        if not all(size >= 1 for size in self.hidden_sizes):
            raise ValueError(f"hidden_sizes must be >= 1 each, got {self.hidden_sizes!r}")
        if self.rollout_steps < self.num_envs:
            raise ValueError(
                f"rollout_steps ({self.rollout_steps}) must be >= num_envs ({self.num_envs})"
            )
        for name in ("eval_seeds", "check_seeds"):
            if not getattr(self, name):
                raise ValueError(f"{name} must name at least one seed")
        shared = sorted(set(self.eval_seeds) & set(self.check_seeds))
        if shared:
            raise ValueError(
                f"check_seeds must be held out: they share seeds {shared[:5]} with eval_seeds"
            )
        plays = exact_plays(game_of(self.env_id, **self.env_kwargs))
        if plays > MAX_EXACT_PLAYS:
            raise ValueError(
                f"env_kwargs: {self.env_id} with {self.env_kwargs} has {plays:,} plays per "
                f"policy table (type x message profiles); training checks and evaluates tables "
                f"exactly, which allows at most {MAX_EXACT_PLAYS:,}"
            )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly copy (for W&B, checkpoints and exported tables)."""
        return asdict(self)
