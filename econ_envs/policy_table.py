"""Leader policy tables for the Stackelberg games, and their exact evaluation (issue §5).

Every §1 game has finitely many leader observations (``spec.n_observations``). A *policy table*
maps each of them to an action: an array of shape ``(n_observations, *action_shape)``. With a
table fixed, a play is a deterministic function of (types, messages), so the whole game is an
:class:`~econ_envs.equilibrium.OutcomeTensor`; the follower dynamics then run on that tensor
(:func:`run_dynamics`) without stepping the RL loop, using the same random streams as the env.
The result agrees with stepping ``gym.make(env_id)`` with the same table and seed: same final
follower strategies, same empirical regret; the leader's value is exact (types enumerated)
instead of sampled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from econ_envs.episode_options import split_env_kwargs
from econ_envs.equilibrium import (
    OutcomeTensor,
    all_message_profiles,
    equilibrium_regret,
    leader_value,
)
from econ_envs.followers import FollowerDynamics, ResponseSchedule, dynamics_class, make_dynamics
from econ_envs.games import StackelbergGame, make_game
from econ_envs.random import StreamBatch, key_from_seed
from econ_envs.validation import check_size

#: the most plays (type profiles x message profiles) one exact evaluation of a table enumerates
MAX_EXACT_PLAYS = 2_000_000


@dataclass(frozen=True)
class TableEvaluation:
    """The exact evaluation of one policy table under one seed of the follower dynamics.

    Attributes:
        value: the leader's exact expected utility of the followers' final strategies.
        regret: exact equilibrium regret of the final strategies (0 = Bayes–Nash equilibrium).
        empirical_regret: the followers' regret over the response phase, as the env reports it.
        follower_strategies: final message of every follower type, (n, max_types).
        optimal_value: the game's known optimum, if any.
        seed: the seed of the dynamics' random stream.
    """

    value: float
    regret: float
    empirical_regret: float
    follower_strategies: NDArray[np.intp]
    optimal_value: float | None
    seed: int

    @property
    def optimality_gap(self) -> float | None:
        """``optimal_value - value`` where the optimum is known."""
        return None if self.optimal_value is None else self.optimal_value - self.value


def game_of(env_id: str, **env_kwargs: Any) -> StackelbergGame:
    """The base game behind ``gym.make(env_id, **env_kwargs)``."""
    game, _, params = split_env_kwargs(env_id, env_kwargs)
    return make_game(game, **params)


def response_schedule(env_id: str, **env_kwargs: Any) -> ResponseSchedule:
    """The response phase of one episode of ``gym.make(env_id, **env_kwargs)``, as its follower
    dynamics declares it (``ValueError`` where the env would refuse the dynamics' count or
    size), without building the env."""
    game_name, options, params = split_env_kwargs(env_id, env_kwargs)
    game = make_game(game_name, **params)
    schedule = dynamics_class(options.dynamics).schedule
    return schedule(game.spec, game.types, options.response_iterations)


def _table_game(env_id: str, env_kwargs: dict[str, Any]) -> StackelbergGame:
    """:func:`game_of`, refusing more than :data:`MAX_EXACT_PLAYS` policy-table rows (they are
    enumerated one by one)."""
    game = game_of(env_id, **env_kwargs)
    rows = game.spec.n_observations
    check_size("policy-table rows", rows, MAX_EXACT_PLAYS, env_id=env_id, **env_kwargs)
    return game


def describe_observations(env_id: str, **env_kwargs: Any) -> list[dict[str, Any]]:
    """A readable description of every row of a policy table of ``env_id``."""
    game = _table_game(env_id, env_kwargs)
    return [game.describe_observation(i) for i in range(game.spec.n_observations)]


def observation_vectors(env_id: str, **env_kwargs: Any) -> NDArray[np.float32]:
    """The leader observation of every policy-table row of ``env_id``: feed these to a policy
    network to export it as a table."""
    return _table_game(env_id, env_kwargs).observation_vectors()


def exact_plays(game: StackelbergGame) -> int:
    """The plays an exact evaluation of one policy table of ``game`` enumerates: every type
    profile times every message profile."""
    return int(np.prod(game.spec.n_types, dtype=np.int64) * np.prod(game.spec.n_messages))


def check_exact_size(game: StackelbergGame) -> int:
    """The plays of an exact evaluation of one table of ``game`` (:func:`exact_plays`), checked
    against :data:`MAX_EXACT_PLAYS` before anything is enumerated.

    Raises:
        ValueError: naming the game's sizes (``n_types``, ``n_messages``), the plays they imply
            and the limit.
    """
    per_table = exact_plays(game)
    if per_table > MAX_EXACT_PLAYS:
        spec = game.spec
        raise ValueError(
            f"an exact evaluation of a table of this game (n_types={spec.n_types}, "
            f"n_messages={spec.n_messages}) enumerates {per_table:,} plays (type x message "
            f"profiles); the limit is {MAX_EXACT_PLAYS:,}"
        )
    return per_table


def check_table(game: StackelbergGame, actions: ArrayLike) -> NDArray[Any]:
    """``actions`` as a checked table array; ``ValueError`` names the problem."""
    table = np.asarray(actions)
    rows = game.spec.n_observations
    if table.ndim < 1 or table.shape[0] != rows:
        raise ValueError(
            f"table must have one action per leader observation ({rows} rows), "
            f"got shape {table.shape}"
        )
    return game.check_action(table)


def outcome_tensor(game: StackelbergGame, actions: ArrayLike) -> OutcomeTensor:
    """Utilities of every (type profile, message profile) play under policy table ``actions``."""
    table = check_table(game, actions)
    tensor = outcome_tensors(game, table[None])
    return OutcomeTensor(tensor.leader[0], tensor.followers[0], tensor.types, tensor.n_messages)


def outcome_tensors(game: StackelbergGame, tables: NDArray[Any]) -> OutcomeTensor:
    """:func:`outcome_tensor` of a batch of checked tables (k, n_observations, *action_shape):
    one batched run of the game, an outcome tensor with a leading axis of ``k``."""
    type_profiles = game.types.profiles
    message_profiles = all_message_profiles(game.spec.n_messages)
    k, n_tp, n_mp = len(tables), len(type_profiles), len(message_profiles)
    per_table = n_tp * n_mp
    types = np.tile(np.repeat(type_profiles, n_mp, axis=0), (k, 1))
    messages = np.tile(message_profiles, (k * n_tp, 1))
    owner = np.repeat(np.arange(k), per_table)  # the table that plays each row
    plays = game.new_plays(k * per_table)
    rows = np.arange(k * per_table)
    game.start(plays, rows, types, messages)
    for _ in range(game.spec.horizon):
        finished = game.step(plays, tables[owner, game.observation_index(plays)])
        if finished.all():
            break
    leader, followers = game.utilities(plays, rows)
    n = game.spec.n_followers
    return OutcomeTensor(
        leader.reshape(k, n_tp, n_mp),
        followers.reshape(k, n_tp, n_mp, n),
        game.types,
        game.spec.n_messages,
    )


def score_tables(
    game: StackelbergGame, tables: ArrayLike, strategies: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The exact leader value and follower equilibrium regret of ``k`` leader tables, each
    against its own deterministic follower strategies, in one batched computation.

    This is the check of the reference method's ``StopOnThresholdWrapper`` (does any follower
    type gain by switching its message, against the leader's realized policy?), done exactly
    and for many episodes at once.

    Args:
        game: the base game.
        tables: (k, n_observations, *action_shape) policy tables.
        strategies: (k, n, max_types) message of every follower type.

    Returns:
        ``(values, regrets)``, each (k,): the leader's expected utility over the type
        distribution, and the largest interim gain of a deviating follower type (0 at a
        Bayes–Nash equilibrium).

    Raises:
        ValueError: if one table's enumeration exceeds :data:`MAX_EXACT_PLAYS` plays (tables
            are enumerated in chunks that stay within it).
    """
    tables = np.asarray(tables)
    strategies = np.asarray(strategies, dtype=np.intp)
    if tables.ndim < 2 or tables.shape[1] != game.spec.n_observations:
        raise ValueError(
            f"tables must have shape (k, {game.spec.n_observations}, ...), got {tables.shape}"
        )
    n, max_types = game.spec.n_followers, max(game.spec.n_types)
    if strategies.shape != (len(tables), n, max_types):
        raise ValueError(
            f"strategies must have shape ({len(tables)}, {n}, {max_types}), got {strategies.shape}"
        )
    per_table = check_exact_size(game)
    checked = game.check_action(tables.reshape(-1, *tables.shape[2:])).reshape(tables.shape)
    values, regrets = np.zeros(len(tables)), np.zeros(len(tables))
    chunk = MAX_EXACT_PLAYS // per_table  # tables per batched enumeration
    for start in range(0, len(tables), chunk):
        part = slice(start, start + chunk)
        tensor = outcome_tensors(game, checked[part])
        values[part] = leader_value(tensor, strategies[part])
        regrets[part] = equilibrium_regret(tensor, strategies[part])
    return values, regrets


