"""Exact equilibrium quantities of a base game whose outcomes are tabulated.

An *outcome tensor* holds every play's utilities for every type profile and message profile
(the leader's policy is fixed, so a play is a deterministic function of both). From it and the
followers' deterministic strategies (type -> message) this module computes, exactly and batched
over independent instances: interim expected utilities of every deviation, equilibrium regret,
the leader's expected utility, and a pure Bayes–Nash equilibrium: by iterated best response, and
where that fails by exhaustive search over pure strategy profiles (see
:func:`best_response_equilibrium`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from econ_envs.games.base import mixed_radix
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import check_size

#: the most pure strategy profiles (times searching followers) the exhaustive search visits
MAX_SEARCH_PROFILES = 2**23
#: profiles (and others' strategies) handled per numpy pass of the search
_CHUNK = 2**15


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
    """A pure Bayes–Nash equilibrium whenever one exists, else the pure profile of least regret.

    First, round-robin best responses from all-zero messages: each follower in turn switches
    every type to its best message (ties to the lowest index) against the others' current
    strategies, until a full round changes nothing or ``max_rounds`` rounds have passed. Where
    that ends at an equilibrium, it is the one returned. Elsewhere (the dynamics cycled), every
    pure strategy profile is searched (:func:`least_regret_profile`): the first equilibrium in
    lexicographic order is returned, or, when there is none, the first profile of least regret.

    Types of probability 0 always send message 0. Returns the strategies (batch, n, max_types)
    and their regret: 0 exactly where a pure equilibrium exists, > 0 where none does.

    Raises:
        ValueError: if the search is needed and has more than :data:`MAX_SEARCH_PROFILES`
            profiles to visit (:func:`search_size`); checked before anything is enumerated.
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
    regret = equilibrium_regret(tensor, strategies)
    cycled = np.flatnonzero(regret > 0)
    if cycled.size:
        check_search_size(tensor.types, tensor.n_messages)
        for b in cycled:
            one = OutcomeTensor(
                tensor.leader[b], tensor.followers[b], tensor.types, tensor.n_messages
            )
            strategies[b] = least_regret_profile(one)
        searched = OutcomeTensor(
            tensor.leader[cycled], tensor.followers[cycled], tensor.types, tensor.n_messages
        )
        regret[cycled] = equilibrium_regret(searched, strategies[cycled])
    return strategies, regret


# -- exhaustive search over pure strategy profiles --------------------------------------------


def positive_types(types: TypeDistribution) -> list[NDArray[np.intp]]:
    """Each follower's types of positive probability, ascending."""
    return [
        np.flatnonzero(np.bincount(types.profiles[:, i], types.profile_probs, k) > 0)
        for i, k in enumerate(types.n_types)
    ]


def search_size(types: TypeDistribution, n_messages: tuple[int, ...]) -> int:
    """What the exhaustive search of :func:`best_response_equilibrium` visits: the number of
    pure strategy profiles (``prod_i n_messages[i] ** positive types of i``) times the number
    of followers with a choice (more than one message); 0 when at most one follower has a
    choice, since a best response per type is then an equilibrium and nothing is searched."""
    choosing = [m for m in n_messages if m > 1]
    if len(choosing) < 2:
        return 0
    active = positive_types(types)
    profiles = math.prod(m ** len(k) for m, k in zip(n_messages, active, strict=True))
    return profiles * len(choosing)


def check_search_size(types: TypeDistribution, n_messages: tuple[int, ...]) -> None:
    """``ValueError`` if :func:`search_size` exceeds :data:`MAX_SEARCH_PROFILES`."""
    check_size(
        "entries (pure strategy profiles x followers with a choice) to search for a pure "
        "equilibrium; use dynamics='mw' for a game this large",
        search_size(types, n_messages),
        MAX_SEARCH_PROFILES,
        dynamics="best_response",
        n_types=types.n_types,
        n_messages=n_messages,
    )


