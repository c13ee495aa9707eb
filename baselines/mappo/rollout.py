"""Rollouts of the Stackelberg POMDP: the leader commits to one table per episode, and the
reference method's equilibrium check and penalty are applied as the episodes run.

This is the collection side of PPO / MAPPO, written for the native batched vector env (no
per-env Python loop, no tianshou collector): every step of ``num_envs`` episodes is a handful of
whole-batch array operations written into preallocated ``(steps, num_envs)`` arrays.

**The observation-action map.** Within one episode the leader acts deterministically: each
episode's *realized table* (one raw action per leader observation) is drawn from the policy when
the episode starts, every observation at once, with probability ``explore_eps`` per observation
replaced by a uniform action (the reference's ``CustomPolicy.obs_action_map`` with epsilon-greedy
exploration, there filled lazily). An env's first episode is drawn uniformly when
``first_episode_uniform`` (the reference starts with ``epsilon = 1`` until its first episode
ends). The stored action is the raw one, so PPO trains on its log-probability.

**The equilibrium check and penalty** (the reference's ``StopOnThresholdWrapper`` in
``custom_envs.py``). The first time an episode is seen in its reward phase, its realized table
and the followers' final strategies are scored exactly (:func:`econ_envs.score_tables`: leader
value and follower equilibrium regret, batched over the episodes checked in that step). If a
follower type gains by deviating (regret > 0) and ``equilibrium_penalty`` is on, every reward
play of that episode pays ``-1 / reward_plays`` instead of the leader's utility
(``reward = -1/self.tot_num_reward_episodes`` there), so the episode returns -1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode
from numpy.typing import NDArray

import econ_envs  # noqa: F401  (registers the ids)
from baselines import presets
from baselines.mappo.commitment import ObservationKeys
from baselines.mappo.elite import EliteSearch, feature_blocks
from econ_envs import StateLayout, game_of, load_state, observation_vectors, score_tables

#: an exact regret above this is a profitable deviation (utilities are sums of a few floats)
REGRET_TOLERANCE = 1e-9

#: draws raw tables (k, n_observations, *raw_action_shape) from the policy for k episodes
TableSampler = Callable[[int], NDArray[np.float32]]


@dataclass
class RolloutBatch:
    """What :meth:`Rollout.collect` returns: time-major arrays ``(steps, num_envs, ...)``.

    Attributes:
        observation: the leader's observation before each step.
        state: the privileged state before each step (entry 0: 1 in the reward phase).
        action: the raw action taken (before mapping to the env's action space).
        reward: the reward, after the equilibrium penalty.
        terminated: the episode ended with this step.
        key: the table row (observation index) of each step's observation.
        explore: the probability that each step's action was drawn uniformly rather than from
            the policy (1 in a uniform first episode, else ``explore_eps``).
        on_policy: the step's episode drew its table from the policy (not an elite mutation,
            see :class:`Rollout`'s ``elite_fraction``); PPO learns from these steps only.
        n_observations: rows of a table.
        last_observation: the observation after the last step, (num_envs, obs_dim).
        last_state: the privileged state after the last step.
    """

    observation: NDArray[np.float32]
    state: NDArray[np.float32]
    action: NDArray[Any]
    reward: NDArray[np.float64]
    terminated: NDArray[np.bool_]
    key: NDArray[np.intp]
    explore: NDArray[np.float32]
    on_policy: NDArray[np.bool_]
    n_observations: int
    last_observation: NDArray[np.float32]
    last_state: NDArray[np.float32]

    @property
    def steps(self) -> int:
        """Env steps in the batch (all envs together)."""
        return int(self.reward.size)


@dataclass
class CheckedEpisodes:
    """Episodes whose realized table was checked, with what the check found.

    Attributes:
        tables: the realized tables in the env's action space (k, n_observations, ...).
        values: exact leader value of each table against its followers' final strategies.
        regrets: exact follower equilibrium regret (0: verified equilibrium).
        steps: env steps of the run (all envs) when each check was made.
    """

    tables: NDArray[Any]
    values: NDArray[np.float64]
    regrets: NDArray[np.float64]
    steps: NDArray[np.int64]


@dataclass
class EpisodeStats:
    """Statistics of the episodes finished since the last :meth:`drain`."""

    returns: list[NDArray[np.float64]] = field(default_factory=list)
    regrets: list[NDArray[np.float64]] = field(default_factory=list)
    verified: list[NDArray[np.bool_]] = field(default_factory=list)

    def add(self, returns, regrets, verified) -> None:
        """Record finished episodes (arrays over them)."""
        self.returns.append(returns)
        self.regrets.append(regrets)
        self.verified.append(verified)

    def drain(self) -> dict[str, NDArray[Any]]:
        """The recorded arrays concatenated (empty arrays if none), and forget them."""
        out = {
            name: np.concatenate(values) if values else np.zeros(0)
            for name, values in (
                ("returns", self.returns),
                ("regrets", self.regrets),
                ("verified", self.verified),
            )
        }
        self.returns, self.regrets, self.verified = [], [], []
        return out


def spaces(env_id: str, env_kwargs: dict[str, Any]) -> tuple[gym.spaces.Dict, gym.Space]:
    """The observation space (``observation`` and privileged ``state``) and the action space
    of one episode of ``env_id``."""
    env = gym.make(env_id, privileged_state=True, **env_kwargs)
    return env.observation_space, env.action_space


class Rollout:
    """``num_envs`` episodes of a Stackelberg POMDP id, collected with per-episode tables.

    Args:
        env_id: a Stackelberg POMDP id.
        env_kwargs: keywords of ``gym.make_vec`` (``privileged_state`` is always on).
        num_envs: episodes stepped together.
        map_action: maps raw actions to the env's action space (the policy's ``map_action``).
        raw_action_shape: shape of one raw action (``()`` for ``Discrete``).
        explore_eps: probability that an observation of a new episode gets a uniform action.
        first_episode_uniform: every env's first episode gets a uniform table.
        equilibrium_penalty: pay -1 / reward_plays per reward play of unverified episodes.
        seed: seeds the exploration stream (the envs are seeded by :meth:`reset`).
        elite_fraction: probability that a new episode plays a mutation of the elite table
            instead of a table drawn from the policy (:mod:`baselines.mappo.elite`; 0: off).
        elite_mutation: probability that a small-step mutation moves each row.
    """

    def __init__(
        self,
        env_id: str,
        env_kwargs: dict[str, Any],
        num_envs: int,
        map_action: Callable[[NDArray[Any]], NDArray[Any]],
        raw_action_shape: tuple[int, ...],
        explore_eps: float,
        first_episode_uniform: bool,
        equilibrium_penalty: bool,
        seed: int,
        elite_fraction: float,
        elite_mutation: float,
    ):
        # same-step autoreset: a finished episode's next one starts at once (no reset-only steps)
        self.venv = gym.make_vec(
            env_id,
            num_envs=num_envs,
            privileged_state=True,
            autoreset_mode=AutoresetMode.SAME_STEP,
            **env_kwargs,
        )
        self.num_envs = num_envs
        self.game = game_of(env_id, **env_kwargs)
        self.keys = ObservationKeys(observation_vectors(env_id, **env_kwargs))
        self.map_action = map_action
        self.raw_action_shape = tuple(raw_action_shape)
        self.discrete = isinstance(self.venv.single_action_space, gym.spaces.Discrete)
        blocks = feature_blocks(self.keys.vectors)
        self.elite = EliteSearch(elite_fraction, elite_mutation, blocks, self.discrete)
        self.explore_eps = float(explore_eps)
        self.first_episode_uniform = bool(first_episode_uniform)
        self.equilibrium_penalty = bool(equilibrium_penalty)
        self.penalty = -1.0 / presets.reward_plays(env_id, env_kwargs)
        self.rng = np.random.default_rng(seed)
        self.stats = EpisodeStats()
        rows, n_obs = num_envs, len(self.keys)
        raw_dtype = np.int64 if self.discrete else np.float32
        self.raw_tables = np.zeros((rows, n_obs, *self.raw_action_shape), raw_dtype)
        self.tables = self.map_action(self.raw_tables.reshape(rows * n_obs, *raw_action_shape))
        self.tables = self.tables.reshape(rows, n_obs, *self.tables.shape[1:])
        self.episodes_started = np.zeros(rows, np.int64)
        self.elite_episode = np.zeros(rows, bool)
        self.checked = np.zeros(rows, bool)
        self.penalized = np.zeros(rows, bool)
        self.check_regret = np.zeros(rows)
        self.returns = np.zeros(rows)
        self.observation: NDArray[np.float32] | None = None
        self.state: NDArray[np.float32] | None = None
        self._rows = np.arange(rows)

    def reset(self, seed: int, sample_tables: TableSampler) -> None:
        """Start every episode: env ``i`` seeded ``seed + i``, fresh tables."""
        observation, _ = self.venv.reset(seed=seed)
        self.observation, self.state = observation["observation"], observation["state"]
        self.episodes_started[:] = 0
        self.returns[:] = 0.0
        self._start_episodes(self._rows, sample_tables)

    def collect(
        self,
        steps: int,
        sample_tables: TableSampler,
        step_count: int,
        on_checked: Callable[[CheckedEpisodes], bool] | None = None,
    ) -> RolloutBatch:
        """Step every env ``steps`` times.

        Args:
            steps: vector steps (each is ``num_envs`` env steps).
            sample_tables: draws the tables of the episodes that start.
            step_count: env steps of the run before this rollout (to date the checks).
            on_checked: called with the episodes checked before a step; returning ``True``
                stops the rollout there (the batch then holds the steps taken before).
        """
        if self.observation is None:
            raise RuntimeError("call reset() before collect()")
        b = self.num_envs
        observations = np.empty((steps, b, self.observation.shape[1]), np.float32)
        states = np.empty((steps, b, self.state.shape[1]), np.float32)
        actions = np.empty((steps, b, *self.raw_action_shape), self.raw_tables.dtype)
        rewards = np.empty((steps, b))
        terminated = np.empty((steps, b), bool)
        keys = np.empty((steps, b), np.intp)
        explore = np.empty((steps, b), np.float32)
        on_policy = np.empty((steps, b), bool)
        taken = steps
        for t in range(steps):
            checked = self._check(step_count + t * b)
            if checked is not None and on_checked is not None and on_checked(checked):
                taken = t
                break
            observations[t], states[t] = self.observation, self.state
            keys[t] = key = self.keys(self.observation)
            actions[t] = self.raw_tables[self._rows, key]
            explore[t] = self._explore_probability()
            on_policy[t] = ~self.elite_episode
            observation, reward, done, _, info = self.venv.step(self.tables[self._rows, key])
            self.observation, self.state = observation["observation"], observation["state"]
            if self.penalized.any():
                play_ended = info.get("_leader_utility", done) | done
                reward = np.where(self.penalized & play_ended, self.penalty, reward)
            rewards[t], terminated[t] = reward, done
            self.returns += reward
            finished = np.flatnonzero(done)
            if finished.size:
                self._finish_episodes(finished, sample_tables)
        return RolloutBatch(
            observations[:taken],
            states[:taken],
            actions[:taken],
            rewards[:taken],
            terminated[:taken],
            keys[:taken],
            explore[:taken],
            on_policy[:taken],
            len(self.keys),
            self.observation.copy(),
            self.state.copy(),
        )

    # -- episodes ---------------------------------------------------------------------------

    def _start_episodes(self, rows: NDArray[np.intp], sample_tables: TableSampler) -> None:
        """Draw the tables of the episodes starting in ``rows``."""
        tables = sample_tables(len(rows))
        uniform = self.rng.random(tables.shape[:2]) < self.explore_eps
        if self.first_episode_uniform:
            uniform |= (self.episodes_started[rows] == 0)[:, None]
        if uniform.any():
            tables[uniform] = self._uniform(int(uniform.sum()))
        self.elite_episode[rows] = False
        if self.elite.active:
            chosen = self.rng.random(len(rows)) < self.elite.fraction
            tables[chosen] = self.elite.mutations(int(chosen.sum()), self.rng, self._uniform)
            self.elite_episode[rows] = chosen
        self.raw_tables[rows] = tables
        mapped = self.map_action(tables.reshape(-1, *self.raw_action_shape))
        self.tables[rows] = mapped.reshape(self.tables[rows].shape)
        self.episodes_started[rows] += 1
        self.checked[rows] = False
        self.penalized[rows] = False

    def _explore_probability(self) -> NDArray[np.float32]:
        """Per env: the probability that its table's entries were drawn uniformly."""
        uniform = self.first_episode_uniform & (self.episodes_started == 1)
        return np.where(uniform, 1.0, self.explore_eps).astype(np.float32)

    def _uniform(self, count: int) -> NDArray[np.float32]:
        """Uniform raw actions (before ``map_action``)."""
        if self.discrete:
            n = self.venv.single_action_space.n
            return self.rng.integers(n, size=count)
        return self.rng.uniform(-1.0, 1.0, (count, *self.raw_action_shape)).astype(np.float32)

    def _finish_episodes(self, rows: NDArray[np.intp], sample_tables: TableSampler) -> None:
        regret = self.check_regret[rows]
        self.stats.add(self.returns[rows].copy(), regret, regret <= REGRET_TOLERANCE)
        self.returns[rows] = 0.0
        self._start_episodes(rows, sample_tables)

    def _check(self, step_count: int) -> CheckedEpisodes | None:
        """Check the episodes that just entered their reward phase (see the module doc)."""
        rows = np.flatnonzero((self.state[:, StateLayout.phase] == 1.0) & ~self.checked)
        if not rows.size:
            return None
        strategies = self.venv.follower_strategies()[rows]
        tables = self.tables[rows]
        values, regrets = score_tables(self.game, tables, strategies)
        self.checked[rows] = True
        self.check_regret[rows] = regrets
        if self.equilibrium_penalty:
            self.penalized[rows] = regrets > REGRET_TOLERANCE
        self.elite.observe(self.raw_tables[rows], values, regrets <= REGRET_TOLERANCE)
        return CheckedEpisodes(tables, values, regrets, np.full(len(rows), step_count))


