"""Result records: build, write atomically, read back and rank (``schema/record.schema.json``).

A record is one JSON file under ``<results root>/<env name>/<preset>/``. Two roots make a board:
the official records shipped with the package (:data:`OFFICIAL_RESULTS_DIR`, read-only, the
boards' starting entries) and the user's results folder (:func:`user_results_dir`: ``--results``,
``$ECON_LEADERBOARD_RESULTS``, or ``leaderboard/`` in the working directory), where every new
record is written; nothing is ever written inside the installed package. A record is written to a
temporary file in the same folder and renamed into place, so a reader never sees half a record
and concurrent submissions never overwrite each other (each file name holds a random part).
Two evaluations of the same submission give records that differ only in ``timestamp``.

Reading is defensive: a ``*.json`` entry that is not a valid record of its board (a folder, a
link to nothing, not UTF-8, not JSON, a NaN or infinite number, a field of the wrong type, a
garbage learning curve, a record copied from another board) is skipped with a
:class:`RecordWarning` naming it, so ``show`` and ``render`` keep working. Identical
resubmissions (same board, method and table or params) are one entry: the newest record of them
is listed. A temporary file left by a killed writer is git-ignored (``results/.gitignore``) and
removed by the next write to its folder. A failed write raises :class:`StorageError`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import re
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

import gymnasium
import jsonschema

import econ_envs  # noqa: F401  (registers the ids with gymnasium)
from econ_envs import git_commit, package_version
from econ_envs.files import read_text
from leaderboards.boards import Board
from leaderboards.evaluator import EVALUATOR_VERSION, Evaluation
from leaderboards.submission import (
    MAX_BYTES,
    Submission,
    check_schema,
    parse_json,
    validate_submission,
)

RECORD_VERSION = 1
RECORD_SCHEMA_PATH = Path(__file__).with_name("schema") / "record.schema.json"
#: the official records, shipped with the package: read by every board, never written by a user
OFFICIAL_RESULTS_DIR = Path(__file__).with_name("results")
#: the environment variable that names the user's results folder
RESULTS_ENV = "ECON_LEADERBOARD_RESULTS"
#: the user's results folder when neither ``--results`` nor ``$ECON_LEADERBOARD_RESULTS`` names one
DEFAULT_RESULTS_DIR = Path("leaderboard")
#: the largest record file read (a record holds its submission, at most ``MAX_BYTES``)
MAX_RECORD_BYTES = 4 * MAX_BYTES
#: a temporary file older than this (seconds) was left by a killed writer
STALE_TEMPORARY_S = 600.0

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def user_results_dir(root: Path | str | None = None) -> Path:
    """The user's results folder: ``root`` if given, else ``$ECON_LEADERBOARD_RESULTS`` if set,
    else ``leaderboard/`` in the working directory."""
    if root is not None:
        return Path(root)
    return Path(os.environ.get(RESULTS_ENV) or DEFAULT_RESULTS_DIR)


@cache
def record_schema() -> dict[str, Any]:
    """The result record JSON Schema."""
    return json.loads(RECORD_SCHEMA_PATH.read_text())


def env_spec(board: Board) -> dict[str, Any]:
    """The full gymnasium spec of the board's env (its keywords merged in), as JSON data."""
    spec = gymnasium.spec(board.env_id)
    merged = dataclasses.replace(spec, kwargs={**spec.kwargs, **board.env_kwargs})
    return json.loads(merged.to_json())


def make_record(
    submission: Submission, evaluation: Evaluation, *, timestamp: datetime | None = None
) -> dict[str, Any]:
    """The result record of ``evaluation`` (the official result of ``submission``)."""
    board, data = submission.board, submission.data
    when = timestamp or datetime.now(timezone.utc)
    training = {"seeds": [], "steps": None, "wall_clock_s": None, **data.get("training", {})}
    record = {
        "record_version": RECORD_VERSION,
        "board": board.key,
        "env_id": board.env_id,
        "env_kwargs": dict(board.env_kwargs),
        "env_spec": env_spec(board),
        "family": board.family,
        "metric": board.metric,
        "higher_is_better": board.higher_is_better,
        "optimal_value": board.optimal_value,
        "score": evaluation.score,
        "score_se": evaluation.score_se,
        "regret": evaluation.regret,
        "optimality_gap": evaluation.optimality_gap,
        "evaluator": {
            "name": "leaderboards.evaluator",
            "version": EVALUATOR_VERSION,
            "seeds": list(board.seeds),
            "n_profiles": board.n_profiles,
            "protocol": board.protocol,
        },
        "evaluation": evaluation.details,
        "method": data["method"],
        "authors": list(data.get("authors", [])),
        "links": list(data.get("links", [])),
        "training": training,
        "submission": dict(data),
        "submission_sha256": submission.sha256,
        "package_version": package_version(),
        "git_commit": git_commit(),
        "timestamp": when.isoformat(timespec="microseconds"),
    }
    jsonschema.validate(record, record_schema())
    return record


