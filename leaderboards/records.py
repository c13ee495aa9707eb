"""Result records: build, write atomically, read back and rank (``schema/record.schema.json``).

A record is one JSON file under ``<results root>/<env name>/<preset>/``. It is written to a
temporary file in the same folder and renamed into place, so a reader never sees half a record
and concurrent submissions never overwrite each other (each file name holds a random part).
Two evaluations of the same submission give records that differ only in ``timestamp``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
import uuid
import warnings
from collections.abc import Iterable
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

import gymnasium
import jsonschema

import econ_envs  # noqa: F401  (registers the ids with gymnasium)
from baselines.tracking import git_commit, package_version
from leaderboards.boards import Board
from leaderboards.evaluator import EVALUATOR_VERSION, Evaluation
from leaderboards.submission import Submission

RECORD_VERSION = 1
RECORD_SCHEMA_PATH = Path(__file__).with_name("schema") / "record.schema.json"
#: the committed records of the seeded boards
RESULTS_DIR = Path(__file__).with_name("results")

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


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


def write_record(record: dict[str, Any], root: Path | str = RESULTS_DIR) -> Path:
    """Write ``record`` atomically under ``root``/<board>/ and return its path.

    The JSON goes to a hidden temporary file in the target folder, is flushed to disk, then
    renamed to a fresh unique name; on any error the temporary file is removed.
    """
    folder = Path(root, *record["board"].split("/"))
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, indent=1, sort_keys=True, allow_nan=False) + "\n"
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


def read_record(path: Path) -> dict[str, Any]:
    """One record, checked against the record schema (``ValueError`` if it is not one)."""
    try:
        record = json.loads(path.read_text())
        jsonschema.validate(record, record_schema())
    except (json.JSONDecodeError, jsonschema.ValidationError) as error:
        raise ValueError(f"{path} is not a valid result record: {error}") from None
    return record


def load_records(board: Board, root: Path | str = RESULTS_DIR) -> list[dict[str, Any]]:
    """The board's records under ``root``, ranked best first; unreadable files are skipped with
    a warning."""
    records = []
    for path in sorted(Path(root, *board.directory.parts).glob("[!.]*.json")):
        try:
            records.append(read_record(path))
        except ValueError as error:
            warnings.warn(str(error), stacklevel=2)
    return rank(records, board)


def rank(records: Iterable[dict[str, Any]], board: Board) -> list[dict[str, Any]]:
    """Best first: by score in the board's direction, then lower regret, then earlier."""
    sign = -1.0 if board.higher_is_better else 1.0
    return sorted(records, key=lambda r: (sign * r["score"], r["regret"], r["timestamp"]))
