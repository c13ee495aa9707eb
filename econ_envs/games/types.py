"""Follower type distributions: independent marginals or a joint probability table."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from econ_envs.random import last_positive
from econ_envs.validation import (
    check_positive_int,
    check_real_array,
    check_sequence,
    check_size,
)

#: the most type profiles a game enumerates (the rows of :attr:`TypeDistribution.profiles`)
MAX_PROFILES = 1_000_000
#: the most followers of an enumerated type table: one array axis each (numpy allows 32 axes
#: before version 2, 64 since)
MAX_TABLE_FOLLOWERS = 32


class TypeDistribution:
    """A distribution over type profiles of ``n`` followers with ``K_i`` types each.

    Args:
        n_types: the number of types of every follower.
        type_probs: per-follower marginals (independent types); ``None`` means uniform.
        joint_type_probs: a joint probability table of shape ``n_types`` (correlated types).
            At most one of ``type_probs`` and ``joint_type_probs`` may be given. Probabilities
            must be finite, non-negative and sum to 1 within 1e-9.

    At most :data:`MAX_TABLE_FOLLOWERS` followers and :data:`MAX_PROFILES` type profiles (they
    are enumerated), checked first.
    """

    def __init__(
        self,
        n_types: Sequence[int],
        type_probs: Sequence[ArrayLike] | None = None,
        joint_type_probs: ArrayLike | None = None,
    ):
        n = len(n_types)
        check_size(
            "followers (axes of the joint type table)", n, MAX_TABLE_FOLLOWERS, n_followers=n
        )
        self.n_types = tuple(check_positive_int(f"n_types[{i}]", k) for i, k in enumerate(n_types))
        check_size("type profiles", math.prod(self.n_types), MAX_PROFILES, n_types=self.n_types)
        if type_probs is not None and joint_type_probs is not None:
            raise ValueError("give at most one of type_probs (marginals) and joint_type_probs")
        if joint_type_probs is not None:
            self.joint = check_real_array("joint_type_probs", joint_type_probs)
            _check_probabilities("joint_type_probs", self.joint, self.n_types)
        else:
            self.joint = _independent(self.n_types, type_probs)
        grids = np.meshgrid(*[np.arange(k) for k in self.n_types], indexing="ij")
        #: every type profile, shape (n_profiles, n), in C order of the joint table
        self.profiles: NDArray[np.intp] = np.stack([g.ravel() for g in grids], axis=1)
        #: probability of each row of :attr:`profiles`
        self.profile_probs: NDArray[np.float64] = self.joint.ravel()
        #: the row of :attr:`profiles` of type profiles ``t`` (..., n) is ``t @ profile_weights``
        self.profile_weights: NDArray[np.intp] = radix_weights(self.n_types)
        self._cdf = np.cumsum(self.profile_probs)
        self._total = np.array(self._cdf[-1])
        self._last_positive = last_positive(self.profile_probs)

    @property
    def n_followers(self) -> int:
        """Number of followers."""
        return len(self.n_types)

    def sample(self, u: NDArray[np.float64]) -> NDArray[np.intp]:
        """Type profiles (k, n) from uniforms ``u`` of shape (k,): the inverse-CDF draw of
        :func:`econ_envs.random.categorical`, by binary search in the fixed CDF."""
        index = self._cdf.searchsorted(u * self._total, side="right")
        return self.profiles.take(np.minimum(index, self._last_positive), axis=0)

    def marginal(self, follower: int) -> NDArray[np.float64]:
        """The marginal type distribution of one follower."""
        axes = tuple(a for a in range(self.n_followers) if a != follower)
        return self.joint.sum(axis=axes)


@functools.cache
def radix_weights(bases: tuple[int, ...]) -> NDArray[np.intp]:
    """The place values of mixed-radix digits in ``bases``, first digit most significant
    (computed once per ``bases``; read-only)."""
    weights = np.cumprod((1, *bases[:0:-1]))[::-1]
    weights.flags.writeable = False
    return weights


def _independent(
    n_types: tuple[int, ...], type_probs: Sequence[ArrayLike] | None
) -> NDArray[np.float64]:
    if type_probs is None:
        return np.full(n_types, 1.0 / np.prod(n_types))
    type_probs = check_sequence("type_probs", type_probs, "one marginal per follower")
    if len(type_probs) != len(n_types):
        raise ValueError(
            f"type_probs must hold one marginal per follower ({len(n_types)}), "
            f"got {len(type_probs)}"
        )
    table = np.ones(())
    for i, (p, k) in enumerate(zip(type_probs, n_types, strict=True)):
        marginal = check_real_array(f"type_probs[{i}]", p)
        _check_probabilities(f"type_probs[{i}]", marginal, (k,))
        table = np.multiply.outer(table, marginal)
    return table


def _check_probabilities(name: str, p: NDArray[np.float64], shape: tuple[int, ...]) -> None:
    if p.shape != shape:
        raise ValueError(f"{name} must have shape {shape} (one entry per type), got {p.shape}")
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise ValueError(f"{name} must hold finite non-negative probabilities, got {p.tolist()}")
    if abs(p.sum() - 1.0) > 1e-9:
        raise ValueError(f"{name} must sum to 1, got sum {p.sum():.12g}")
