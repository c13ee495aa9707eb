"""Category ``memory``: vector envs too large for the memory at hand, and W&B folders that cannot
be written.

- ``gym.make_vec("econ_envs/TaskScheduling-v0", n, n_tasks=15)`` for n = 16, 128, 256 in
  ``python -c`` under a 2 GiB address space. Clean: it is built within the cap (exit 0), or
  refused by a ``ValueError`` naming ``num_envs`` before it allocates (no ``MemoryError``).
- ``econ-baselines train`` (tracked) with ``WANDB_DIR`` naming a file. Clean: exit 2, one error
  line, no run folder, and no W&B folder in the sandbox's ``TMPDIR`` (W&B's fallback).
- ``econ-leaderboard submit --track --wandb-dir`` naming a file. Clean: exit 3, one storage
  error line that says how ``econ-leaderboard sync`` logs the run later (the record is kept by
  design: ``tests/leaderboards/test_hardening.py``), and no W&B folder in ``TMPDIR``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from .harness import ENV_ID, Case, Fixtures, Outcome, Result, run_case, sandbox

SCRIPT = (
    "import sys, gymnasium as gym, econ_envs; "
    "gym.make_vec('econ_envs/TaskScheduling-v0', int(sys.argv[1]), n_tasks=15)"
)
SIZES = (16, 128, 256)
CAP = 2 * 2**30


def _built_or_refused(outcome: Outcome) -> str | None:
    if outcome.status == 0:
        return None
    lines = outcome.stderr.strip().splitlines() or [""]
    last = lines[-1]
    if last.startswith("ValueError") and "num_envs" in last:
        return None
    return f"neither built nor refused by a ValueError naming num_envs: {last[:120]!r}"


def _no_wandb_fallback(box: Path) -> Callable[[Outcome], str | None]:
    def check(_: Outcome) -> str | None:
        found = sorted(str(p.relative_to(box)) for p in (box / ".tmp").rglob("*wandb*"))
        return f"W&B wrote to the temp folder: {', '.join(found[:3])}" if found else None

    return check


def _cases(fixtures: Fixtures) -> Iterator[Case]:
    for size in SIZES:
        with sandbox("memory") as box:
            argv = [sys.executable, "-c", SCRIPT, str(size)]
            name = f"make_vec TaskScheduling n_tasks=15, {size} envs"
            checks = (_built_or_refused,)
            yield Case(
                "memory", name, argv, box, (0, 1), memory_cap=CAP, messages=False, checks=checks
            )
    with sandbox("memory") as box:
        runs, file = box / "runs", box / "a-file"
        file.write_text("not a folder\n")
        argv = ["econ-baselines", "train", "--env", ENV_ID, "--steps", "2000", "--track"]
        argv += ["--no-progress", "--run-dir", str(runs)]
        env = {"WANDB_DIR": str(file)}
        checks = (_no_wandb_fallback(box),)
        name = "train with WANDB_DIR a file"
        yield Case("memory", name, argv, box, unchanged=(runs,), checks=checks, env=env)
    with sandbox("memory") as box:
        results, file = box / "results", box / "a-file"
        file.write_text("not a folder\n")
        argv = ["econ-leaderboard", "--results", str(results), "submit", "--env", ENV_ID]
        argv += ["--file", str(fixtures.run / "submission.json"), "--track"]
        argv += ["--wandb-dir", str(file)]
        checks = (_no_wandb_fallback(box),)
        name = "submit with --wandb-dir a file"
        expect = "econ-leaderboard sync"
        yield Case("memory", name, argv, box, (3,), (fixtures.run,), expect, checks=checks)


def results(fixtures: Fixtures, limit: float) -> Iterator[Result]:
    """Run every case of the category."""
    for case in _cases(fixtures):
        yield run_case(case, limit)
