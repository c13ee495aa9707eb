"""Per-environment hyperparameters of the Stackelberg POMDP baselines (Brero et al.).

The published recipe: undiscounted returns (``gamma = 1``), learning rate ``3e-4`` (``3e-6`` for
MSPM), and a rollout of ``min(1 + response plays / reward plays, 100) x 2048`` steps, so that
one rollout holds about 2048 paid plays. *Response plays* are the plays of the response phase,
as the env's follower dynamics schedule it (:func:`econ_envs.response_schedule`: e.g. 250
iterations of ``sum_i M_i`` plays for the multiplicative-weights followers of MSPM, one
iteration of ``prod_i M_i`` plays per type profile for ``"best_response"``). Every value is
overridable on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from econ_envs import game_of, response_schedule

PAID_PLAYS_PER_ROLLOUT = 2048
MAX_ROLLOUT_FACTOR = 100


@dataclass(frozen=True)
class Preset:
    """Published hyperparameters of one env id.

    Attributes:
        learning_rate: Adam learning rate.
        num_envs: episodes collected side by side; ``None``: :func:`num_envs` (ours, not
            published).
        update_epochs: PPO passes over each rollout (ours, not published; the reference used
            Stable-Baselines3's default of 10).
        num_minibatches: minibatches per pass (ours, not published).
        rollout_factor: the rollout is this many published rollouts (:func:`rollout_steps`; ours,
            not published: more envs side by side keep the learner's fixed costs per env step
            low).
        solve_tolerance: distance to the optimum within which a table counts as optimal.
        env_kwargs: keywords passed to ``gym.make_vec`` besides the id.
    """

    learning_rate: float = 3e-4
    num_envs: int | None = None
    update_epochs: int = 10
    num_minibatches: int = 8
    rollout_factor: int = 1
    solve_tolerance: float = 0.02
    env_kwargs: dict[str, Any] = field(default_factory=dict)


#: the update of the throughput-bound presets: one full-batch minibatch and 4 epochs (4 optimizer
#: steps per rollout instead of 80; each step has ~1.5 ms of fixed cost whatever its size).
#: Measured with 128 envs (~2,000 samples per rollout after aggregation; bench/learning.py, 5
#: seeds each): MSPM 3/2 finds the optimum at the same env steps (the search finds it, not the
#: slow lr), 4/2 5/5 in 6-20 s (80 steps: 8-51 s), MessageAllocation at the same step.
FULL_BATCH = {"update_epochs": 4, "num_minibatches": 1}

#: the throughput-bound presets step 1024 envs, the batch the engine is fastest at, with rollouts
#: 8 (MSPM) or 15 (MessageAllocation) times the published length, so that each env collects as
#: many steps per rollout as before (MSPM: 176, as 128 envs did; MessageAllocation: one 129-step
#: episode). Measured (bench/learning.py, 5 seeds each, 2-core CPU, 2 torch threads): MSPM 3/2
#: 5/5 in 6-8 s, 4/2 5/5 in 6-26 s, MessageAllocation 5/5 at the first verified episode (3-4 s);
#: the 1M-step training loop runs at 490-520k (MSPM) and 680-810k (MessageAllocation) env
#: steps/s, from 161-203k and 214-265k with 128 and 68 envs and 1 thread.
WIDE = {"rollout_factor": 8, "num_envs": 1024}

PRESETS: dict[str, Preset] = {
    # the published threshold: welfare loss 0 (we allow 0.005)
    "econ_envs/MSPM-v0": Preset(learning_rate=3e-6, solve_tolerance=0.005, **WIDE, **FULL_BATCH),
    "econ_envs/MSPM-Agrawal-v0": Preset(
        learning_rate=3e-6, solve_tolerance=0.005, **WIDE, **FULL_BATCH
    ),
    # num_envs from the rollout: about one episode per env per rollout (1023 envs)
    "econ_envs/MessageAllocation-v0": Preset(rollout_factor=15, **FULL_BATCH),
    # mixed leader: value >= 0.90 of the supremum 0.9167 (pure: the optimum 0.6667 exactly)
    "econ_envs/Maintain-v0": Preset(solve_tolerance=0.0166),
    # the optimum 1.0 exactly: an off-diagonal cell with no transfer paid
    "econ_envs/MatrixDesign-v0": Preset(solve_tolerance=0.0),
}


def preset(env_id: str) -> Preset:
    """The preset of ``env_id`` (the defaults of :class:`Preset` when none is registered)."""
    return PRESETS.get(env_id, Preset())


def response_plays(env_id: str, env_kwargs: dict[str, Any]) -> int:
    """Plays of the response phase of one episode of ``env_id``, as its dynamics schedule it."""
    return response_schedule(env_id, **env_kwargs).plays


def reward_plays(env_id: str, env_kwargs: dict[str, Any]) -> int:
    """Plays of the reward phase of one episode of ``env_id``."""
    plays = env_kwargs.get("reward_plays")
    return int(game_of(env_id, **env_kwargs).spec.reward_plays if plays is None else plays)


def rollout_steps(env_id: str, env_kwargs: dict[str, Any]) -> int:
    """The published rollout length: ``min(1 + response/reward plays, 100) x 2048`` steps."""
    factor = 1 + response_plays(env_id, env_kwargs) / reward_plays(env_id, env_kwargs)
    return int(min(factor, MAX_ROLLOUT_FACTOR) * PAID_PLAYS_PER_ROLLOUT)


def episode_steps(env_id: str, env_kwargs: dict[str, Any]) -> int:
    """An upper bound on the leader steps of one episode: every play takes the horizon."""
    horizon = game_of(env_id, **env_kwargs).spec.horizon
    return (response_plays(env_id, env_kwargs) + reward_plays(env_id, env_kwargs)) * horizon


def num_envs(env_id: str, env_kwargs: dict[str, Any], rollout: int) -> int:
    """Envs such that each completes about one episode per rollout of ``rollout`` steps (the
    leader is only paid at the end of an episode; a rollout of partial episodes carries no
    reward), between 16 and 1024."""
    return int(min(1024, max(16, rollout // episode_steps(env_id, env_kwargs))))
