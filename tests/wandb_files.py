"""Reading offline W&B run files in tests (wandb 0.31 ships no public reader).

The reader of the run file's records is the leaderboards' own
(:func:`leaderboards.wandb_log.offline_records`: the writer may still be appending while a test
reads, so an incomplete record ends the scan); this module adds what only tests need.
"""

from __future__ import annotations

import json
from pathlib import Path

from leaderboards.wandb_log import offline_records

__all__ = ["offline_history", "offline_records"]


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
