"""Allocation from cheap talk: a follower tells the leader which item it wants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray

from econ_envs.games.base import GameSpec, StackelbergGame
from econ_envs.games.observation import ObservationEncoding, ObservedField, one_hot_columns
from econ_envs.games.types import MAX_PROFILES, TypeDistribution
from econ_envs.validation import MAX_ENTRIES, check_positive_int, check_size


@dataclass
class MessageAllocationPlays:
    """Batched play state: wanted item, message, allocated item (-1 before the leader acts)."""

    wanted: NDArray[np.intp]
    message: NDArray[np.intp]
    item: NDArray[np.intp]


class MessageAllocation(StackelbergGame):
    """One follower wants one of ``n_items`` items (uniform); it sends one of ``n_messages``
    messages; the leader sees the message and allocates one item. Both get 1 if the item is the
    wanted one, else 0. Optimum ``min(n_messages, n_items) / n_items``.

    Args:
        n_items: number of items (follower types), at most
            :data:`~econ_envs.games.types.MAX_PROFILES`.
        n_messages: number of messages; ``n_messages ** 2`` (its one-hot table) at most
            :data:`~econ_envs.validation.MAX_ENTRIES`.

    Leader observation: one-hot message. Default episode: 33 response iterations, 30 reward plays.
    """

    def __init__(self, n_items: int = 3, n_messages: int = 3):
        self.n_items = check_positive_int("n_items", n_items)
        self.n_messages = check_positive_int("n_messages", n_messages)
        check_size("types (one per item)", self.n_items, MAX_PROFILES, n_items=self.n_items)
        check_size(
            "message one-hot entries (n_messages ** 2)",
            self.n_messages**2,
            MAX_ENTRIES,
            n_messages=self.n_messages,
        )
        self.types = TypeDistribution((self.n_items,))
        #: one field, the message, shown one-hot
        self.observation_encoding = ObservationEncoding(
            (self.n_messages,),
            one_hot_columns(0, self.n_messages),
            (ObservedField("the follower's message"),),
        )
        self.spec = GameSpec(
            name="MessageAllocation",
            n_types=(self.n_items,),
            n_messages=(self.n_messages,),
            horizon=1,
            observation_space=gym.spaces.Box(0.0, 1.0, (self.n_messages,), np.float32),
            action_space=gym.spaces.Discrete(self.n_items),
            n_observations=self.observation_encoding.n_observations,
            leader_utility_range=(0.0, 1.0),
            follower_utility_range=(0.0, 1.0),
            optimal_value=min(self.n_messages, self.n_items) / self.n_items,
            response_iterations=33,
            reward_plays=30,
            keywords={"n_items": self.n_items, "n_messages": self.n_messages},
            action_meanings=tuple(f"allocate item {i}" for i in range(self.n_items)),
        )

    def new_plays(self, batch: int) -> MessageAllocationPlays:
        return MessageAllocationPlays(
            np.zeros(batch, np.intp), np.zeros(batch, np.intp), np.full(batch, -1, np.intp)
        )

    def start(self, plays, rows, types, messages) -> None:
        plays.wanted[rows] = types[:, 0]
        plays.message[rows] = messages[:, 0]
        plays.item[rows] = -1

    def step(self, plays, action) -> NDArray[np.bool_]:
        plays.item = np.where(plays.item < 0, action, plays.item)
        return np.ones(plays.item.shape[0], bool)

    def observation_fields(self, plays) -> NDArray[np.intp]:
        return plays.message[:, None]

    def utilities(self, plays, rows):
        hit = (plays.item[rows] == plays.wanted[rows]).astype(np.float64)
        return hit, hit[:, None]

    def describe_observation(self, index: int) -> dict[str, Any]:
        return {"index": index, "message": index}
