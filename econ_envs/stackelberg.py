"""The Stackelberg POMDP (SPEC §1.3), batched: ``B`` independent episodes advanced together.

An episode is a schedule of plays of the base game. **Response phase**: ``response_iterations``
iterations of the follower dynamics; each iteration's plays (e.g. every unilateral deviation) are
real plays in which the leader acts at every step; leader reward 0. **Reward phase**:
``reward_plays`` plays with fresh types and the followers' final strategies; the leader is paid
its utility / ``reward_plays`` when each play ends, so the return is the mean utility.

Plays end when the game says so (no padded steps); every episode keeps its own counters, so the
rows of a batch drift apart freely. This class is the single implementation behind the gymnasium
single env (a batch of one), the native vector env and the policy-table evaluator's checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from econ_envs.followers import make_dynamics
from econ_envs.games import StackelbergGame
from econ_envs.random import StreamBatch
from econ_envs.validation import check_positive_int

RESPONSE, REWARD = 0, 1
PHASE_NAMES = np.array(["response", "reward"])


@dataclass
class StepResult:
    """What one batched step produced (arrays over the batch)."""

    reward: NDArray[np.float64]
    terminated: NDArray[np.bool_]
    phase: NDArray[np.int8]  # phase of the play the step belonged to
    play_ended: NDArray[np.bool_]
    leader_utility: NDArray[np.float64]  # valid where play_ended
    follower_utilities: NDArray[np.float64]  # (B, n), valid where play_ended


class StackelbergEpisodes:
    """``batch`` Stackelberg episodes of one game with one kind of follower dynamics.

    Args:
        game: the base game.
        batch: number of independent episodes.
        dynamics: name of the follower dynamics (see :data:`econ_envs.followers.DYNAMICS`).
        dynamics_kwargs: keywords of the dynamics (e.g. ``{"eps": 0.01, "final": "argmax"}``).
        response_iterations: iterations of the response phase (>= 0); default the game's.
        reward_plays: plays of the reward phase (>= 1); default the game's.
    """

    def __init__(
        self,
        game: StackelbergGame,
        batch: int,
        dynamics: str = "mw",
        dynamics_kwargs: dict[str, Any] | None = None,
        response_iterations: int | None = None,
        reward_plays: int | None = None,
    ):
        self.game = game
        spec = game.spec
        self.batch = check_positive_int("num_envs", batch)
        self.dynamics = make_dynamics(dynamics, spec, game.types, batch, **(dynamics_kwargs or {}))
        if response_iterations is not None and (
            isinstance(response_iterations, bool)
            or not isinstance(response_iterations, int)
            or response_iterations < 0
        ):
            raise ValueError(
                f"response_iterations must be an integer >= 0, got {response_iterations!r}"
            )
        self.response_iterations = self.dynamics.iterations(response_iterations)
        self.reward_plays = check_positive_int(
            "reward_plays", spec.reward_plays if reward_plays is None else reward_plays
        )
        self.n = spec.n_followers
        self.plays_per_iteration = self.dynamics.plays_per_iteration
        self.max_types, self.max_messages = max(spec.n_types), max(spec.n_messages)
        self.rng = StreamBatch(batch)
        self.plays = game.new_plays(batch)
        self.phase = np.zeros(batch, np.int8)
        self.iteration = np.zeros(batch, np.intp)
        self.play = np.zeros(batch, np.intp)
        self.iteration_types = np.zeros((batch, self.n), np.intp)
        self.iteration_plays = np.zeros((batch, self.plays_per_iteration, self.n), np.intp)
        self.iteration_utilities = np.zeros((batch, self.plays_per_iteration, self.n))
        self.final_strategies = np.zeros((batch, self.n, self.max_types), np.intp)
        self.regret = np.zeros(batch)
        self.leader_utility = np.zeros(batch)
        self.follower_utilities = np.zeros((batch, self.n))
        self._layout = _StateLayout(
            self.n, self.max_types, self.max_messages, self.plays_per_iteration
        )
        self.state = np.zeros((batch, self._layout.size), np.float32)

    @property
    def state_size(self) -> int:
        """Length of the privileged state vector."""
        return self._layout.size

    def reset(self, rows: NDArray[np.intp], keys: NDArray[np.uint64] | None = None) -> None:
        """Start new episodes in ``rows``; reseed their random streams if ``keys`` are given."""
        if keys is not None:
            self.rng.seed(rows, keys)
        self.dynamics.reset(rows)
        self.phase[rows] = RESPONSE
        self.iteration[rows] = 0
        self.play[rows] = 0
        self._write_strategies(rows)
        if self.response_iterations == 0:
            self._enter_reward_phase(rows)
        else:
            self._propose(rows)
        self._start_plays(rows)

    def step(self, action: Any) -> StepResult:
        """Advance every episode by one leader step (``action`` is batch-first)."""
        action = self.game.check_action(action)
        ended = self.game.step(self.plays, action)
        reward = np.zeros(self.batch)
        terminated = np.zeros(self.batch, bool)
        phase = self.phase.copy()
        rows = np.flatnonzero(ended)
        if rows.size:
            leader, followers = self.game.utilities(self.plays, rows)
            self.leader_utility[rows] = leader
            self.follower_utilities[rows] = followers
            paid = phase[rows] == REWARD
            reward[rows[paid]] = leader[paid] / self.reward_plays
            self._end_response_plays(rows[~paid], followers[~paid])
            done = self._end_reward_plays(rows[paid])
            terminated[done] = True
            self._start_plays(rows[~terminated[rows]])
        return StepResult(
            reward, terminated, phase, ended, self.leader_utility, self.follower_utilities
        )

    def observe(self) -> NDArray[np.float32]:
        """The leader's observation of every episode's current play."""
        return self.game.observe(self.plays)

    # -- schedule -------------------------------------------------------------------------

    def _propose(self, rows: NDArray[np.intp]) -> None:
        types, plays = self.dynamics.propose(rows, self.rng)
        self.iteration_types[rows] = types
        self.iteration_plays[rows] = plays

    def _end_response_plays(self, rows: NDArray[np.intp], followers: NDArray[np.float64]) -> None:
        if not rows.size:
            return
        self.iteration_utilities[rows, self.play[rows]] = followers
        self.play[rows] += 1
        complete = rows[self.play[rows] == self.plays_per_iteration]
        if not complete.size:
            return
        self.dynamics.update(
            complete,
            self.iteration_types[complete],
            self.iteration_plays[complete],
            self.iteration_utilities[complete],
        )
        self.iteration[complete] += 1
        self.play[complete] = 0
        self._write_strategies(complete)
        over = self.iteration[complete] == self.response_iterations
        self._enter_reward_phase(complete[over])
        if not over.all():
            self._propose(complete[~over])

    def _enter_reward_phase(self, rows: NDArray[np.intp]) -> None:
        if not rows.size:
            return
        self.regret[rows] = self.dynamics.empirical_regret(rows)
        self.final_strategies[rows] = self.dynamics.finalize(rows, self.rng)
        self._write_strategies(rows)
        self.phase[rows] = REWARD

    def _end_reward_plays(self, rows: NDArray[np.intp]) -> NDArray[np.intp]:
        self.play[rows] += 1
        return rows[self.play[rows] == self.reward_plays]

    def _start_plays(self, rows: NDArray[np.intp]) -> None:
        if not rows.size:
            return
        paid = self.phase[rows] == REWARD
        types = self.iteration_types[rows]
        messages = self.iteration_plays[
            rows, np.minimum(self.play[rows], self.plays_per_iteration - 1)
        ]
        if paid.any():
            fresh = rows[paid]
            drawn = self.game.types.sample(self.rng.uniform(fresh, 1)[:, 0])
            types[paid] = drawn
            messages[paid] = self.final_strategies[fresh[:, None], np.arange(self.n), drawn]
        self.game.start(self.plays, rows, types, messages)
        self._write_play(rows, types, messages, paid)

    # -- privileged state ------------------------------------------------------------------

    def _write_play(self, rows, types, messages, paid) -> None:
        layout, state = self._layout, self.state
        play = self.play[rows]
        in_response = (self.iteration[rows] * self.plays_per_iteration + play) / max(
            1, self.response_iterations * self.plays_per_iteration
        )
        state[rows, layout.phase] = paid[:, None]
        state[rows, layout.progress] = np.where(paid, play / self.reward_plays, in_response)[
            :, None
        ]
        state[rows, layout.types] = (types[..., None] == np.arange(self.max_types)).reshape(
            len(rows), -1
        )
        state[rows, layout.messages] = (
            messages[..., None] == np.arange(self.max_messages)
        ).reshape(len(rows), -1)
        state[rows, layout.counterfactual] = (~paid[:, None]) & (
            play[:, None] == np.arange(self.plays_per_iteration)
        )

    def _write_strategies(self, rows: NDArray[np.intp]) -> None:
        if rows.size:
            self.state[rows, self._layout.strategies] = self.dynamics.strategies(rows).reshape(
                len(rows), -1
            )


class _StateLayout:
    """Slices of the privileged state vector: phase flag, progress, one-hot types and messages
    of the current play, one-hot counterfactual play under way, every follower's strategy."""

    def __init__(self, n: int, max_types: int, max_messages: int, plays: int):
        sizes = {
            "phase": 1,
            "progress": 1,
            "types": n * max_types,
            "messages": n * max_messages,
            "counterfactual": plays,
            "strategies": n * max_types * max_messages,
        }
        start = 0
        for name, size in sizes.items():
            setattr(self, name, slice(start, start + size))
            start += size
        self.size = start
