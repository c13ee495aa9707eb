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
from econ_envs.rows import gather, put_rows, row_selection
from econ_envs.state_layout import StateLayout
from econ_envs.validation import (
    MAX_ENTRIES,
    check_int,
    check_keywords,
    check_positive_int,
    check_size,
)

RESPONSE, REWARD = 0, 1
_ONE = np.array(1, np.intp)  # a 0-d array: numpy adds it faster than a Python int
_NO_ROWS = np.zeros(0, np.intp)
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

    Size guard: ``batch * (plays per iteration + 1) * state size`` (the privileged state laid
    out for every play of an iteration) may be at most
    :data:`~econ_envs.validation.MAX_ENTRIES`, checked before the episodes are allocated.
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
        check_size(
            "one-hot table entries (types ** 2 + messages ** 2)",
            max(spec.n_types) ** 2 + max(spec.n_messages) ** 2,
            MAX_ENTRIES,
            **spec.size_keywords,
        )
        params = check_keywords("dynamics_kwargs", dynamics_kwargs)
        if response_iterations is not None:
            check_int("response_iterations", response_iterations, 0)
        self.dynamics = make_dynamics(dynamics, spec, game.types, batch, **params)
        self.response_iterations = self.dynamics.iterations(response_iterations)
        self.reward_plays = check_positive_int(
            "reward_plays", spec.reward_plays if reward_plays is None else reward_plays
        )
        self.n = spec.n_followers
        self.plays_per_iteration = self.dynamics.plays_per_iteration
        self.max_types, self.max_messages = max(spec.n_types), max(spec.n_messages)
        #: where the parts of the privileged state lie (see :class:`StateLayout`)
        self.state_layout = StateLayout(
            self.n, self.max_types, self.max_messages, self.plays_per_iteration
        )
        check_size(
            "privileged-state entries (episodes x (plays per iteration + 1) x state size)",
            batch * (self.plays_per_iteration + 1) * self.state_layout.size,
            MAX_ENTRIES,
            num_envs=batch,
            **spec.size_keywords,
            dynamics=dynamics,
        )
        self.rng = StreamBatch(batch)
        self.plays = game.new_plays(batch)
        self.phase = np.zeros(batch, np.int8)
        self._rewarded = 0  # episodes in the reward phase (see _split_by_phase)
        self.iteration = np.zeros(batch, np.intp)
        #: the response play under way, as a slot (row * plays_per_iteration + play)
        self.slot = np.zeros(batch, np.intp)
        self.reward_play = np.zeros(batch, np.intp)  # reward plays done
        self.iteration_types = np.zeros((batch, self.n), np.intp)
        self.iteration_plays = np.zeros((batch, self.plays_per_iteration, self.n), np.intp)
        self.iteration_utilities = np.zeros((batch, self.plays_per_iteration, self.n))
        self.final_strategies = np.zeros((batch, self.n, self.max_types), np.intp)
        self.regret = np.zeros(batch)
        self.leader_utility = np.zeros(batch)
        self.follower_utilities = np.zeros((batch, self.n))
        self.state = np.zeros((batch, self.state_layout.size), np.float32)
        # 0-d arrays: numpy applies them faster than Python ints
        self._response_plays = np.array(max(1, self.response_iterations * self.plays_per_iteration))
        self._plays_per_iteration = np.array(self.plays_per_iteration)
        self._followers = np.arange(self.n)
        # identities whose rows are one-hot vectors (gathering rows is cheaper than comparing)
        self._type_one_hot = np.eye(self.max_types, dtype=np.float32)
        self._message_one_hot = np.eye(self.max_messages, dtype=np.float32)
        # the iteration's plays, one per *slot* (episode row * plays_per_iteration + play)
        plays = self.plays_per_iteration
        self._first_slot = np.arange(batch) * plays
        self._end_slot = self._first_slot + plays
        self._messages_by_slot = self.iteration_plays.reshape(-1, self.n)
        self._utilities_by_slot = self.iteration_utilities.reshape(-1, self.n)
        #: the privileged state of each slot from the progress column to the counterfactual
        #: one-hot (they are contiguous; one write starts a response play), as (batch, plays,
        #: width) and as one row per slot; the counterfactual one-hots never change
        layout = self.state_layout
        self._play_columns = slice(layout.progress, layout.counterfactual.stop)
        offset, width = layout.progress, layout.counterfactual.stop - layout.progress
        self._slot_states = np.zeros((batch, plays, width), np.float32)
        self._slot_states[:, :, _shift(layout.counterfactual, offset)] = np.eye(plays)
        self._state_by_slot = self._slot_states.reshape(batch * plays, -1)
        self._slot_types = _shift(layout.types, offset)
        self._slot_messages = _shift(layout.messages, offset)
        self._play_numbers = np.arange(plays)

    @property
    def play(self) -> NDArray[np.intp]:
        """Index of every episode's play under way within its iteration or its reward phase."""
        return np.where(self.phase == REWARD, self.reward_play, self.slot - self._first_slot)

    @property
    def state_size(self) -> int:
        """Length of the privileged state vector."""
        return self.state_layout.size

    def reset(self, rows: NDArray[np.intp], keys: NDArray[np.uint64] | None = None) -> None:
        """Start new episodes in ``rows``; reseed their random streams if ``keys`` are given."""
        if keys is not None:
            self.rng.seed(rows, keys)
        self.dynamics.reset(rows)
        self._rewarded -= np.count_nonzero(self.phase[rows] == REWARD)
        self.phase[rows] = RESPONSE
        self.state[rows, self.state_layout.phase] = 0.0
        self.iteration[rows] = 0
        self.slot[rows] = self._first_slot[rows]
        self.reward_play[rows] = 0
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
        rows = ended.nonzero()[0]
        if rows.size:
            self._end_plays(rows, reward, terminated)
        return StepResult(
            reward, terminated, phase, ended, self.leader_utility, self.follower_utilities
        )

    def observe(self) -> NDArray[np.float32]:
        """The leader's observation of every episode's current play."""
        return self.game.observe(self.plays)

    # -- schedule -------------------------------------------------------------------------

    def _end_plays(
        self, rows: NDArray[np.intp], reward: NDArray[np.float64], terminated: NDArray[np.bool_]
    ) -> None:
        """Record the utilities of the plays that ended in ``rows``, pay those of the reward
        phase into ``reward``, mark finished episodes in ``terminated``, start the next plays."""
        leader, followers = self.game.utilities(self.plays, rows)
        at = row_selection(rows, self.batch)
        self.leader_utility[at] = leader
        self.follower_utilities[at] = followers
        paid, unpaid = self._split_by_phase(rows)
        if unpaid.size:
            ended = followers if unpaid is rows else self.follower_utilities.take(unpaid, axis=0)
            self._end_response_plays(unpaid, ended)
        if paid.size:
            reward[paid] = self.leader_utility.take(paid) / self.reward_plays
            done = self._end_reward_plays(paid)
            if done.size:
                terminated[done] = True
                rows = rows[~terminated.take(rows)]
        self._start_plays(rows)

    def _split_by_phase(self, rows: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """``rows`` in the reward phase and ``rows`` in the response phase; no array work when
        every episode is in the same phase (at batch 1 always)."""
        if self._rewarded == 0:
            return _NO_ROWS, rows
        if self._rewarded == self.batch:
            return rows, _NO_ROWS
        return _partition(rows, self.phase.take(rows) == REWARD)

    def _propose(self, rows: NDArray[np.intp]) -> None:
        """Ask the dynamics for the next iteration of ``rows`` and lay out the privileged state
        of each of its plays (progress, types, messages; the counterfactual is fixed)."""
        types, plays = self.dynamics.propose(rows, self.rng)
        at = row_selection(rows, self.batch)
        self.iteration_types[at] = types
        self.iteration_plays[at] = plays
        count, blocks = self.plays_per_iteration, self._slot_states
        played = gather(self.iteration, rows)[:, None] * self._plays_per_iteration
        played = played + self._play_numbers
        blocks[at, :, 0] = played / self._response_plays  # the progress column
        blocks[at, :, self._slot_types] = self._one_hot(self._type_one_hot, types)[:, None]
        blocks[at, :, self._slot_messages] = self._message_one_hot.take(plays, axis=0).reshape(
            len(rows), count, -1
        )

    def _end_response_plays(self, rows: NDArray[np.intp], utilities: NDArray[np.float64]) -> None:
        """Store the follower ``utilities`` (k, n) of the response plays that ended in ``rows``;
        update the dynamics of the rows whose iteration is complete and start the next one."""
        slot = gather(self.slot, rows)
        put_rows(self._utilities_by_slot, slot, utilities)
        slot = slot + _ONE
        self.slot[row_selection(rows, self.batch)] = slot
        complete = _select(rows, slot == gather(self._end_slot, rows))
        if not complete.size:
            return
        self.dynamics.update(
            complete,
            gather(self.iteration_types, complete),
            gather(self.iteration_plays, complete),
            gather(self.iteration_utilities, complete),
        )
        at = row_selection(complete, self.batch)
        self.iteration[at] = gather(self.iteration, complete) + 1
        self.slot[at] = gather(self._first_slot, complete)
        self._write_strategies(complete)
        over, going_on = _partition(
            complete, gather(self.iteration, complete) == self.response_iterations
        )
        if over.size:
            self._enter_reward_phase(over)
        if going_on.size:
            self._propose(going_on)

    def _enter_reward_phase(self, rows: NDArray[np.intp]) -> None:
        self.regret[rows] = self.dynamics.empirical_regret(rows)
        self.final_strategies[rows] = self.dynamics.finalize(rows, self.rng)
        self._write_strategies(rows)
        self.phase[rows] = REWARD
        self._rewarded += len(rows)
        self.state[rows, self.state_layout.phase] = 1.0
        self.state[rows, self.state_layout.counterfactual] = 0.0

    def _end_reward_plays(self, rows: NDArray[np.intp]) -> NDArray[np.intp]:
        """Count the ended reward plays of ``rows``; return the rows whose episode is over."""
        play = gather(self.reward_play, rows) + 1
        self.reward_play[row_selection(rows, self.batch)] = play
        return _select(rows, play == self.reward_plays)

    def _start_plays(self, rows: NDArray[np.intp]) -> None:
        paid, unpaid = self._split_by_phase(rows)
        if unpaid.size:
            self._start_response_plays(unpaid)
        if paid.size:
            self._start_reward_plays(paid)

    def _start_response_plays(self, rows: NDArray[np.intp]) -> None:
        """Start the next play of the current iteration, with the privileged state that
        :meth:`_propose` laid out for its slot."""
        slot = gather(self.slot, rows)
        messages = self._messages_by_slot.take(slot, axis=0)
        self.game.start(self.plays, rows, gather(self.iteration_types, rows), messages)
        at = row_selection(rows, self.batch)
        self.state[at, self._play_columns] = self._state_by_slot.take(slot, axis=0)

    def _start_reward_plays(self, rows: NDArray[np.intp]) -> None:
        """Start a reward play: fresh types, the followers' final messages for them."""
        types = self.game.types.sample(self.rng.uniform(rows, 1)[:, 0])
        messages = self.final_strategies[rows[:, None], self._followers, types]
        self.game.start(self.plays, rows, types, messages)
        at, layout = row_selection(rows, self.batch), self.state_layout
        self.state[at, layout.progress] = gather(self.reward_play, rows) / self.reward_plays
        self.state[at, layout.types] = self._one_hot(self._type_one_hot, types)
        self.state[at, layout.messages] = self._one_hot(self._message_one_hot, messages)

    # -- privileged state ------------------------------------------------------------------

    @staticmethod
    def _one_hot(table: NDArray[np.float32], index: NDArray[np.intp]) -> NDArray[np.float32]:
        """Rows of the identity ``table`` for ``index`` (k, n): one-hot vectors, as (k, -1)."""
        return table.take(index, axis=0).reshape(len(index), -1)

    def _write_strategies(self, rows: NDArray[np.intp]) -> None:
        self.state[row_selection(rows, self.batch), self.state_layout.strategies] = (
            self.dynamics.strategies(rows).reshape(len(rows), -1)
        )


def _shift(columns: slice, offset: int) -> slice:
    """``columns`` of the state vector as columns of a block of it that starts at ``offset``."""
    return slice(columns.start - offset, columns.stop - offset)


def _select(rows: NDArray[np.intp], mask: NDArray[np.bool_]) -> NDArray[np.intp]:
    """``rows[mask]``, without a copy when ``mask`` is all true (the usual case)."""
    chosen = mask.nonzero()[0]
    return rows if len(chosen) == len(rows) else rows.take(chosen)


def _partition(
    rows: NDArray[np.intp], mask: NDArray[np.bool_]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """``(rows[mask], rows[~mask])`` (see :func:`_select`)."""
    return _select(rows, mask), _select(rows, ~mask)