def evaluate_table(
    env_id: str, actions: ArrayLike, *, seed: int = 0, **env_kwargs: Any
) -> TableEvaluation:
    """Evaluate a policy table exactly: run the follower dynamics of ``env_id`` (configured by
    ``env_kwargs`` as in ``gym.make``) against it with random stream ``seed``."""
    return evaluate_table_seeds(env_id, actions, seeds=(seed,), **env_kwargs)[0]


def evaluate_table_seeds(
    env_id: str, actions: ArrayLike, *, seeds: Sequence[int], **env_kwargs: Any
) -> list[TableEvaluation]:
    """:func:`evaluate_table` for several seeds at once (one batched :func:`run_dynamics`).

    Raises:
        ValueError: for bad keywords (as ``gym.make``), a table of the wrong shape or outside
            the action space, or a game whose exact evaluation enumerates more than
            :data:`MAX_EXACT_PLAYS` plays (checked before enumerating, see
            :func:`check_exact_size`).
    """
    game_name, options, params = split_env_kwargs(env_id, env_kwargs)
    game = make_game(game_name, **params)
    check_exact_size(game)
    tensor = outcome_tensor(game, actions)
    run = run_dynamics(
        game,
        tensor,
        seeds,
        dynamics=options.dynamics,
        dynamics_kwargs=options.dynamics_kwargs,
        response_iterations=options.response_iterations,
    )
    batch, final = len(seeds), run.final
    batched = OutcomeTensor(
        np.broadcast_to(tensor.leader, (batch, *tensor.leader.shape)),
        np.broadcast_to(tensor.followers, (batch, *tensor.followers.shape)),
        tensor.types,
        tensor.n_messages,
    )
    values, regrets = leader_value(batched, final), equilibrium_regret(batched, final)
    return [
        TableEvaluation(
            float(values[b]),
            float(regrets[b]),
            float(run.empirical_regret[b]),
            final[b],
            game.spec.optimal_value,
            int(seeds[b]),
        )
        for b in range(batch)
    ]


