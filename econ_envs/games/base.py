"""The interface every Stackelberg base game implements, once, over a batch of plays.

A *play* (SPEC §1.1): draw a type profile; every follower sends its message; then the leader acts
for up to ``horizon`` steps, observing only the public state; then each side gets a utility.
A game holds the rules only. Who draws types, which messages are played and how followers learn
belong to :mod:`econ_envs.followers` and :mod:`econ_envs.stackelberg`.

Play state is a small mutable object of arrays with a leading batch axis, owned by the caller:
``start`` writes the given rows, ``step`` advances every row by one leader step and leaves
finished plays unchanged.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray

from econ_envs.games.action_check import BatchActionCheck
from econ_envs.games.observation import ObservationEncoding
from econ_envs.games.types import TypeDistribution, radix_weights


@dataclass(frozen=True)
class GameSpec:
    """What a game declares about itself; adapters and algorithms read only this.

    Attributes:
        name: the game's class name.
        n_types: number of types of each follower (its length is the number of followers).
        n_messages: number of messages of each follower.
        horizon: the most leader steps in one play.
        observation_space: the leader's observation of one play.
        action_space: the leader's action at one step.
        n_observations: number of distinct leader observations (rows of a policy table).
        leader_utility_range: bounds of the leader's utility in one play.
        follower_utility_range: bounds of any follower's utility in one play.
        optimal_value: the best achievable expected leader utility, where known exactly.
        response_iterations: default number of follower-learning iterations per episode.
        reward_plays: default number of plays the leader is paid for per episode.
        keywords: the game's own keywords that set ``n_types`` and ``n_messages``, as the user
            gave them (LaneCoordination: ``n_agents``, ``n_positions``, ``n_moves``); the size
            guards of the episodes and dynamics name them (see :attr:`size_keywords`).
        action_meanings: what each entry of a ``Box`` or ``MultiDiscrete`` action, or each value
            of a ``Discrete`` one, means (read by the documentation's space tables); empty
            where undeclared.
    """

    name: str
    n_types: tuple[int, ...]
    n_messages: tuple[int, ...]
    horizon: int
    observation_space: gym.spaces.Box
    action_space: gym.Space[Any]
    n_observations: int
    leader_utility_range: tuple[float, float]
    follower_utility_range: tuple[float, float]
    optimal_value: float | None
    response_iterations: int
    reward_plays: int
    keywords: Mapping[str, Any] = field(default_factory=dict)
    action_meanings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        space = self.action_space
        if isinstance(space, gym.spaces.Box) and not space.is_bounded():
            raise ValueError(f"a Box action_space must have finite bounds, got {space}")
        if self.action_meanings and len(self.action_meanings) != action_size(space):
            raise ValueError(
                f"action_meanings has {len(self.action_meanings)} entries, {space} needs "
                f"{action_size(space)}"
            )

    @cached_property
    def action_check(self) -> BatchActionCheck:
        """The validator of batches of actions of :attr:`action_space`."""
        return BatchActionCheck(self.action_space)

    @property
    def size_keywords(self) -> dict[str, Any]:
        """The keywords a size guard names for this game's type and message counts: its
        :attr:`keywords`, or ``n_types`` and ``n_messages`` themselves if it declares none."""
        return dict(self.keywords) or {"n_types": self.n_types, "n_messages": self.n_messages}

    @property
    def n_followers(self) -> int:
        """Number of followers."""
        return len(self.n_types)


class StackelbergGame(ABC):
    """Base class of the batched base games of the Stackelberg POMDP family."""

    spec: GameSpec
    types: TypeDistribution
    #: the leader's observation fields, declared once: :meth:`observe`, :meth:`observation_index`
    #: and :meth:`observation_vectors` all read them through it
    observation_encoding: ObservationEncoding

    @classmethod
    def keyword_defaults(cls) -> dict[str, Any]:
        """The game's own keywords that have a default, with it (its constructor's declared
        defaults: what an id's configuration holds where the user gave nothing)."""
        parameters = inspect.signature(cls).parameters.values()
        return {p.name: p.default for p in parameters if p.default is not p.empty}

    @abstractmethod
    def new_plays(self, batch: int) -> Any:
        """Allocate the state of ``batch`` plays (contents undefined until :meth:`start`)."""

    @abstractmethod
    def start(
        self,
        plays: Any,
        rows: NDArray[np.intp],
        types: NDArray[np.intp],
        messages: NDArray[np.intp],
    ) -> None:
        """Begin new plays in ``rows`` (increasing row indices) with type profiles and message
        profiles of shape (k, n)."""

    @abstractmethod
    def step(self, plays: Any, action: NDArray[Any]) -> NDArray[np.bool_]:
        """Apply one leader action per row (batch-first, already checked); return which plays
        are finished. Rows already finished are left unchanged."""

    @abstractmethod
    def observation_fields(self, plays: Any) -> NDArray[np.integer]:
        """What the leader sees of every play, as the integer fields of
        :attr:`observation_encoding`, shape (batch, len(observation_encoding.sizes))."""

    def observe(self, plays: Any) -> NDArray[np.float32]:
        """The leader's observation of every play, shape (batch, *observation_space.shape):
        its fields encoded by :attr:`observation_encoding`."""
        return self.observation_encoding.vectors(self.observation_fields(plays))

    def observation_index(self, plays: Any) -> NDArray[np.intp]:
        """The policy-table row of every play's current observation, in [0, n_observations):
        its fields read as one mixed-radix number by :attr:`observation_encoding`."""
        return self.observation_encoding.index(self.observation_fields(plays))

    @abstractmethod
    def utilities(
        self, plays: Any, rows: NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Utilities of finished plays in ``rows``: leader (k,) and followers (k, n)."""

    @abstractmethod
    def describe_observation(self, index: int) -> dict[str, Any]:
        """A readable description of policy-table row ``index`` (for JSON tables and docs)."""

    def observation_vectors(self) -> NDArray[np.float32]:
        """The observation of every policy-table row, (n_observations, *observation_shape):
        row ``i`` is what :meth:`observe` shows where :meth:`observation_index` is ``i``."""
        return self.observation_encoding.table()

    def check_action(self, action: Any) -> NDArray[Any]:
        """``action`` as a batch-first array after checking it lies in the action space.

        Raises:
            ValueError: naming ``action`` and the allowed values, for NaN, infinite,
                out-of-range, non-integer (discrete spaces) or wrongly shaped actions.
        """
        return self.spec.action_check(action)


def action_size(space: gym.Space[Any]) -> int:
    """How many things an action of ``space`` is made of: the values of a ``Discrete`` space,
    the entries of a ``MultiDiscrete`` or of a (flat) ``Box``."""
    if isinstance(space, gym.spaces.Discrete):
        return int(space.n)
    return int(np.prod(space.shape))


def one_hot(index: NDArray[np.intp], size: int) -> NDArray[np.float32]:
    """One-hot rows (..., size) of integer ``index``."""
    return (index[..., None] == np.arange(size)).astype(np.float32)


def mixed_radix(digits: NDArray[np.intp], bases: tuple[int, ...]) -> NDArray[np.intp]:
    """Integers from digits (..., d) in mixed radix ``bases``, first digit most significant."""
    return digits @ radix_weights(bases)
