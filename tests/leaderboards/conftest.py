"""The leaderboards' tests judge the records they write themselves: the official records shipped
with the package stay off their boards (``tests/leaderboards/test_official.py`` tests those)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboards import records


@pytest.fixture(autouse=True)
def _no_official_records(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """An empty official folder for in-process calls (a subprocess still sees the real one)."""
    empty = tmp_path_factory.mktemp("no-official-records")
    monkeypatch.setattr(records, "OFFICIAL_RESULTS_DIR", empty)
    return empty
