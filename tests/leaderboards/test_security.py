"""A submission can never make the evaluator import or execute anything it names."""

from __future__ import annotations

import builtins
import importlib
import sys
from pathlib import Path

import pytest

from leaderboards import SubmissionError, submit, table_submission

CANARY = "leaderboard_canary_module"


@pytest.fixture
def canary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An importable module that leaves a marker file when imported, and an import spy."""
    marker = tmp_path / "imported"
    (tmp_path / f"{CANARY}.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).write_text('x')\n"
        "def run(*args, **kwargs):\n    Path(__file__).with_name('ran').write_text('x')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    seen: list[str] = []
    real_import, real_import_module = builtins.__import__, importlib.import_module

    def spy_import(name: str, *args, **kwargs):
        seen.append(name)
        return real_import(name, *args, **kwargs)

    def spy_import_module(name: str, *args, **kwargs):
        seen.append(name)
        return real_import_module(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", spy_import)
    monkeypatch.setattr(importlib, "import_module", spy_import_module)
    yield tmp_path
    assert not any(CANARY in name for name in seen), "the evaluator imported a submitted name"
    assert CANARY not in sys.modules
    assert not marker.exists() and not (tmp_path / "ran").exists()


NAMED = f"{CANARY}:run"
HOSTILE = {
    "env_id": [NAMED, f"econ_envs/{CANARY}-v0", "econ_envs.games.mspm:MSPM"],
    "env_kwargs": [
        {"game": NAMED},
        {"game": CANARY},
        {"dynamics": CANARY},
        {"entry_point": CANARY},
        {"preset": CANARY},
        {"n_messages": [CANARY]},
        {"__class__": CANARY},
    ],
    "method": [NAMED, f"__import__('{CANARY}')"],
    "links": [[f"file://{CANARY}.py", NAMED]],
    "authors": [[NAMED]],
    "notes": [f"import {CANARY}; {CANARY}.run()"],
}


@pytest.mark.parametrize(
    ("field", "value"), [(field, value) for field, values in HOSTILE.items() for value in values]
)
def test_named_code_is_never_imported(field: str, value: object, canary: Path) -> None:
    data = {
        **table_submission("econ_envs/MessageAllocation-v0", [0, 1, 2], method="x"),
        field: value,
    }
    try:
        result = submit(data, results_dir=canary / "results", wandb_dir=None)
    except SubmissionError as error:
        assert str(error)
        assert not (canary / "results").exists()
    else:  # free-text metadata is accepted, stored as text and never interpreted
        assert field in ("method", "links", "authors", "notes")
        assert result.record["submission"][field] == value
