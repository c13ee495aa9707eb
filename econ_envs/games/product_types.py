"""Independent follower types for games with many followers, drawn without enumerating profiles.

:class:`~econ_envs.games.types.TypeDistribution` tabulates every type profile (``prod K_i`` rows),
which is what exact evaluation needs but is impossible for, say, 20 followers with 6 types each.
:class:`ProductTypes` offers the same interface; it draws each follower's type from its own
marginal and enumerates profiles only when asked and only if there are at most
:data:`MAX_PROFILES` of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from econ_envs.games.types import MAX_PROFILES, TypeDistribution
from econ_envs.random import StreamBatch, categorical
from econ_envs.validation import check_size


class ProductTypes(TypeDistribution):
    """Independent types with the given marginals.

    Args:
        marginals: one probability vector per follower (finite, non-negative, summing to 1).

    ``sample(u)`` turns each uniform ``u`` into one type per follower by using the 53 bits of
    ``u`` as the key of a counter-based stream (:class:`~econ_envs.random.StreamBatch`), so a
    draw is a deterministic function of ``u`` and batch == single still holds bit for bit.
    """

    def __init__(self, marginals: Sequence[ArrayLike]):  # no super().__init__: it enumerates
        self.n_types = tuple(len(np.atleast_1d(m)) for m in marginals)
        self.marginals = [
            TypeDistribution((k,), [m]).joint for k, m in zip(self.n_types, marginals, strict=True)
        ]
        self.padded = np.zeros((len(self.n_types), max(self.n_types)))
        for i, m in enumerate(self.marginals):
            self.padded[i, : len(m)] = m
        self._table: TypeDistribution | None = None

    def _enumerated(self) -> TypeDistribution:
        check_size(
            "type profiles, too many to enumerate (exact evaluation and "
            "dynamics='best_response' need them; use sampling dynamics such as 'mw' or 'logit')",
            math.prod(self.n_types),
            MAX_PROFILES,
            n_types=self.n_types,
        )
        if self._table is None:
            self._table = TypeDistribution(self.n_types, self.marginals)
        return self._table

    @property
    def joint(self) -> NDArray[np.float64]:  # type: ignore[override]
        """The joint probability table (only for at most :data:`MAX_PROFILES` profiles)."""
        return self._enumerated().joint

    @property
    def profiles(self) -> NDArray[np.intp]:  # type: ignore[override]
        """Every type profile (only for at most :data:`MAX_PROFILES` profiles)."""
        return self._enumerated().profiles

    @property
    def profile_probs(self) -> NDArray[np.float64]:  # type: ignore[override]
        """Probability of each row of :attr:`profiles`."""
        return self._enumerated().profile_probs

    def sample(self, u: NDArray[np.float64]) -> NDArray[np.intp]:
        rows = np.arange(len(u))
        streams = StreamBatch(len(u))
        streams.seed(rows, (u * 2.0**53).astype(np.uint64))
        draws = streams.uniform(rows, self.n_followers)
        return categorical(self.padded, draws)

    def marginal(self, follower: int) -> NDArray[np.float64]:
        return self.marginals[follower]
