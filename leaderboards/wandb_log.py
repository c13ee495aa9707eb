"""The W&B run of an accepted result record: log it, and check that it is whole.

The run lives in project :data:`PROJECT`, holds the whole record as its summary (and its
provenance in the config) and the evaluation as a W&B Table; ``wandb sync`` publishes it. Its id
is a hash of the record (:func:`run_id`), so the run of a record can be found again: offline
(``WANDB_MODE`` unset or ``offline``) it is the folder ``<dir>/wandb/offline-run-*-<id>``, and
:func:`run_state` reads its run file to tell a whole run from a missing or truncated one (a
submit killed while logging). ``econ-leaderboard sync`` (:mod:`leaderboards.sync`) re-logs those.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from leaderboards.families.ama import METRICS as AMA_METRICS
from leaderboards.families.stackelberg import PER_SEED_FIELDS
from leaderboards.records import StorageError
from leaderboards.submission import canonical_json
from leaderboards.tracking import DEFAULT_WANDB_DIR, init_wandb, run_name

PROJECT = "econ-envs-leaderboard"
_BLOCK, _HEADER, _RECORD_ENDS = 32768, 7, (1, 4)  # leveldb log: block size, header, FULL/LAST


def run_id(record: dict[str, Any]) -> str:
    """The W&B run id of ``record``: a hash of its canonical JSON (timestamp included)."""
    return hashlib.sha256(canonical_json(record).encode()).hexdigest()[:32]


def evaluation_table(record: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Columns and rows of the record's evaluation: one row per seed (Stackelberg boards) or per
    metric (AMA boards: value, standard error and VCG's value)."""
    evaluation = record["evaluation"]
    if "per_seed" in evaluation:
        rows = [[_cell(result[f]) for f in PER_SEED_FIELDS] for result in evaluation["per_seed"]]
        return list(PER_SEED_FIELDS), rows
    rows = [
        [name, evaluation[name], evaluation[f"{name}_se"], evaluation[f"vcg_{name}"]]
        for name in AMA_METRICS
    ]
    return ["metric", "value", "standard_error", "vcg"], rows


def log_record(record: dict[str, Any], *, directory: Path | str = DEFAULT_WANDB_DIR) -> Path:
    """Write the W&B run of ``record`` under ``<directory>/wandb/`` and return the run's folder;
    any failure to write it is a :class:`~leaderboards.records.StorageError`."""
    import wandb  # lazy: only submitting needs it

    config = {
        key: record[key]
        for key in ("board", "env_id", "env_kwargs", "method", "training", "evaluator")
    }
    try:
        run = init_wandb(
            PROJECT,
            run_name(record["env_id"], record["method"].replace(" ", "-"), 0),
            config,
            group=record["board"],
            job_type="leaderboard-submission",
            directory=directory,
            run_id=run_id(record),
        )
        try:
            run.summary.update({k: v for k, v in record.items() if k != "submission"})
            columns, rows = evaluation_table(record)
            run.log({"evaluation": wandb.Table(columns=columns, data=rows)})
            folder = Path(run.dir).parent
        finally:
            run.finish()
    except Exception as error:  # W&B raises its own error types for a folder it cannot write
        where = Path(directory, "wandb")
        raise StorageError(f"could not write the W&B run under {where}: {error}") from error
    return folder


def _cell(value: Any) -> Any:
    """A W&B Table cell: nested lists become their JSON-like string."""
    return str(value) if isinstance(value, list | tuple) else value


def run_folders(record: dict[str, Any], directory: Path | str = DEFAULT_WANDB_DIR) -> list[Path]:
    """The offline run folders of ``record`` under ``<directory>/wandb/`` (normally one)."""
    return sorted(Path(directory, "wandb").glob(f"offline-run-*-{run_id(record)}"))


def offline_records(path: Path) -> Iterator[Any]:
    """The protobuf records of an offline W&B run file, in order; a torn or garbled record (the
    writer was killed, or is still writing) ends the scan."""
    from google.protobuf.message import DecodeError
    from wandb.proto import wandb_internal_pb2

    data, position, pending = path.read_bytes(), _HEADER, b""
    if data[:4] != b":W&B":
        return
    while position + _HEADER <= len(data):
        if _BLOCK - position % _BLOCK < _HEADER:  # block trailer too short for a header
            position += _BLOCK - position % _BLOCK
            continue
        _, length, kind = struct.unpack("<IHB", data[position : position + _HEADER])
        if position + _HEADER + length > len(data):
            return
        pending += data[position + _HEADER : position + _HEADER + length]
        position += _HEADER + length
        if kind in _RECORD_ENDS:
            record = wandb_internal_pb2.Record()
            try:
                record.ParseFromString(pending)
            except DecodeError:
                return
            pending = b""
            yield record


def _is_whole(folder: Path, record: dict[str, Any]) -> bool:
    """Whether the run file in ``folder`` holds the record's summary, its evaluation table and
    the run's exit."""
    run_file = folder / f"run-{run_id(record)}.wandb"
    if not run_file.is_file():
        return False
    summary_timestamp, tables, exited = None, 0, False
    for item in offline_records(run_file):
        kind = item.WhichOneof("record_type")
        if kind == "summary":
            for update in item.summary.update:
                if update.key == "timestamp":
                    summary_timestamp = update.value_json
        elif kind == "history":
            tables += any("evaluation" in (i.key, *i.nested_key[:1]) for i in item.history.item)
        elif kind == "exit":
            exited = True
    return exited and tables > 0 and summary_timestamp == canonical_json(record["timestamp"])


def run_state(record: dict[str, Any], directory: Path | str = DEFAULT_WANDB_DIR) -> str:
    """``"whole"``, ``"truncated"`` or ``"missing"``: the offline W&B run of ``record`` under
    ``<directory>/wandb/``."""
    folders = run_folders(record, directory)
    if not folders:
        return "missing"
    return "whole" if any(_is_whole(folder, record) for folder in folders) else "truncated"
