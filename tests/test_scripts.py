"""The two set-up commands say what they do: ``scripts/setup.sh`` and ``scripts/main.sh`` print a
progress line before every step that takes long (pip, the training, the submission), and
``main.sh`` prints the board once (``econ-leaderboard submit`` prints the board it submitted to;
a ``show`` after it printed it again, with every other board of the id)."""

from __future__ import annotations

import re

import pytest

from tests import ROOT

#: the commands that take long, and the scripts that run them
SLOW = re.compile(r"pip install|econ-baselines train|econ-leaderboard submit|scripts/setup\.sh")


def _commands(script: str) -> list[str]:
    """The script's command lines (continuations joined, comments and blank lines left out)."""
    text = (ROOT / "scripts" / script).read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip()[:1] not in ("", "#")]


@pytest.mark.parametrize("script", ["setup.sh", "main.sh"])
def test_every_slow_step_is_announced_first(script: str) -> None:
    commands = _commands(script)
    slow = [k for k, line in enumerate(commands) if SLOW.search(line) and line[:5] != "step "]
    assert slow, script
    for k in slow:
        assert commands[k - 1].startswith("step "), (
            f"{script}: no progress line before {commands[k]}"
        )
    steps = [line for line in commands if line.startswith("step ")]
    assert len(steps) == len(set(steps))


def test_main_prints_the_board_once() -> None:
    commands = _commands("main.sh")
    assert not any("econ-leaderboard show" in line for line in commands)
    assert commands[-1].startswith(".venv/bin/econ-leaderboard submit ")  # it prints the board
