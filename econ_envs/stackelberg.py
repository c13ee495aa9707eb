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

from econ_envs.followers import ResponseSchedule, make_dynamics
from econ_envs.games import StackelbergGame
from econ_envs.random import StreamBatch
from econ_envs.state_layout import StateLayout
from econ_envs.validation import (
    MAX_ENTRIES,
    check_int,
    check_keywords,
    check_positive_int,
    check_size,
)

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

    Every episode keeps its own counters: its :attr:`phase`, the response :attr:`iteration`
    and the :attr:`response_play` under way within it, and the :attr:`reward_play` s done.
    When a play ends:

    - in the response phase, the followers' utilities are stored as those of the iteration's
      play ``response_play``; once every play of the iteration is done the dynamics learn from
      them, and the episode proposes its next iteration or, after ``response_iterations``
      iterations, enters the reward phase (final strategies, empirical regret);
    - in the reward phase, the leader is paid its utility / ``reward_plays``, and the episode
      terminates after ``reward_plays`` plays;
    - an episode that goes on starts its next play at once.

    Args:
        game: the base game.
        batch: number of independent episodes.
        dynamics: name of the follower dynamics (see :data:`econ_envs.followers.DYNAMICS`).
        dynamics_kwargs: keywords of the dynamics (e.g. ``{"eps": 0.01, "final": "argmax"}``).
        response_iterations: iterations of the response phase (>= 0); default the game's.
            The dynamics class turns it into the :attr:`schedule`
            (:meth:`~econ_envs.followers.FollowerDynamics.schedule`; ``"best_response"`` runs
            one iteration per type profile and refuses any other count).
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
        #: the response phase, as the dynamics declares it for this game
        self.schedule: ResponseSchedule = self.dynamics.schedule(
            spec, game.types, response_iterations
        )
        self.reward_plays = check_positive_int(
            "reward_plays", spec.reward_plays if reward_plays is None else reward_plays
        )
        self.n = spec.n_followers
        self.max_types, self.max_messages = max(spec.n_types), max(spec.n_messages)
        #: where the parts of the privileged state lie (see :class:`StateLayout`)
        self.state_layout = StateLayout(
            self.n, self.max_types, self.max_messages, self.schedule.plays_per_iteration
        )
        check_size(
            "privileged-state entries (episodes x (plays per iteration + 1) x state size)",
            batch * (self.schedule.plays_per_iteration + 1) * self.state_layout.size,
            MAX_ENTRIES,
            num_envs=batch,
            **spec.size_keywords,
            dynamics=dynamics,
        )
        self.rng = StreamBatch(batch)
        self.plays = game.new_plays(batch)
        self.phase = np.zeros(batch, np.int8)
        self.iteration = np.zeros(batch, np.intp)  # response iterations done
        self.response_play = np.zeros(batch, np.intp)  # plays of the iteration done
        self.reward_play = np.zeros(batch, np.intp)  # reward plays done
        #: the iteration under way: its type profile, the message profile of each of its
        #: plays and the followers' utilities in those already played
        self.iteration_types = np.zeros((batch, self.n), np.intp)
        plays_per_iteration = self.schedule.plays_per_iteration
        self.iteration_plays = np.zeros((batch, plays_per_iteration, self.n), np.intp)
        self.iteration_utilities = np.zeros((batch, plays_per_iteration, self.n))
        self.final_strategies = np.zeros((batch, self.n, self.max_types), np.intp)
        self.regret = np.zeros(batch)
        self.leader_utility = np.zeros(batch)
        self.follower_utilities = np.zeros((batch, self.n))
        self.state = np.zeros((batch, self.state_layout.size), np.float32)
        self._followers = np.arange(self.n)
        # identity tables: row i is the one-hot vector of i (see _one_hot)
        self._type_identity = np.eye(self.max_types, dtype=np.float32)
        self._message_identity = np.eye(self.max_messages, dtype=np.float32)
        self._play_identity = np.eye(plays_per_iteration, dtype=np.float32)

    @property
    def response_iterations(self) -> int:
        """Iterations of the response phase (:attr:`schedule`)."""
        return self.schedule.iterations

    @property
    def plays_per_iteration(self) -> int:
        """Plays of one response iteration (:attr:`schedule`)."""
        return self.schedule.plays_per_iteration

    @property
    def play(self) -> NDArray[np.intp]:
        """Index of every episode's play under way within its iteration or its reward phase."""
        return np.where(self.phase == REWARD, self.reward_play, self.response_play)

    @property
    def state_size(self) -> int:
        """Length of the privileged state vector."""
        return self.state_layout.size

    def reset(self, rows: NDArray[np.intp], keys: NDArray[np.uint64] | None = None) -> None:
        """Start new episodes in ``rows``; reseed their random streams if ``keys`` are given."""
        if keys is not None:
            self.rng.seed(rows, keys)
        self.dynamics.reset(rows)
        self.phase[rows] = RESPONSE
        self.state[rows, self.state_layout.phase] = 0.0
        self.iteration[rows] = 0
        self.response_play[rows] = 0
        self.reward_play[rows] = 0
        self._write_strategies(rows)
        if self.schedule.iterations == 0:
            self._enter_reward_phase(rows)
        else:
            self._propose(rows)
        self._start_plays(rows)

    def step(self, action: Any, frozen: NDArray[np.bool_] | None = None) -> StepResult:
        """Advance every episode by one leader step (``action`` is batch-first), except the
        ``frozen`` rows: episodes that ended and wait for a :meth:`reset` (a vector env that
        autoresets in the next step). Their plays are finished, which the game leaves as they
        are, and nothing is recorded, paid or drawn for them: zero reward, not terminated."""
        action = self.game.check_action(action)
        ended = self.game.step(self.plays, action)
        if frozen is not None:
            ended &= ~frozen
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
        self.leader_utility[self._at(rows)] = leader
        self.follower_utilities[self._at(rows)] = followers
        paid = self.phase.take(rows) == REWARD
        if not paid.any():  # response plays only: nobody is paid, no episode ends
            self._end_response_plays(rows, followers)
            self._start_plays(rows)
            return
        paid_rows = rows[paid]
        if len(paid_rows) < len(rows):
            self._end_response_plays(rows[~paid], followers[~paid])
        if len(paid_rows):
            reward[paid_rows] = leader[paid] / self.reward_plays
            self.reward_play[paid_rows] += 1
            terminated[paid_rows] = self.reward_play.take(paid_rows) == self.reward_plays
        self._start_plays(rows[~terminated.take(rows)])

    def _propose(self, rows: NDArray[np.intp]) -> None:
        """Ask the dynamics for the next iteration of ``rows``: its type profile and plays."""
        self.iteration_types[rows], self.iteration_plays[rows] = self.dynamics.propose(
            rows, self.rng
        )

    def _end_response_plays(self, rows: NDArray[np.intp], utilities: NDArray[np.float64]) -> None:
        """Store the follower ``utilities`` (k, n) of the response plays that ended in ``rows``;
        end the iteration of the rows that have played all of its plays."""
        play = self.response_play.take(rows)
        self.iteration_utilities[rows, play] = utilities
        played = play + 1
        self.response_play[self._at(rows)] = played
        complete = played == self.schedule.plays_per_iteration
        if complete.any():
            self._end_iteration(rows[complete])

    def _end_iteration(self, rows: NDArray[np.intp]) -> None:
        """The dynamics of ``rows`` learn from their iteration; propose the next one, or enter
        the reward phase after ``response_iterations``."""
        self.dynamics.update(
            rows,
            self.iteration_types.take(rows, axis=0),
            self.iteration_plays.take(rows, axis=0),
            self.iteration_utilities.take(rows, axis=0),
        )
        self.iteration[rows] += 1
        self.response_play[rows] = 0
        self._write_strategies(rows)
        over = self.iteration.take(rows) == self.schedule.iterations
        if over.any():
            self._enter_reward_phase(rows[over])
        if not over.all():
            self._propose(rows[~over])

    def _enter_reward_phase(self, rows: NDArray[np.intp]) -> None:
        self.regret[rows] = self.dynamics.empirical_regret(rows)
        self.final_strategies[rows] = self.dynamics.finalize(rows, self.rng)
        self._write_strategies(rows)
        self.phase[rows] = REWARD
        self.state[rows, self.state_layout.phase] = 1.0
        self.state[rows, self.state_layout.counterfactual] = 0.0

    def _start_plays(self, rows: NDArray[np.intp]) -> None:
        if not rows.size:
            return
        paid = self.phase.take(rows) == REWARD
        if not paid.any():  # all in the response phase (rows move in step in one-step games)
            self._start_response_plays(rows)
        elif paid.all():
            self._start_reward_plays(rows)
        else:
            self._start_response_plays(rows[~paid])
            self._start_reward_plays(rows[paid])

    def _start_response_plays(self, rows: NDArray[np.intp]) -> None:
        """Start play ``response_play`` of the iteration under way: its types and messages;
        the privileged state shows the progress (plays done / all response plays) and which
        play of the iteration it is."""
        play = self.response_play.take(rows)
        types, messages = self.iteration_types.take(rows, axis=0), self.iteration_plays[rows, play]
        self.game.start(self.plays, rows, types, messages)
        schedule = self.schedule
        played = self.iteration.take(rows) * schedule.plays_per_iteration + play
        all_plays = max(1, schedule.plays)
        counterfactual = self._play_identity.take(play, axis=0)
        self._write_play(rows, played / all_plays, types, messages, counterfactual)

    def _start_reward_plays(self, rows: NDArray[np.intp]) -> None:
        """Start a reward play: fresh types, the followers' final messages for them."""
        types = self.game.types.sample(self.rng.uniform(rows, 1)[:, 0])
        messages = self.final_strategies[rows[:, None], self._followers, types]
        self.game.start(self.plays, rows, types, messages)
        progress = self.reward_play.take(rows) / self.reward_plays
        no_counterfactual = np.zeros((len(rows), self.schedule.plays_per_iteration), np.float32)
        self._write_play(rows, progress, types, messages, no_counterfactual)

    # -- privileged state ------------------------------------------------------------------

    def _write_play(
        self,
        rows: NDArray[np.intp],
        progress: NDArray[np.float64],
        types: NDArray[np.intp],
        messages: NDArray[np.intp],
        counterfactual: NDArray[np.float32],
    ) -> None:
        """The privileged state of the plays starting in ``rows``: the progress, the one-hot
        type and message profiles and the counterfactual."""
        at, layout = self._at(rows), self.state_layout
        self.state[at, layout.progress] = progress
        self.state[at, layout.types] = _one_hot(self._type_identity, types)
        self.state[at, layout.messages] = _one_hot(self._message_identity, messages)
        self.state[at, layout.counterfactual] = counterfactual

    def _at(self, rows: NDArray[np.intp]) -> NDArray[np.intp] | slice:
        """``rows`` (distinct, in order) as an index for a write: every row as a slice, which
        numpy writes several times faster than the same rows listed (in games whose plays
        last one step, every row ends and starts a play at every step)."""
        return slice(None) if len(rows) == self.batch else rows

    def _write_strategies(self, rows: NDArray[np.intp]) -> None:
        self.state[rows, self.state_layout.strategies] = self.dynamics.strategies(rows).reshape(
            len(rows), -1
        )


def _one_hot(identity: NDArray[np.float32], index: NDArray[np.intp]) -> NDArray[np.float32]:
    """The one-hot vectors of ``index`` (k, n), laid side by side (k, n * size): the rows of the
    ``identity`` (size, size) they pick."""
    return identity.take(index, axis=0).reshape(len(index), -1)
