"""Bounds for the tests of "refused before anything large is allocated": memory, not wall clock
(timings belong in benchmarks, not in tests that run on a shared machine)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager

#: what a refused call may allocate at most (the fuzz judge's bound, ``fuzz_judge.LIMIT_MB``):
#: far below the refused sizes (some guards still build up to ~300 MiB before refusing)
SMALL_MIB = 512.0


@contextmanager
def allocates_at_most(mib: float = SMALL_MIB) -> Iterator[None]:
    """Fail unless the block's peak traced allocation (Python objects and numpy arrays, which
    numpy reports to :mod:`tracemalloc`) stays within ``mib`` MiB."""
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= mib * 2**20, f"allocated {peak / 2**20:.1f} MiB, more than {mib} MiB"
