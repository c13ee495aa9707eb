"""Seed the boards with the suite's own entries, through the same path as any submission.

One function per source, each yielding submissions (plain data, see
:mod:`leaderboards.submission`):

- :func:`reference_submissions`: the known optimal (or published) leader tables of REFERENCE.md;
- :func:`baseline_submissions`: the trivial entry each family declares on its every open board
  (source ``zero``: the all-zeros table on the Stackelberg boards; ``vcg``: VCG, weights 1 and
  boosts 0, on the AMA boards);
- :func:`file_submissions`: submission JSON files (any method, e.g. written with
  :func:`~leaderboards.submission.table_submission`); a folder stands for its ``*.json`` files;
- :func:`mappo_submissions`: the ``policy_table.json`` files of ``econ-baselines train`` (PPO and
  MAPPO tables);
- :func:`bilevel_submissions`: the result JSON files of ``econ-baselines bilevel``;
- the sources that installed packages declare in the entry-point group :data:`SOURCE_GROUP`
  (``econ-envs-baselines`` declares ``bilevel``, which runs its three bilevel baselines on
  every AMA board): the leaderboards never import the baselines.

:func:`seed_boards` submits them with :func:`leaderboards.submit.submit`, skipping a submission
already on its board (same method and table or params, see :func:`leaderboards.submit.submit`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from econ_envs import optimal_mspm_table
from leaderboards.boards import boards
from leaderboards.convert import read_converted
from leaderboards.families import BOARD_FAMILIES, board_family
from leaderboards.submission import submission_data, table_submission
from leaderboards.submit import SubmitResult, submit
from leaderboards.tracking import DEFAULT_WANDB_DIR

_REFERENCE = "REFERENCE.md"
_SWITCH = [[5.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 5.0]]  # transfer 5 to row on AA, col on BB

#: (env id, env_kwargs, method, table): the known optimal tables of REFERENCE.md
REFERENCE_TABLES: tuple[tuple[str, dict[str, Any], str, Any], ...] = (
    ("econ_envs/NormalForm-v0", {}, "optimal commitment (row 3)", [2]),
    ("econ_envs/Escape-v0", {}, "optimal commitment (row 3)", [2]),
    ("econ_envs/Escape-v0", {"mixed": True}, "optimal commitment (row 3)", [[0.0, 0.0, 1.0]]),
    ("econ_envs/Maintain-v0", {}, "optimal commitment (row 1)", [0]),
    (
        "econ_envs/Maintain-v0",
        {"mixed": True},
        "near-optimal mix (0.26, 0.74, 0)",
        [[0.26, 0.74, 0.0]],
    ),
    ("econ_envs/MatrixDesign-v0", {}, "k-implementation (transfer 5 off the diagonal)", _SWITCH),
    (
        "econ_envs/MatrixDesign-v0",
        {"objective": "distinct"},
        "k-implementation (transfer 5)",
        _SWITCH,
    ),
    ("econ_envs/MessageAllocation-v0", {}, "identity allocation", [0, 1, 2]),
    ("econ_envs/MessageAllocation-v0", {"n_messages": 2}, "identity allocation", [0, 1]),
    ("econ_envs/MessageAllocation-v0", {"n_messages": 1}, "identity allocation", [0]),
)


def reference_submissions() -> Iterator[dict[str, Any]]:
    """The known optimal tables of REFERENCE.md, and the published optimal MSPM mechanisms."""
    for env_id, kwargs, method, table in REFERENCE_TABLES:
        yield table_submission(env_id, table, method=method, env_kwargs=kwargs, links=[_REFERENCE])
    for n_types, kwargs in ((3, {}), (4, {"n_types": 4})):
        yield table_submission(
            "econ_envs/MSPM-v0",
            optimal_mspm_table(n_types),
            method="published optimal MSPM (Brero et al.)",
            env_kwargs=kwargs,
            authors=["Brero et al."],
            links=[_REFERENCE],
        )


def baseline_submissions(family: str) -> Iterator[dict[str, Any]]:
    """The trivial entry that ``family`` declares (its ``baseline``) on each of its open boards."""
    declared = board_family(family)
    for board in boards():
        if board.family == family and board.open:
            yield submission_data(
                board.env_id,
                declared.baseline(board),
                method=declared.baseline_method,
                env_kwargs=dict(board.env_kwargs),
            )


def file_submissions(paths: Iterable[Path | str], pattern: str = "*.json") -> Iterator[Path]:
    """Paths of JSON files; a folder stands for its files matching ``pattern``."""
    for path in map(Path, paths):
        yield from sorted(path.glob(pattern)) if path.is_dir() else [path]


def mappo_submissions(paths: Iterable[Path | str]) -> Iterator[dict[str, Any]]:
    """Stackelberg submissions from the ``policy_table.json`` files of ``econ-baselines train``
    (PPO and MAPPO; the score they carry is ignored and recomputed)."""
    for path in paths:
        yield read_converted(path, "mappo")


def bilevel_submissions(paths: Iterable[Path | str]) -> Iterator[dict[str, Any]]:
    """AMA submissions from the result JSON files of ``econ-baselines bilevel`` (the evaluation
    they carry is ignored and recomputed)."""
    for path in paths:
        yield read_converted(path, "bilevel")


#: the entry-point group of the seed sources that installed packages add: name -> a function of
#: no argument yielding submissions, loaded when the source is used
SOURCE_GROUP = "econ_leaderboard.seed_sources"


def _declared(point: metadata.EntryPoint) -> Callable[[], Iterable[dict[str, Any]]]:
    """The seed source declared by ``point``, imported only when it is called."""
    return lambda: point.load()()


#: source name -> function of no argument yielding submissions
SOURCES: dict[str, Callable[[], Iterable[dict[str, Any]]]] = {
    "reference": reference_submissions,
    **{
        f.baseline_source: functools.partial(baseline_submissions, f.name)
        for f in BOARD_FAMILIES.values()
    },
    **{point.name: _declared(point) for point in metadata.entry_points(group=SOURCE_GROUP)},
}


def seed_boards(
    submissions: Iterable[dict[str, Any] | Path],
    *,
    results_dir: Path | str | None = None,
    wandb_dir: Path | str | None = DEFAULT_WANDB_DIR,
    force: bool = False,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> list[SubmitResult]:
    """Submit each of ``submissions`` (skipping the entries already on their board unless
    ``force``), one at a time as they come; ``progress`` is called with each new record."""
    done = []
    for submission in submissions:
        result = submit(submission, results_dir=results_dir, wandb_dir=wandb_dir, force=force)
        if result.duplicate:
            continue
        done.append(result)
        if progress is not None:
            progress(result.record)
    return done