@dataclass(frozen=True)
class DynamicsRun:
    """The follower dynamics of one episode per seed after :func:`run_dynamics`.

    Attributes:
        dynamics: the dynamics, holding their learning state after the last iteration (row
            ``b`` is the episode of ``seeds[b]``).
        empirical_regret: the followers' regret over the response phase, (k,), as the env
            reports it.
        final: the followers' final strategies, (k, n, max_types).
    """

    dynamics: FollowerDynamics
    empirical_regret: NDArray[np.float64]
    final: NDArray[np.intp]


def run_dynamics(
    game: StackelbergGame,
    tensor: OutcomeTensor,
    seeds: Sequence[int],
    *,
    dynamics: str = "mw",
    dynamics_kwargs: Mapping[str, Any] | None = None,
    response_iterations: int | None = None,
    on_iteration: Callable[[FollowerDynamics], None] | None = None,
) -> DynamicsRun:
    """The response phase of one Stackelberg episode per seed, played on an outcome tensor.

    Runs what the env's response phase runs against a leader whose plays ``tensor`` holds
    (:func:`outcome_tensor` of a policy table): the dynamics' :meth:`schedule
    <econ_envs.followers.FollowerDynamics.schedule>`, each iteration's plays read from the
    tensor instead of stepped, with the env's random streams (``seeds[b]`` as in
    ``env.reset(seed=seeds[b])``); then the empirical regret and the final strategies.

    Args:
        game: the base game.
        tensor: the followers' utilities of every (type profile, message profile) play.
        seeds: one random-stream seed per episode.
        dynamics, dynamics_kwargs, response_iterations: the episode options of ``gym.make``.
        on_iteration: called with the dynamics after each iteration's update (e.g. to record
            the base message profiles of full-information learners).

    Raises:
        ValueError: for an unknown dynamics, keywords it does not take, or a count or game it
            refuses.
    """
    batch = len(seeds)
    follower_dynamics = make_dynamics(
        dynamics, game.spec, game.types, batch, **(dynamics_kwargs or {})
    )
    rows = np.arange(batch)
    rng = StreamBatch(batch)
    rng.seed(rows, np.array([key_from_seed(s) for s in seeds], np.uint64))
    follower_dynamics.reset(rows)
    schedule = follower_dynamics.schedule(game.spec, game.types, response_iterations)
    for _ in range(schedule.iterations):
        types, plays = follower_dynamics.propose(rows, rng)
        profile = tensor.type_profile_index(types)
        utilities = tensor.followers[profile[:, None], tensor.message_profile_index(plays)]
        follower_dynamics.update(rows, types, plays, utilities)
        if on_iteration is not None:
            on_iteration(follower_dynamics)
    empirical = follower_dynamics.empirical_regret(rows)
    return DynamicsRun(follower_dynamics, empirical, follower_dynamics.finalize(rows, rng))
