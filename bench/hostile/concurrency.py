"""Category ``concurrency``: commands that race on one folder.

- Eight identical ``econ-leaderboard submit`` of one table into one results folder at once.
  Clean: each exits 0 cleanly, and exactly one record file is written.
- Two ``econ-baselines train`` started together (their run names share the unix second; up to
  three tries until they do) with different ``--learning-rate``. Clean: both exit 0 cleanly, two
  run folders, each trained with its own rate.
- A second ``--resume`` of a live run (the first resumes with 10**8 steps and
  ``--no-stop-when-solved``, so that it is still training, and holds the folder's lock, seen as
  its pid in ``.lock``). Clean: the second exits 2 with one line naming the first's pid; the
  first is killed after it.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from baselines.mappo.safe_load import load_checkpoint_data

from .checkpoints import CHECKPOINT, resume_argv
from .harness import (
    ENV_ID,
    Case,
    Command,
    Fixtures,
    Outcome,
    Result,
    judge,
    outside,
    result,
    sandbox,
    session_members,
    status_text,
)
from .reads import BOARD, submit_argv

RATES = ("0.001", "0.002")
#: tries of the two runs until their names share the second
TRIES = 3


def _merge(
    case: Case, outcomes: list[Outcome], reasons: list[str], names: set[str], limit: float
) -> Result:
    """One result for the case's commands: every command judged, the longest time and peak."""
    for k, outcome in enumerate(outcomes, 1):
        reasons += [f"#{k}: {reason}" for reason in judge(case, outcome, limit)]
    written = sorted(outside() - names)
    if written:
        reasons.append(f"wrote outside its sandbox: {', '.join(written[:3])}")
    merged = result(case, max(outcomes, key=lambda outcome: outcome.seconds), reasons)
    merged.status = ",".join(sorted({status_text(outcome) for outcome in outcomes}))
    merged.peak_mib = max(outcome.peak_mib for outcome in outcomes)
    return merged


def _submits(fixtures: Fixtures, limit: float) -> Result:
    with sandbox("concurrency") as box:
        names, results = outside(), box / "results"
        argv = submit_argv(results, fixtures.run / "submission.json")
        case = Case("concurrency", "8 identical concurrent submits", argv, box, (0,))
        commands = [Command(argv, box) for _ in range(8)]
        outcomes = [command.finish(limit) for command in commands]
        records = list(results.joinpath(*BOARD).glob("*.json"))
        reasons = [] if len(records) == 1 else [f"{len(records)} record files (clean: 1)"]
        return _merge(case, outcomes, reasons, names, limit)


def _two_trains(limit: float) -> Result:
    for attempt in range(1, TRIES + 1):
        with sandbox("concurrency") as box:
            names, runs = outside(), box / "runs"
            argv = ["econ-baselines", "train", "--env", ENV_ID, "--steps", "2000", "--no-track"]
            argv += ["--no-progress", "--run-dir", str(runs), "--learning-rate"]
            case = Case("concurrency", "two train runs in one second", [*argv, "R"], box, (0,))
            time.sleep(1.02 - time.time() % 1)  # both start early in a second
            commands = [Command([*argv, rate], box) for rate in RATES]
            outcomes = [command.finish(limit) for command in commands]
            folders = sorted(runs.iterdir()) if runs.is_dir() else []
            seconds = {re.sub(r"-\d+$", "", folder.name).rpartition("__")[2] for folder in folders}
            if len(seconds) > 1 and attempt < TRIES:
                continue
            reasons = [] if len(seconds) == 1 else ["the runs never shared a second (not tested)"]
            if len(folders) != 2:
                reasons.append(f"{len(folders)} run folders (clean: 2)")
            else:
                rates = {str(_rate(folder)) for folder in folders}
                if rates != set(RATES):
                    reasons.append(f"the runs trained with {sorted(rates)} (clean: {RATES})")
            return _merge(case, outcomes, reasons, names, limit)
    raise AssertionError("unreachable")  # the last try returns


def _rate(folder: Path) -> float | None:
    try:
        return load_checkpoint_data(folder / CHECKPOINT)["config"]["learning_rate"]
    except (OSError, ValueError, KeyError):
        return None


def _holder(lock: Path) -> str:
    """The pid written in a run folder's lock file ("" while there is none)."""
    try:
        return lock.read_text().strip()
    except OSError:
        return ""


def _live_resume(fixtures: Fixtures, limit: float) -> Result:
    with sandbox("concurrency") as box:
        names, folder = outside(), box / "run"
        shutil.copytree(fixtures.run, folder, symlinks=True)
        first = Command(resume_argv(folder, "--no-stop-when-solved", steps=10**8), box)
        lock, started = folder / ".lock", time.monotonic()
        while _holder(lock) != str(first.pid):
            if not session_members(first.pid) or time.monotonic() - started > limit:
                case = Case("concurrency", "first resume of a run", first.argv, box, (0,))
                reasons = ["the first resume did not hold the lock (not tested)"]
                return _merge(case, [first.stop()], reasons, names, limit)
            time.sleep(0.2)
        argv = resume_argv(folder)
        name = "second --resume of a live run"
        case = Case("concurrency", name, argv, box, (2,), expect=f"pid {first.pid}")
        second = Command(argv, box).finish(limit)
        alive = bool(session_members(first.pid))
        first.stop()
        reasons = [] if alive else ["the first resume ended before the second did (not tested)"]
        return _merge(case, [second], reasons, names, limit)


def results(fixtures: Fixtures, limit: float) -> Iterator[Result]:
    """Run every case of the category."""
    yield _submits(fixtures, limit)
    yield _two_trains(limit)
    yield _live_resume(fixtures, limit)