#: the attributes of a :class:`Rollout` that change as it runs (its checkpointed state)
_RUNNING_STATE = (
    "venv",
    "stats",
    "raw_tables",
    "tables",
    "episodes_started",
    "elite",
    "elite_episode",
    "checked",
    "penalized",
    "check_regret",
    "returns",
    "observation",
    "state",
)


def rollout_state(rollout: Rollout) -> dict[str, Any]:
    """Everything a resumed run needs to continue ``rollout`` exactly: the envs mid-episode
    (their engines and random streams), the episodes' tables and flags, the exploration
    stream."""
    state = {name: getattr(rollout, name) for name in _RUNNING_STATE}
    state["rng"] = rollout.rng.bit_generator.state
    return state


def restore_rollout(rollout: Rollout, state: dict[str, Any]) -> None:
    """Put ``rollout`` back into a state from :func:`rollout_state`; a ``ValueError`` before
    anything is changed if the state holds another number of envs (its configuration's
    ``num_envs`` was changed: the arrays would not fit the rollout's)."""
    arrays = {name: value for name, value in state.items() if isinstance(value, np.ndarray)}
    counts = {name: len(value) for name, value in arrays.items() if value.ndim > 0}
    counts["venv"] = getattr(state["venv"], "num_envs", None)
    wrong = sorted(name for name, count in counts.items() if count != rollout.num_envs)
    if wrong:
        raise ValueError(
            f"its {wrong[0]} holds {counts[wrong[0]]} envs, its configuration's num_envs is "
            f"{rollout.num_envs}"
        )
    load_state(rollout.venv, state["venv"])  # in place: the engine's array views stay views
    for name in _RUNNING_STATE[1:]:
        setattr(rollout, name, state[name])
    rollout.rng.bit_generator.state = state["rng"]
