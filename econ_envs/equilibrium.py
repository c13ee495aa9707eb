"""Exact equilibrium quantities of a base game whose outcomes are tabulated.

An *outcome tensor* holds every play's utilities for every type profile and message profile
(the leader's policy is fixed, so a play is a deterministic function of both). From it and the
followers' deterministic strategies (type -> message) this module computes, exactly and batched
over independent instances: interim expected utilities of every deviation, equilibrium regret,
the leader's expected utility, and a pure Bayes–Nash equilibrium by iterated best response.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from econ_envs.games.base import mixed_radix
from econ_envs.games.types import TypeDistribution


@dataclass(frozen=True)
class OutcomeTensor:
    """Utilities of every (type profile, message profile) play under a fixed leader policy.

    Attributes:
        leader: shape (..., n_type_profiles, n_message_profiles).
        followers: shape (..., n_type_profiles, n_message_profiles, n).
        types: the type distribution (row order of the type-profile axis).
        n_messages: messages per follower (mixed-radix order of the message-profile axis).
    """

    leader: NDArray[np.float64]
    followers: NDArray[np.float64]
    types: TypeDistribution
    n_messages: tuple[int, ...]

    def message_profile_index(self, messages: NDArray[np.intp]) -> NDArray[np.intp]:
        """Index on the message-profile axis of message profiles (..., n)."""
        return mixed_radix(messages, self.n_messages)

    def type_profile_index(self, types: NDArray[np.intp]) -> NDArray[np.intp]:
        """Index on the type-profile axis of type profiles (..., n)."""
        return mixed_radix(types, self.types.n_types)


def all_message_profiles(n_messages: tuple[int, ...]) -> NDArray[np.intp]:
    """Every message profile (prod n_messages, n), in mixed-radix order."""
    return TypeDistribution(n_messages).profiles


def played_messages(strategies: NDArray[np.intp], types: TypeDistribution) -> NDArray[np.intp]:
    """The message profile played at every type profile: (batch, n_type_profiles, n)."""
    n = types.n_followers
    return strategies[:, np.arange(n), types.profiles]


def interim_utilities(tensor: OutcomeTensor, strategies: NDArray[np.intp]) -> NDArray[np.float64]:
    """Expected utility of every follower, type and message, the others playing ``strategies``.

    Args:
        tensor: outcomes with a leading batch axis (batch, TP, MP, n).
        strategies: (batch, n, max_types) message of each follower type.

    Returns:
        (batch, n, max_types, max_messages); entries of types with probability 0 and of
        messages a follower does not have are ``-inf``.
    """
    types, m = tensor.types, tensor.n_messages
    n, max_m, max_k = len(m), max(m), max(types.n_types)
    played = played_messages(strategies, types)  # (B, TP, n)
    base = mixed_radix(played, m)  # (B, TP)
    radix = np.cumprod((1, *m[:0:-1]))[::-1]  # weight of each follower's digit
    alternatives = np.arange(max_m)
    valid = alternatives[None, :] < np.array(m)[:, None]  # (n, Mmax)
    shift = np.minimum(alternatives, np.array(m)[:, None] - 1)[None, None] - played[..., None]
    index = base[..., None, None] + shift * radix[None, None, :, None]  # (B, TP, n, Mmax)
    batch = np.arange(index.shape[0])[:, None, None, None]
    profile = np.arange(index.shape[1])[None, :, None, None]
    follower = np.arange(n)[None, None, :, None]
    utility = tensor.followers[batch, profile, index, follower]  # (B, TP, n, Mmax)
    weights = types.profile_probs[:, None, None] * (
        types.profiles[:, :, None] == np.arange(max_k)
    )  # (TP, n, Kmax)
    marginal = weights.sum(axis=0)  # (n, Kmax)
    expected = np.einsum("tik,btia->bika", weights, utility)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = expected / marginal[None, :, :, None]
    usable = (marginal > 0)[:, :, None] & valid[:, None, :]
    return np.where(usable[None], expected, -np.inf)


def equilibrium_regret(tensor: OutcomeTensor, strategies: NDArray[np.intp]) -> NDArray[np.float64]:
    """Largest interim gain any follower type has from deviating: (batch,); 0 at equilibrium."""
    expected = interim_utilities(tensor, strategies)
    current = np.take_along_axis(expected, strategies[..., None], axis=3)[..., 0]
    with np.errstate(invalid="ignore"):  # -inf - -inf for types of probability 0
        gain = expected.max(axis=3) - current
    gain = np.where(np.isfinite(current), gain, -np.inf)
    return np.maximum(gain.reshape(gain.shape[0], -1).max(axis=1), 0.0)


def leader_value(tensor: OutcomeTensor, strategies: NDArray[np.intp]) -> NDArray[np.float64]:
    """The leader's exact expected utility when followers play ``strategies``: (batch,)."""
    index = mixed_radix(played_messages(strategies, tensor.types), tensor.n_messages)
    rows = np.arange(index.shape[0])[:, None]
    profiles = np.arange(index.shape[1])[None, :]
    return tensor.leader[rows, profiles, index] @ tensor.types.profile_probs


def best_response_equilibrium(
    tensor: OutcomeTensor, max_rounds: int = 100
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """A pure Bayes–Nash equilibrium by round-robin best responses from all-zero messages.

    Each follower in turn switches every type to its best message (ties to the lowest index)
    against the others' current strategies, until a full round changes nothing or
    ``max_rounds`` rounds have passed. Returns the strategies (batch, n, max_types) and their
    regret (0 where an equilibrium was reached).
    """
    n, max_k = tensor.types.n_followers, max(tensor.types.n_types)
    strategies = np.zeros((tensor.followers.shape[0], n, max_k), np.intp)
    for _ in range(max_rounds):
        before = strategies.copy()
        for i in range(n):
            expected = interim_utilities(tensor, strategies)[:, i]
            best = np.argmax(expected, axis=2)
            strategies[:, i] = np.where(np.isfinite(expected.max(axis=2)), best, 0)
        if np.array_equal(before, strategies):
            break
    return strategies, equilibrium_regret(tensor, strategies)