def _file_name(record: dict[str, Any]) -> str:
    when = datetime.fromisoformat(record["timestamp"]).strftime("%Y%m%dT%H%M%S%fZ")
    method = _UNSAFE.sub("-", record["method"]).strip("-.")[:40] or "method"
    return f"{when}__{method}__{uuid.uuid4().hex[:12]}.json"


class StorageError(OSError):
    """Writing a record, a W&B run or a rendered board failed (read-only folder, disk full, ...):
    a fault of the storage, not a verdict on the submission. The message names the path."""


class RecordWarning(UserWarning):
    """A file in a results folder was skipped because it is not a valid record of its board."""


@contextlib.contextmanager
def storing(path: Path) -> Iterator[None]:
    """Turn an ``OSError`` raised while writing ``path`` into a :class:`StorageError` naming it."""
    try:
        yield
    except StorageError:
        raise
    except OSError as error:
        where = error.filename or path
        raise StorageError(f"could not write {where}: {error.strerror or error}") from error


def remove_stale_temporaries(folder: Path, older_than_s: float = STALE_TEMPORARY_S) -> list[Path]:
    """Remove the temporary files (``.*.tmp``) that a killed writer left in ``folder`` more than
    ``older_than_s`` seconds ago (a live write takes milliseconds); return those removed."""
    now = time.time()
    removed = []
    for path in folder.glob(".*.tmp"):
        with contextlib.suppress(FileNotFoundError):  # another writer removed or renamed it
            if path.is_file() and now - path.stat().st_mtime > older_than_s:
                path.unlink()
                removed.append(path)
    return removed


#: the lock file of a board folder (held while a submission looks for its entry and writes)
LOCK_NAME = ".lock"


