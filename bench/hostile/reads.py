"""Category ``reads``: files that cannot be read without a bound, block a reader, or hold
numbers and text that a careless parser would take.

``econ-leaderboard submit --file F`` (as a submission, and ``--format mappo`` for a result file
of ``econ-baselines train``) of a link to ``/dev/zero`` or ``/dev/urandom``, a FIFO, a sparse
1 GiB file, a table holding ``1`` followed by 400 zeros, a fractional training seed or step
count, UTF-16, a byte-order mark, invalid UTF-8, 10,000 nested ``[``, ``NaN``, a folder. Clean:
exit 2 or 3, one line, nothing written (the results folder not even created).

``econ-leaderboard show`` of a results folder holding one damaged leaderboard record (a copy of
a real one): UTF-16, a byte-order mark, a link to a record outside the tree, ``training.steps =
10**400``, a score of ``1e400``, a FIFO, a link to ``/dev/zero``, a sparse 1 GiB file, invalid
UTF-8, truncated. Clean: exit 0, a warning line naming the file, nothing written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .harness import ENV_ID, Case, Command, Fixtures, Result, head, run_case, sandbox

BIG_INT = "1" + "0" * 400
BOARD = ("MessageAllocation-v0", "default")

Maker = Callable[[Path, bytes], object]  # (the path to create, a valid file's bytes)


def _link(target: str) -> Maker:
    return lambda path, _: path.symlink_to(target)


def _sparse(path: Path, _: bytes) -> None:
    with open(path, "wb") as handle:
        handle.truncate(2**30)


def _json_with(change: Callable[[dict[str, Any]], object], literal: str = "") -> Maker:
    """The valid file changed by ``change``; the string ``"LITERAL"`` in it replaced by
    ``literal`` (JSON text no encoder writes)."""

    def make(path: Path, valid: bytes) -> None:
        data = json.loads(valid)
        change(data)
        path.write_text(json.dumps(data, indent=1).replace('"LITERAL"', literal))

    return make


def _set_table(data: dict[str, Any]) -> None:
    data["table"][0] = "LITERAL"


def _encoded(transform: Callable[[bytes], bytes]) -> Maker:
    return lambda path, valid: path.write_bytes(transform(valid))


#: both formats of submit
UNREADABLE: dict[str, Maker] = {
    "a link to /dev/zero": _link("/dev/zero"),
    "a link to /dev/urandom": _link("/dev/urandom"),
    "a FIFO": lambda path, _: os.mkfifo(path),
    "a sparse 1 GiB file": _sparse,
    "a table entry 1 followed by 400 zeros": _json_with(_set_table, BIG_INT),
}
#: submit of a submission
SUBMISSIONS: dict[str, Maker] = {
    "training.steps 2046.5": _json_with(lambda d: d["training"].update(steps=2046.5)),
    "UTF-16": _encoded(lambda valid: valid.decode().encode("utf-16")),
    "a byte-order mark": _encoded(lambda valid: b"\xef\xbb\xbf" + valid),
    "invalid UTF-8": _encoded(lambda valid: valid.replace(b'"method": "', b'"method": "\xff')),
    "10,000 nested [": _encoded(lambda _: b"[" * 10_000),
    "a table entry NaN": _json_with(_set_table, "NaN"),
    "a folder": lambda path, _: path.mkdir(),
}
#: submit --format mappo of a result file
RESULT_FILES: dict[str, Maker] = {
    "training_seed 1.7": _json_with(lambda d: d.update(training_seed=1.7)),
}
#: show, one damaged record in the results
RECORDS: dict[str, Maker] = {
    "UTF-16 record": _encoded(lambda valid: valid.decode().encode("utf-16")),
    "record with a byte-order mark": _encoded(lambda valid: b"\xef\xbb\xbf" + valid),
    "record linked from outside the tree": lambda path, valid: _outside(path, valid),
    "record training.steps 10**400": _json_with(
        lambda d: d["training"].update(steps="LITERAL"), BIG_INT
    ),
    "record score 1e400": _json_with(lambda d: d.update(score="LITERAL"), "1e400"),
    "record a FIFO": lambda path, _: os.mkfifo(path),
    "record a link to /dev/zero": _link("/dev/zero"),
    "record a sparse 1 GiB file": _sparse,
    "record invalid UTF-8": _encoded(
        lambda valid: valid.replace(b'"method": "', b'"method": "\xff')
    ),
    "record truncated": _encoded(lambda valid: valid[: len(valid) // 2]),
}


def _outside(path: Path, valid: bytes) -> None:
    """A valid record outside the results folder, linked from ``path``."""
    target = path.parents[3] / "elsewhere.json"
    target.write_bytes(valid)
    path.symlink_to(target)


def submit_argv(results: Path, file: Path, *options: str) -> list[str]:
    """``econ-leaderboard submit`` of ``file`` into ``results``, untracked."""
    argv = ["econ-leaderboard", "--results", str(results), "submit", "--env", ENV_ID]
    return [*argv, "--file", str(file), "--no-track", *options]


def _record(fixtures: Fixtures) -> tuple[str, bytes]:
    """The name and bytes of a real leaderboard record of the tiny run's table."""
    with sandbox("reads") as box:
        results = box / "results"
        outcome = Command(submit_argv(results, fixtures.run / "submission.json"), box).finish()
        if outcome.status != 0:
            raise RuntimeError(f"the base submission failed: {' '.join(head(outcome))}")
        (path,) = results.joinpath(*BOARD).glob("*.json")
        return path.name, path.read_bytes()


def _cases(fixtures: Fixtures) -> Iterator[Case]:
    submission = (fixtures.run / "submission.json").read_bytes()
    table = (fixtures.run / "policy_table.json").read_bytes()
    plans = [(name, make, submission, ()) for name, make in {**UNREADABLE, **SUBMISSIONS}.items()]
    plans += [
        (f"{name} (mappo)", make, table, ("--format", "mappo")) for name, make in UNREADABLE.items()
    ]
    plans += [
        (f"{name} (mappo)", make, table, ("--format", "mappo"))
        for name, make in RESULT_FILES.items()
    ]
    for name, make, valid, options in plans:
        with sandbox("reads") as box:
            results, file = box / "results", box / "file.json"
            make(file, valid)
            argv = submit_argv(results, file, *options)
            yield Case("reads", f"submit {name}", argv, box, unchanged=(results,))
    record_name, record = _record(fixtures)
    for name, make in RECORDS.items():
        with sandbox("reads") as box:
            results = box / "results"
            results.joinpath(*BOARD).mkdir(parents=True)
            make(results.joinpath(*BOARD, record_name), record)
            argv = ["econ-leaderboard", "--results", str(results), "show", ENV_ID]
            yield Case("reads", f"show {name}", argv, box, (0,), (results,), record_name, True)


def results(fixtures: Fixtures, limit: float) -> Iterator[Result]:
    """Run every case of the category."""
    for case in _cases(fixtures):
        yield run_case(case, limit)
