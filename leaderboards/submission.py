"""Submissions: plain JSON data, checked before anything is evaluated.

A submission (``schema/submission.schema.json``) is a leader policy table for a Stackelberg env or
AMA parameters for an AMA env, with metadata. :func:`load_submission` parses it strictly (no NaN or
Infinity tokens, no duplicate keys, bounded size), validates it against the schema, checks the
``env_id`` against the registry, picks the board whose keywords equal ``env_kwargs`` and checks the
table or parameters against that board's env. Nothing a submission names is ever imported or
executed: names are only compared with the registry's table. :func:`submission_data` builds a
valid submission of any family's payload; :func:`table_submission` and
:func:`params_submission` are its two forms for the baselines. What a submission holds and how it
is checked are declared by the board's family (:mod:`leaderboards.families`).
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
from numpy.typing import ArrayLike

from econ_envs import entry
from econ_envs.ama import AMAParams
from econ_envs.files import read_text
from leaderboards.boards import Board, find_board
from leaderboards.families import SubmissionError, board_family
from leaderboards.families.ama import params_payload
from leaderboards.families.stackelberg import table_payload

SCHEMA_PATH = Path(__file__).with_name("schema") / "submission.schema.json"
#: the largest submission file accepted, in bytes
MAX_BYTES = 16 * 2**20


@dataclass(frozen=True)
class Submission:
    """A checked submission and the board it is scored on.

    Attributes:
        data: the submission as validated JSON data.
        board: the board whose ``env_id`` and ``env_kwargs`` it names.
    """

    data: Mapping[str, Any]
    board: Board

    @property
    def sha256(self) -> str:
        """Hash of the canonical JSON of :attr:`data` (same submission, same hash)."""
        return hashlib.sha256(canonical_json(self.data).encode()).hexdigest()

    @property
    def entry_key(self) -> str:
        """What makes a board entry: the board, the method name and what is scored (the table, or
        the params, as float64 numbers: ``1`` and ``1.0`` are the same). Two submissions with
        the same key are the same entry, whatever their other metadata; a different method with
        the same table is another entry."""
        name = board_family(self.board.family).payload
        scored = self.data[name]  # a mapping of named arrays (params), or one array (table)
        payload = scored if isinstance(scored, Mapping) else {name: scored}
        numbers = {k: np.asarray(v, dtype=np.float64).tolist() for k, v in payload.items()}
        key = [self.board.key, self.data["method"], numbers]
        return hashlib.sha256(canonical_json(key).encode()).hexdigest()


def canonical_json(data: Any) -> str:
    """Compact JSON with sorted keys and no NaN, the form that is hashed."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)


@cache
def schema() -> dict[str, Any]:
    """The submission JSON Schema."""
    return json.loads(SCHEMA_PATH.read_text())


def _reject_constant(name: str) -> None:
    raise ValueError(f"contains {name}: only finite numbers are allowed")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"contains {text} (not a finite float): only finite numbers are allowed")
    return value


def _float_range_int(text: str) -> int:
    value = int(text)
    if abs(value) > sys.float_info.max:
        raise ValueError(
            f"contains an integer of {len(text)} digits: numbers must be in float range"
        )
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    counts = Counter(k for k, _ in pairs)
    duplicated = sorted(k for k, n in counts.items() if n > 1)
    if duplicated:
        raise ValueError(f"repeats the key(s) {duplicated}")
    return dict(pairs)


def parse_json(text: str | bytes, what: str, max_bytes: int) -> Any:
    """Parse the JSON of a ``what`` strictly: at most ``max_bytes``, UTF-8, no NaN/Infinity and no
    number outside the float range, no duplicate keys; :class:`SubmissionError` says why not."""
    if len(text) > max_bytes:
        raise SubmissionError(f"{what} is {len(text)} bytes; the limit is {max_bytes}")
    try:
        return json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            parse_int=_float_range_int,
            object_pairs_hook=_unique_keys,
        )
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise SubmissionError(f"{what} is not valid JSON: {error}") from None
    except ValueError as error:
        raise SubmissionError(f"{what} JSON {error}") from None


def read_submission_file(path: Path | str) -> str:
    """The text of a submission (or result) file: a regular UTF-8 file of at most
    :data:`MAX_BYTES` (:mod:`baselines.files`); :class:`SubmissionError` says why not."""
    try:
        return read_text(path, MAX_BYTES)
    except ValueError as error:
        raise SubmissionError(str(error)) from None


def parse_submission(text: str | bytes) -> Any:
    """Parse submission JSON strictly (:func:`parse_json`, at most :data:`MAX_BYTES`)."""
    return parse_json(text, "submission", MAX_BYTES)


