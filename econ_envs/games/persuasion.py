"""Bayesian persuasion (information design): the leader commits to a signalling scheme.

The state of the world is good with probability ``prior`` and bad otherwise. The leader sees the
state and sends one of ``n_signals`` signals; the buyer, who does not see the state, has
committed to a *plan* (which signals it buys on) and buys or not. Buying pays the buyer +1 if
the state is good and -1 if it is bad; the leader gets 1 per sale. With ``prior = 1/3`` the best
scheme sends "buy" always when good and half the time when bad: sale probability 2/3
(Kamenica & Gentzkow 2011); in general ``min(1, 2 * prior)``.

How this fits the Stackelberg base game (SPEC §1.1): the state of the world is the type of a
second follower, *nature*, who has a single message; the game shows the leader that state.
Follower 0 is the buyer (one type, ``2 ** n_signals`` plans), follower 1 is nature (two types,
bad = 0 and good = 1, utility 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray

from econ_envs.games.base import GameSpec, StackelbergGame
from econ_envs.games.observation import ObservationEncoding, ObservedField, one_hot_columns
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import MAX_ENTRIES, check_finite, check_positive_int, check_size, power


@dataclass
class PersuasionPlays:
    """Batched play state: the state of the world, the buyer's plan, the sale probability."""

    good: NDArray[np.intp]
    plan: NDArray[np.intp]
    sale: NDArray[np.float64]
    finished: NDArray[np.bool_]


class Persuasion(StackelbergGame):
    """Information design with one buyer.

    Args:
        prior: probability that the state is good, in (0, 1).
        n_signals: number of signals, >= 2 (two already attain the optimum); the buyer has
            ``2 ** n_signals`` plans, a table of at most
            :data:`~econ_envs.validation.MAX_ENTRIES` entries (``n_signals <= 21``).

    Buyer plans: plan ``m`` *refuses* on signal ``s`` iff bit ``s`` of ``m`` is set, so plan 0
    buys on every signal and the highest plan never buys. Followers break ties towards the
    lowest message, so an indifferent buyer buys: the sender-preferred tie-breaking of Bayesian
    persuasion, under which the optimum ``min(1, 2 * prior)`` is attained.

    Leader observation: one-hot state of the world (bad, good). Action: ``Box[0,1]^n_signals``,
    the weights of the signals sent in the observed state, normalized by their sum (all zeros:
    uniform); utilities are expectations over the signal. Default episode: 33 response
    iterations, 30 reward plays.
    """

    def __init__(self, prior: float = 1 / 3, n_signals: int = 2):
        self.prior = check_finite("prior", prior)
        if not 0 < self.prior < 1:
            raise ValueError(f"prior must lie in (0, 1), got {prior!r}")
        self.n_signals = check_positive_int("n_signals", n_signals)
        if self.n_signals < 2:
            raise ValueError(
                f"n_signals must be >= 2 (one signal carries no information), got {n_signals!r}"
            )
        check_size(
            "buyer-plan entries (2 ** n_signals plans x n_signals)",
            power(2, self.n_signals) * self.n_signals,
            MAX_ENTRIES,
            n_signals=self.n_signals,
        )
        n_plans = 2**self.n_signals
        #: buys[m, s]: plan m buys on signal s
        self.buys = ((np.arange(n_plans)[:, None] >> np.arange(self.n_signals)) & 1) == 0
        # the complement of the nearest simple fraction, correctly rounded: 1 - float(1/3) is
        # one ulp above float(2/3), which would break the buyer's tie at the optimum
        bad = float(1 - Fraction(self.prior).limit_denominator(10**6))
        self.types = TypeDistribution((1, 2), [[1.0], [bad, self.prior]])
        #: one field, the state of the world (0 bad, 1 good), shown one-hot
        state = ObservedField("state of the world", ("bad", "good"))
        self.observation_encoding = ObservationEncoding((2,), one_hot_columns(0, 2), (state,))
        self.spec = GameSpec(
            name="Persuasion",
            n_types=(1, 2),
            n_messages=(n_plans, 1),
            horizon=1,
            observation_space=gym.spaces.Box(0.0, 1.0, (2,), np.float32),
            action_space=gym.spaces.Box(0.0, 1.0, (self.n_signals,), np.float32),
            n_observations=self.observation_encoding.n_observations,
            leader_utility_range=(0.0, 1.0),
            follower_utility_range=(-1.0, 1.0),
            optimal_value=min(1.0, 2 * self.prior),
            response_iterations=33,
            reward_plays=30,
            keywords={"n_signals": self.n_signals},
            action_meanings=tuple(
                f"weight of signal {s} in the observed state (normalized by the sum)"
                for s in range(self.n_signals)
            ),
        )

    def new_plays(self, batch: int) -> PersuasionPlays:
        return PersuasionPlays(
            np.zeros(batch, np.intp),
            np.zeros(batch, np.intp),
            np.zeros(batch),
            np.zeros(batch, bool),
        )

    def start(self, plays, rows, types, messages) -> None:
        plays.good[rows] = types[:, 1]
        plays.plan[rows] = messages[:, 0]
        plays.sale[rows] = 0.0
        plays.finished[rows] = False

    def step(self, plays, action) -> NDArray[np.bool_]:
        weights = action.astype(np.float64)
        total = weights.sum(axis=1, keepdims=True)
        signals = np.where(
            total > 0, weights / np.where(total > 0, total, 1.0), 1.0 / self.n_signals
        )
        sale = (signals * self.buys[plays.plan]).sum(axis=1)
        plays.sale = np.where(plays.finished, plays.sale, sale)
        plays.finished[:] = True
        return plays.finished.copy()

    def observation_fields(self, plays) -> NDArray[np.intp]:
        return plays.good[:, None]

    def utilities(self, plays, rows):
        sale = plays.sale[rows]
        buyer = sale * np.where(plays.good[rows] == 1, 1.0, -1.0)
        return sale, np.stack([buyer, np.zeros_like(buyer)], axis=1)

    def describe_observation(self, index: int) -> dict[str, Any]:
        return {"index": index, "state": ("bad", "good")[index]}