def pure_strategies(types: TypeDistribution, n_messages: tuple[int, ...]) -> list[NDArray]:
    """Each follower's pure strategies (S_i, max_types), in lexicographic order of the messages
    of its types of positive probability (lowest type most significant); other types send 0."""
    tables = []
    for m, active in zip(n_messages, positive_types(types), strict=True):
        table = np.zeros((m ** len(active), max(types.n_types)), np.intp)
        table[:, active] = all_message_profiles((m,) * len(active))
        tables.append(table)
    return tables


def least_regret_profile(tensor: OutcomeTensor) -> NDArray[np.intp]:
    """The first pure strategy profile of least regret (a pure Bayes–Nash equilibrium if one
    exists) of an unbatched tensor: (n, max_types).

    Profiles are visited in lexicographic order of follower 0's strategy, then follower 1's, ...
    (each in the order of :func:`pure_strategies`), and the search stops at the first
    equilibrium. Each follower's deviation gains are tabulated once per strategy profile of the
    others, so one profile costs one gather per follower type.
    """
    tables = pure_strategies(tensor.types, tensor.n_messages)
    active = positive_types(tensor.types)
    sizes = [len(t) for t in tables]
    choosing = [i for i, m in enumerate(tensor.n_messages) if m > 1]
    gains = {i: _deviation_gains(tensor, tables, i) for i in choosing}
    best_regret, best_index = np.inf, 0
    for start in range(0, math.prod(sizes), _CHUNK):
        stop = min(start + _CHUNK, math.prod(sizes))
        digits = np.stack(np.unravel_index(np.arange(start, stop), sizes), axis=1)
        regret = np.zeros(stop - start)
        for i in choosing:
            others = np.ravel_multi_index(
                tuple(np.delete(digits, i, axis=1).T), sizes[:i] + sizes[i + 1 :]
            )
            messages = tables[i][digits[:, i]][:, active[i]]  # (c, K_i)
            gain = gains[i][others[:, None], np.arange(len(active[i])), messages]
            np.maximum(regret, gain.max(axis=1), out=regret)
        at = int(np.argmin(regret))
        if regret[at] < best_regret:
            best_regret, best_index = regret[at], start + at
        if best_regret == 0.0:
            break
    chosen = np.unravel_index(best_index, sizes)
    return np.stack([table[s] for table, s in zip(tables, chosen, strict=True)])


def _deviation_gains(
    tensor: OutcomeTensor, tables: list[NDArray[np.intp]], i: int
) -> NDArray[np.float64]:
    """``gain[o, k, a]``: how much follower ``i``'s ``k``-th type of positive probability gains
    by leaving message ``a`` for its best one, the others playing their ``o``-th joint pure
    strategy (mixed radix over :func:`pure_strategies`, follower order): (S_-i, K_i, M_i)."""
    others = [j for j in range(len(tables)) if j != i]
    sizes = [len(tables[j]) for j in others]
    active, m = positive_types(tensor.types)[i], tensor.n_messages[i]
    gains = np.empty((math.prod(sizes), len(active), m))
    for start in range(0, len(gains), _CHUNK):
        rows = np.arange(start, min(start + _CHUNK, len(gains)))
        strategies = np.zeros((len(rows), len(tables), tables[i].shape[1]), np.intp)
        for j, digit in zip(others, np.unravel_index(rows, sizes), strict=True):
            strategies[:, j] = tables[j][digit]
        batched = OutcomeTensor(
            np.broadcast_to(tensor.leader, (len(rows), *tensor.leader.shape)),
            np.broadcast_to(tensor.followers, (len(rows), *tensor.followers.shape)),
            tensor.types,
            tensor.n_messages,
        )
        expected = interim_utilities(batched, strategies)[:, i][:, active, :m]
        gains[rows] = expected.max(axis=2, keepdims=True) - expected
    return gains
