"""Hostile-input probe of issue 22: the reproduced cases replayed against the real command lines
(``econ-baselines``, ``econ-leaderboard``) in subprocesses, each judged CLEAN or BAD, counted
per category. A measurement, not a test: it prints one line per case and a table of counts.

Categories (``bench/hostile/<category>.py`` builds the cases and says what clean means there):

- ``checkpoints``: ``train --resume`` of damaged, mismatched or code-carrying checkpoints;
- ``reads``: ``submit --file`` of unbounded, blocking or ill-encoded files; ``show`` of damaged
  records;
- ``sweeps``: ``sweep --config`` of hostile sweep files (sizes, alias bombs, names, encodings);
- ``concurrency``: concurrent submits, two runs started in one second, a second resume of a
  live run;
- ``memory``: oversized AMA vector envs under a 2 GiB cap, W&B folders that are files.

A case is CLEAN when the command exits with an expected status (2 or 3 for a refusal, 0 where the
input is legitimately accepted), a refusal prints exactly one stderr line and it is an error
line (``econ-baselines: error:``, ``econ-leaderboard: rejected:`` or ``... storage error:``), a
skipped record prints a warning line naming it, nothing prints ``Traceback`` or ``MemoryError``,
it ends within ``--limit`` seconds, under a 4 GiB address space (``RLIMIT_AS``), adds nothing to
the repository (its ``HOME`` and ``TMPDIR`` are in its temp folder) and leaves the folders a
refusal must not touch unchanged, plus the
category's own rules (a payload's canary never created, one record of eight submissions, Ray
never started, ...). Every input is built in a fresh temp folder; the commands run one at a time
(the concurrency cases excepted), niced to 19. See :mod:`hostile.harness` for the sandbox.

Run (about 5 minutes on 2 busy cores; the first category that needs it makes a tiny training
run first)::

    python bench/hostile_probe.py [--only CATEGORY ...] [--limit 60]

The commands import the code the probe imports. On a working tree that others are editing,
measure a commit instead (the first line printed names the code's folder)::

    git archive HEAD | tar -x -C DIR && PYTHONPATH=DIR python bench/hostile_probe.py

Counts at 34b5187 with the commit that added this probe (``restore_rollout`` refuses a state of
another ``num_envs``), measured on a ``git archive`` of it, 2 cores busy with a test run, 455 s::

    category     tried clean   bad
    checkpoints     32    31     1
    reads           28    28     0
    sweeps          26    26     0
    concurrency      3     3     0
    memory           5     5     0
    total           94    93     1

The BAD case: a configuration with a key removed (``gamma``) and its hash recomputed resumes
with the key's default, exit 0 (the hash guards against edits, not against an editor who
recomputes it). Before that commit (11984f5) a second one: ``num_envs`` changed and rehashed
ended in a ``ValueError`` traceback from the rollout, after the run folder was locked.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from hostile import checkpoints, concurrency, memory, reads, sweeps
from hostile.harness import LIMIT_S, REPO, Fixtures, Result

import econ_envs

CATEGORIES: dict[str, Callable[[Fixtures, float], Iterator[Result]]] = {
    "checkpoints": checkpoints.results,
    "reads": reads.results,
    "sweeps": sweeps.results,
    "concurrency": concurrency.results,
    "memory": memory.results,
}


def table(results: list[Result]) -> str:
    """Tried, clean and bad per category, and in all."""
    rows = [f"{'category':<12} {'tried':>5} {'clean':>5} {'bad':>5}"]
    groups = {name: [r for r in results if r.category == name] for name in CATEGORIES}
    groups = {name: found for name, found in groups.items() if found} | {"total": results}
    for name, found in groups.items():
        clean = sum(r.clean for r in found)
        rows.append(f"{name:<12} {len(found):>5} {clean:>5} {len(found) - clean:>5}")
    return "\n".join(rows)


def main() -> None:
    """Run the chosen categories and print a line per case and the counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=list(CATEGORIES), metavar="CATEGORY")
    parser.add_argument("--limit", type=float, default=LIMIT_S, help="seconds per command")
    args = parser.parse_args()
    os.nice(19 - os.nice(0))  # the commands inherit it
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    code = Path(econ_envs.__file__).parents[1]
    print(f"hostile probe at {commit}, code in {code}, {args.limit:.0f} s per command", flush=True)
    started, results = time.monotonic(), []
    with tempfile.TemporaryDirectory(prefix="hostile-probe-") as folder:
        fixtures = Fixtures(Path(folder))
        for name in args.only or CATEGORIES:
            for result in CATEGORIES[name](fixtures, args.limit):
                print(result.report(), flush=True)
                results.append(result)
    print(f"\n{table(results)}\n({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