@contextlib.contextmanager
def board_lock(folder: Path) -> Iterator[None]:
    """Hold the exclusive lock of a board folder (an advisory ``flock`` on its ``.lock`` file,
    released when the holder exits, even if it is killed)."""
    import fcntl  # POSIX; imported here so that reading records works everywhere

    with storing(folder), open(folder / LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_writable(folder: Path) -> None:
    """Create ``folder`` if needed and write and remove a temporary file in it, so that an
    unwritable results folder is a :class:`StorageError` naming it before a long evaluation."""
    with storing(folder):
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        os.close(handle)
        os.unlink(temporary)


def write_record(record: dict[str, Any], root: Path | str | None = None) -> Path:
    """Write ``record`` atomically under ``root``/<board>/ (default :func:`user_results_dir`) and
    return its path.

    The JSON goes to a hidden temporary file (``.*.tmp``, git-ignored) in the target folder, is
    flushed to disk, then renamed to a fresh unique name; on any error the temporary file is
    removed, and temporaries that a killed writer left behind are removed on the next write
    (:func:`remove_stale_temporaries`). An ``OSError`` becomes a :class:`StorageError`.
    """
    folder = Path(user_results_dir(root), *record["board"].split("/"))
    text = json.dumps(record, indent=1, sort_keys=True, allow_nan=False) + "\n"
    with storing(folder):
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(folder)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            target = folder / _file_name(record)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return target


@dataclass(frozen=True)
class StoredRecord:
    """A valid record file of a board.

    Attributes:
        path: the file.
        record: its content.
        submission: its submission, checked again against its board.
    """

    path: Path
    record: dict[str, Any]
    submission: Submission


def _check_record(path: Path, board: Board | None) -> StoredRecord:
    # a record lies where it is listed: no link (to a record of another tree, or to nothing)
    record = parse_json(
        read_text(path, MAX_RECORD_BYTES, follow_links=False), "record", MAX_RECORD_BYTES
    )
    check_schema(record, record_schema(), "record")
    submission = validate_submission(record["submission"])
    claimed = (record["board"], record["env_id"], record["env_kwargs"], record["method"])
    own = submission.board
    if claimed != (own.key, own.env_id, dict(own.env_kwargs), submission.data["method"]):
        raise ValueError(f"its fields disagree with its own submission (board {own.key})")
    if board is not None and own != board:
        raise ValueError(f"it is a record of board {own.key}, not of {board.key}")
    return StoredRecord(path, record, submission)


def read_record(path: Path, board: Board | None = None) -> StoredRecord:
    """One record file, checked: a regular UTF-8 JSON file of finite numbers matching the record
    schema, whose submission is valid on its board (and that board is ``board``, if given);
    ``ValueError`` naming the file says what is wrong."""
    try:
        return _check_record(path, board)
    except (OSError, ValueError) as error:
        raise ValueError(f"{path} is not a valid result record: {error}") from None


def record_roots(root: Path | str | None = None, *, official: bool = True) -> list[Path]:
    """The results roots a board is read from: ``root`` (default :func:`user_results_dir`) and, if
    ``official``, the official records (once, when ``root`` is that folder itself)."""
    roots = [user_results_dir(root)]
    if official and roots[0].resolve() != OFFICIAL_RESULTS_DIR.resolve():
        roots.insert(0, OFFICIAL_RESULTS_DIR)
    return roots


def stored_records(
    board: Board, root: Path | str | None = None, *, official: bool = True
) -> list[StoredRecord]:
    """The board's valid records under ``root`` (default :func:`user_results_dir`) and, if
    ``official``, the official ones, one per entry (:attr:`Submission.entry_key`: the newest
    record of identical resubmissions), unranked. Every other ``*.json`` file, and a record that
    was not scored as the board scores now (:func:`scored_now`), is skipped with a
    :class:`RecordWarning` naming it."""
    newest: dict[str, StoredRecord] = {}
    folders = [Path(r, *board.directory.parts) for r in record_roots(root, official=official)]
    for path in (p for folder in folders for p in sorted(folder.glob("[!.]*.json"))):
        try:
            stored = read_record(path, board)
        except ValueError as error:
            warnings.warn(f"skipped: {error}", RecordWarning, stacklevel=3)
            continue
        if not scored_now(stored.record, board):
            evaluator = stored.record["evaluator"]
            warnings.warn(
                f"skipped: {path} was scored by evaluator version {evaluator['version']}, not "
                f"{EVALUATOR_VERSION}: `econ-leaderboard reevaluate` scores it again",
                RecordWarning,
                stacklevel=3,
            )
            continue
        key = stored.submission.entry_key
        if key not in newest or newest[key].record["timestamp"] < stored.record["timestamp"]:
            newest[key] = stored
    return list(newest.values())


def scored_now(record: dict[str, Any], board: Board) -> bool:
    """Whether ``record`` was scored as ``board`` scores now (evaluator version, seeds and type
    profiles): only such records are listed and ranked together."""
    evaluator = record["evaluator"]
    return (
        evaluator["version"] == EVALUATOR_VERSION
        and evaluator["seeds"] == list(board.seeds)
        and evaluator.get("n_profiles") == board.n_profiles
    )


def load_records(
    board: Board, root: Path | str | None = None, *, official: bool = True
) -> list[dict[str, Any]]:
    """The board's records (:func:`stored_records`), ranked best first."""
    records = stored_records(board, root, official=official)
    return rank((stored.record for stored in records), board)


def _finite_or_inf(value: float) -> float:
    return value if math.isfinite(value) else math.inf


def rank(records: Iterable[dict[str, Any]], board: Board) -> list[dict[str, Any]]:
    """Best first: by score in the board's direction, then lower regret, then earlier. A score
    or regret that is not a finite number ranks after every finite one."""
    sign = -1.0 if board.higher_is_better else 1.0
    return sorted(
        records,
        key=lambda r: (
            _finite_or_inf(sign * r["score"]),
            _finite_or_inf(r["regret"]),
            r["timestamp"],
        ),
    )
