"""A training run's folder: claimed exclusively when a run starts, locked while a run trains.

Two runs started in the same second get the same name (``{env}__{algo}__{seed}__{unix time}``);
the second one's folder is ``<name>-2`` (then ``-3``, ...), so neither overwrites the other's
checkpoint, table or W&B run. While a run trains it holds an exclusive ``flock`` on
``<folder>/.lock`` holding its pid; a second run of the same folder (a second ``--resume``)
stops at once with :class:`RunFolderInUse` naming that pid, before it writes anything. The lock
goes with the process, even one that is killed. A finished run leaves its table and its
submission in the files the leaderboards read (:data:`leaderboards.convert.TABLE_NAME`,
:data:`leaderboards.convert.SUBMISSION_NAME`).
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".lock"


class RunFolderInUse(RuntimeError):
    """Another live process trains in this run folder; the message names its pid."""


def claim_run_folder(parent: Path, name: str) -> tuple[str, Path]:
    """Create ``parent/name`` (or the first free ``parent/name-k``, k = 2, 3, ...) exclusively;
    return the name taken and the folder."""
    parent.mkdir(parents=True, exist_ok=True)
    for k in itertools.count(1):
        taken = name if k == 1 else f"{name}-{k}"
        try:
            (parent / taken).mkdir()
        except FileExistsError:
            continue
        return taken, parent / taken
    raise AssertionError("unreachable")  # itertools.count never ends


@contextlib.contextmanager
def run_folder_lock(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s lock while the body runs; :class:`RunFolderInUse` if a live process
    holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_NAME, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunFolderInUse(
                f"{folder} is in use by a training run that is still running (pid {holder})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
