"""Counter-based random streams, one per environment, drawn in a vectorized way.

Every environment of a batch owns a 64-bit key and a draw counter. A draw for a subset of
environments hashes ``(key, counter)`` with SplitMix64 and advances those counters only, so the
numbers an environment sees depend on its own seed and history alone: a vector env of size B and
B single envs with the same seeds draw identical numbers, bit for bit, without a Python loop.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

# constants as 0-d arrays: numpy applies them faster than scalars, which it converts per call
_GOLDEN = np.array(0x9E3779B97F4A7C15, np.uint64)
_MIX1 = np.array(0xBF58476D1CE4E5B9, np.uint64)
_MIX2 = np.array(0x94D049BB133111EB, np.uint64)
_SHIFTS = tuple(np.array(shift, np.uint64) for shift in (30, 27, 31, 11))
_TO_UNIT = np.array(2.0**-53)


def _splitmix64(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The SplitMix64 finalizer (uint64 array arithmetic wraps silently)."""
    x = (x ^ (x >> _SHIFTS[0])) * _MIX1
    x = (x ^ (x >> _SHIFTS[1])) * _MIX2
    return x ^ (x >> _SHIFTS[2])


def key_from_seed(seed: int) -> np.uint64:
    """The stream key of an integer seed (any Python int; reduced modulo 2**64)."""
    with np.errstate(over="ignore"):
        return _splitmix64(np.array([seed % 2**64], dtype=np.uint64))[0]


class StreamBatch:
    """Independent random streams for a batch of environments.

    Args:
        size: number of streams (environments).
    """

    def __init__(self, size: int) -> None:
        self.keys = np.zeros(size, dtype=np.uint64)
        self.counters = np.zeros(size, dtype=np.uint64)
        self._draws: dict[int, tuple[NDArray[np.uint64], NDArray[np.uint64]]] = {}

    def seed(self, rows: NDArray[np.intp], seeds: NDArray[np.uint64]) -> None:
        """Give ``rows`` the stream keys ``seeds`` (see :func:`key_from_seed`) and restart them."""
        self.keys[rows] = seeds
        self.counters[rows] = 0

    def uniform(self, rows: NDArray[np.intp], count: int) -> NDArray[np.float64]:
        """``count`` uniforms in [0, 1) per stream in ``rows``: shape (len(rows), count).

        Draw ``j`` of a stream hashes ``key + (counter + j) * golden`` (wrapping uint64
        arithmetic), computed as ``(key + counter * golden) + j * golden``.
        """
        if count not in self._draws:
            steps = np.arange(1, count + 1, dtype=np.uint64)
            self._draws[count] = (np.array(count, np.uint64), steps * _GOLDEN)
        advance, offsets = self._draws[count]
        start = self.counters.take(rows)
        origin = self.keys.take(rows) + start * _GOLDEN
        self.counters[rows] = start + advance
        bits = _splitmix64(origin[:, None] + offsets)
        return (bits >> _SHIFTS[3]).astype(np.float64) * _TO_UNIT


def categorical(probs: NDArray[np.float64], u: NDArray[np.float64]) -> NDArray[np.intp]:
    """Inverse-CDF draws: for each row of ``probs`` (..., k) and uniform ``u`` (...), an index.

    The index is the number of cumulative sums at most ``u`` times the total, capped at the last
    index of positive probability, so indices with probability 0 are never drawn, even under
    rounding of the cumulative sum.

    The last axis (messages, types) is short, and numpy reduces a short last axis several times
    slower than it combines its slices, so the sums and counts run slice by slice.
    """
    cumulative = [probs[..., 0]]
    for position in range(1, probs.shape[-1]):
        cumulative.append(cumulative[-1] + probs[..., position])
    scaled = u * cumulative[-1]  # u times the total
    index = np.zeros(scaled.shape, np.intp)
    for total in cumulative:
        index += scaled >= total
    return np.minimum(index, last_positive(probs))


def last_positive(probs: NDArray[np.float64]) -> NDArray[np.intp]:
    """The last index of positive probability of every row of ``probs`` (..., k); ``k - 1``
    where no entry is positive. Slice by slice, as :func:`categorical`."""
    last = np.full(probs.shape[:-1], probs.shape[-1] - 1, np.intp)
    for position in range(probs.shape[-1]):
        last[probs[..., position] > 0] = position
    return last