def check_schema(data: Any, schema: Mapping[str, Any], what: str) -> None:
    """:class:`SubmissionError` naming where ``data`` (a ``what``) first breaks ``schema``."""
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise SubmissionError(f"{what} does not match the schema at {where}: {error.message}")


def _check_payload(board: Board, data: Mapping[str, Any]) -> None:
    if not board.open:
        raise SubmissionError(f"board {board.key} takes no submissions: {board.closed_because}")
    board_family(board.family).check_payload(board, data)


def validate_submission(data: Any) -> Submission:
    """Check submission data and find its board; :class:`SubmissionError` says what is wrong."""
    check_schema(data, schema(), "submission")
    try:
        entry(data["env_id"])
        board = find_board(data["env_id"], data["env_kwargs"])
        _check_payload(board, data)
    except SubmissionError:
        raise
    except ValueError as error:
        raise SubmissionError(f"submission rejected: {error}") from None
    return Submission(data, board)


def load_submission(
    source: str | Path | Mapping[str, Any] | Any,
    *,
    env_id: str | None = None,
    method: str | None = None,
) -> Submission:
    """Read (a path) or take (JSON data) a submission, set ``method`` if given, and validate it.

    ``env_id``, if given, must be a registered id (the message names the one an unknown id most
    likely means) and the submission's own (a guard against submitting to the wrong board).
    """
    if env_id is not None:
        try:
            entry(env_id)
        except ValueError as error:
            raise SubmissionError(str(error)) from None
    if not isinstance(source, str | Path):
        try:
            text = canonical_json(dict(source) if isinstance(source, Mapping) else source)
        except (TypeError, ValueError) as error:
            raise SubmissionError(f"submission is not plain finite JSON data: {error}") from None
        data = parse_submission(text)
    else:
        data = parse_submission(read_submission_file(source))
    if method is not None and isinstance(data, dict):
        data["method"] = method
    if env_id is not None and isinstance(data, dict) and data.get("env_id") != env_id:
        raise SubmissionError(
            f"the file is a submission for env_id={data.get('env_id')!r}, not {env_id!r}"
        )
    return validate_submission(data)


def submission_data(
    env_id: str,
    payload: Mapping[str, Any],
    *,
    method: str,
    env_kwargs: Mapping[str, Any] | None = None,
    authors: Sequence[str] = (),
    training_seeds: Sequence[int] = (),
    steps: int | None = None,
    wall_clock_s: float | None = None,
    curve: Sequence[tuple[float, float]] | None = None,
    links: Sequence[str] = (),
) -> dict[str, Any]:
    """A validated submission of ``payload`` (what the board's family scores: ``{"table": ...}``
    or ``{"params": ...}``) with its metadata.

    ``curve`` is an optional learning curve of ``(environment steps, score)`` pairs. Raises
    :class:`SubmissionError` if the result would be rejected.
    """
    training: dict[str, Any] = {
        "seeds": [_integer(s, "training_seeds") for s in training_seeds],
        "steps": None if steps is None else _integer(steps, "steps"),
        "wall_clock_s": None if wall_clock_s is None else float(wall_clock_s),
    }
    if curve is not None:
        training["curve"] = [[float(x), float(y)] for x, y in curve]
    data = {
        "version": 1,
        "env_id": env_id,
        "env_kwargs": dict(env_kwargs or {}),
        **payload,
        "method": method,
        "authors": list(authors),
        "training": training,
        "links": list(links),
    }
    return dict(load_submission(data).data)


def _integer(value: Any, name: str) -> int:
    """``value`` as a Python int if it is an integer (numpy's too); a ``1.7`` is refused, not
    rounded."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    raise SubmissionError(f"{name} must be integers, got {value!r}")


def table_submission(env_id: str, table: ArrayLike, **metadata: Any) -> dict[str, Any]:
    """A validated Stackelberg submission: ``table`` has one leader action per observation;
    ``metadata`` are the keywords of :func:`submission_data` (``method`` is required)."""
    return submission_data(env_id, table_payload(table), **metadata)


def params_submission(
    env_id: str, params: AMAParams | Mapping[str, Any], **metadata: Any
) -> dict[str, Any]:
    """A validated AMA submission from :class:`~econ_envs.ama.AMAParams` (or its ``to_dict``);
    ``metadata`` are the keywords of :func:`submission_data` (``method`` is required)."""
    return submission_data(env_id, params_payload(params), **metadata)


def save_submission(submission: Mapping[str, Any], path: str | Path) -> Path:
    """Write a submission as indented JSON (no NaN) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(submission, indent=1, allow_nan=False) + "\n")
    return path
