"""Reading offline W&B run files in tests (wandb 0.31 ships no public reader).

A ``run-*.wandb`` file is a leveldb-style log: 32 KiB blocks of records with a 7-byte header
(checksum, length, kind), each a ``wandb_internal_pb2.Record`` protobuf, possibly split across
blocks. The writer may still be appending while a test reads: an incomplete record ends the scan.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BLOCK = 32768
HEADER = 7
FULL, LAST = 1, 4  # record kinds that end a record


def offline_records(path: Path) -> Iterator[Any]:
    """The protobuf records of an offline W&B run file, in order."""
    from wandb.proto import wandb_internal_pb2

    data, position, pending = path.read_bytes(), HEADER, b""
    assert data[:4] == b":W&B"
    while position + HEADER <= len(data):
        if BLOCK - position % BLOCK < HEADER:  # block trailer too short for a header
            position += BLOCK - position % BLOCK
            continue
        _, length, kind = struct.unpack("<IHB", data[position : position + HEADER])
        if position + HEADER + length > len(data):
            return  # the writer is not done with this record yet
        pending += data[position + HEADER : position + HEADER + length]
        position += HEADER + length
        if kind in (FULL, LAST):
            record = wandb_internal_pb2.Record()
            record.ParseFromString(pending)
            pending = b""
            yield record


def offline_history(path: Path) -> tuple[list[dict], dict]:
    """History rows and config of an offline W&B run file."""
    rows: list[dict] = []
    config: dict = {}
    for record in offline_records(path):
        kind = record.WhichOneof("record_type")
        if kind == "history":
            items = record.history.item
            rows.append({i.key or "/".join(i.nested_key): json.loads(i.value_json) for i in items})
        elif kind == "run":
            config.update({i.key: json.loads(i.value_json) for i in record.run.config.update})
    return rows, config
