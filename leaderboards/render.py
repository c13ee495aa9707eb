"""Render the boards: ``README.md`` with one ranked table per board, and the boards' plots
(:mod:`leaderboards.plots`: PNG at print resolution, SVG and PDF). A file whose bytes would not
change is not written again, so a render of unchanged boards leaves every file (and its mtime) as
it was; ``progress`` hears of each board as it is done.

Ranks are shared by ties (:func:`~leaderboards.formatting.standings`: "1, 1, 3").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from leaderboards.boards import Board, boards
from leaderboards.families import board_family
from leaderboards.formatting import error_bar_name, fmt, run_name, score_cell, standings
from leaderboards.plots import PLOT_FORMATS, plot_board, plot_curves, write_if_changed
from leaderboards.records import load_records, storing, user_results_dir

#: called once per board: ``(boards done, boards in all, board, its plot files)``, each plot
#: file with whether its bytes changed (none for a board without a plot)
Progress = Callable[[int, int, Board, dict[Path, bool]], None]


def score_notes(board: Board) -> list[str]:
    """How to read a board's scores: the metric (welfare loss where it is one) and the regret
    (``regret`` vs ``empirical_regret``), one sentence each (the board's family says)."""
    score = f"score: {board.metric_label} ({error_bar_name(board)})."
    return [score, *board_family(board.family).notes(board)]


def _steps(record: dict[str, Any]) -> str:
    steps = record["training"].get("steps")
    return "–" if steps is None else f"{steps:,}"


def _seed_counts(record: dict[str, Any]) -> str:
    """On how many of a Stackelberg board's official seeds the table is optimal and its
    followers are in equilibrium (``97 / 97 of 100``; ``?`` for an unknown optimum), ``–`` for
    boards without seeds (AMA boards: truthful reporting is an equilibrium)."""
    evaluation = record["evaluation"]
    if "seeds_in_equilibrium" not in evaluation:
        return "–"
    optimal = evaluation["seeds_optimal"]
    return (
        f"{'?' if optimal is None else optimal} / {evaluation['seeds_in_equilibrium']} of "
        f"{len(record['evaluator']['seeds'])}"
    )


#: the columns of a ranked board, each declared once: (header, the cell of ``(rank, record)``)
COLUMNS: tuple[tuple[str, Callable[[int, dict[str, Any]], str]], ...] = (
    ("#", lambda rank, r: str(rank)),
    ("method", lambda rank, r: r["method"]),
    ("score", lambda rank, r: score_cell(r)),
    ("regret", lambda rank, r: fmt(r["regret"])),
    ("gap to optimum", lambda rank, r: fmt(r["optimality_gap"])),
    ("seeds optimal / in equilibrium", lambda rank, r: _seed_counts(r)),
    ("training steps", lambda rank, r: _steps(r)),
    ("authors", lambda rank, r: ", ".join(r["authors"]) or "–"),
    ("date", lambda rank, r: r["timestamp"][:10]),
    ("run", lambda rank, r: run_name(r)),
)
#: the column headers, in order
HEADER = [header for header, _ in COLUMNS]


def board_rows(records: Sequence[dict[str, Any]]) -> list[list[str]]:
    """The table rows of a ranked board, one cell per :data:`COLUMNS` entry (rank shared by
    ties)."""
    return [
        [cell(rank, r) for _, cell in COLUMNS]
        for rank, r in zip(standings(records), records, strict=True)
    ]


def describe(board: Board) -> str:
    """One line: id, keywords, metric and direction, optimum."""
    direction = "higher is better" if board.higher_is_better else "lower is better"
    return (
        f"`{board.env_id}`, env_kwargs `{json.dumps(dict(board.env_kwargs))}` · metric: "
        f"{board.metric_label} ({direction}) · known optimum: {fmt(board.optimal_value)}"
    )


def _board_section(
    board: Board, records: list[dict[str, Any]], plots: Path
) -> tuple[list[str], dict[Path, bool]]:
    """The README lines of a board, and its plots (each path and whether its bytes changed)."""
    lines = [f"### {board.key}", "", describe(board), ""]
    if board.reference:
        published = ", ".join(f"{k} {v:.4f}" for k, v in board.reference.items())
        lines += [f"Published (Curry et al.): {published}.", ""]
    if not board.open:
        return [*lines, f"Closed: {board.closed_because}.", ""], {}
    if not records:
        return [*lines, "No submissions yet.", ""], {}
    for name, value in board_family(board.family).summary(records).items():
        lines += [f"{name}: {fmt(value)}.", ""]
    lines += ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += [
        "| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in board_rows(records)
    ]
    lines += ["", *(f"- {note}" for note in score_notes(board)), ""]
    name = f"{board.env_name}__{board.preset}"
    saved = plot_board(board, records, plots / name)
    saved |= plot_curves(board, records, plots / f"{name}__curves")
    for path in saved:
        if path.suffix == ".png":
            others = " · ".join(
                f"[{ext.upper()}](plots/{path.with_suffix(f'.{ext}').name})"
                for ext in PLOT_FORMATS[1:]
            )
            lines += [f"![{board.key}](plots/{path.name})", "", f"Also as {others}.", ""]
    return lines, saved


HOW_TO = (
    "# econ_envs leaderboards",
    "",
    "Generated by `econ-leaderboard render` from the official records (shipped in "
    "`leaderboards/results/`) and the records of the results folder; do not edit by hand. "
    "Every score was recomputed by the official evaluator from the submitted data (SPEC §5); "
    "a submitted score is never read.",
    "",
    "**Submitting.** A submission is a JSON file (schema: `leaderboards/schema/"
    "submission.schema.json`): `env_id`, `env_kwargs` (equal to one board's), `method`, "
    "optional `authors`, `training` (`seeds`, `steps`, `wall_clock_s`, `curve`) and `links`, "
    "and either `table` (Stackelberg boards: one leader action per leader observation, rows in "
    "the order of `econ_envs.policy_table.describe_observations`) or `params` (AMA boards: "
    "`weights`, `boosts`). `leaderboards.submission.table_submission` and `params_submission` "
    "write one from Python. Then `econ-leaderboard submit --env ID --file policy.json --method "
    "NAME` (`--format mappo|bilevel` takes a result file of `econ-baselines train|bilevel`), "
    "`econ-leaderboard show ID`, `econ-leaderboard render`.",
    "",
    "**Records and W&B runs.** `submit` first looks for the same entry on the board (same "
    "method, same table or params; `1` and `1.0` alike): if there is one it prints `... is "
    "already on the board with this table (recorded DATE, ...); nothing written` and exits 0 "
    "(`--force` records it again; the newest record of an entry is the one listed). Otherwise "
    "it evaluates, writes the record atomically (a git-ignored `.*.tmp` file in the board's "
    "folder, renamed into place; one left by a killed submit is removed by the next write "
    "there or by `sync`), and only then logs the W&B run (offline unless configured), whose id "
    "is a hash of the record. A failure to write the record, the run or the rendered boards "
    "(read-only folder, disk full) is a `storage error` naming the path (exit status 3; a "
    "rejected submission exits 2). A record whose run is missing or truncated (a submit killed "
    "while logging, or a W&B folder that failed) is found by `econ-leaderboard sync "
    "[--wandb-dir DIR]`, which logs its run again from the record (offline runs under "
    "`DIR/wandb/`). `show` and `render` skip, with a warning naming it, any `*.json` entry that "
    "is not a valid record of its board: a folder or a link to nothing, not UTF-8 or not JSON, "
    "a NaN or infinite number, a field of the wrong type (a string `training.steps`, a garbage "
    "`curve`), a record copied from another board.",
    "",
    "**Reading a board.** Ranks are shared by ties (same score and regret: `1, 1, 3`). The `run` "
    "column tells runs of one method apart: training seeds and steps where given, and `#` the "
    "first 8 hex digits of the submission's SHA-256. Under each table, what its score and "
    "regret are. Each plot is a PNG at 300 dpi with an SVG and a PDF beside it (text kept as "
    "text): one bar per entry from a zero baseline, labelled with rank, method and run, its "
    "score in the column on the right; error bars are the standard error over the evaluator's "
    "seeds (Stackelberg boards) or over the type profiles (AMA boards); orange bars are "
    "entries whose followers are not in equilibrium. Where the metric's best is 0 or below (a "
    "negative welfare loss) the bars are the gap to the known optimum, so lower is better; an "
    "entry whose bar is too short to see is marked with a diamond.",
    "",
)


def render(
    root: Path | str | None = None,
    out_dir: Path | str | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write ``<out_dir>/README.md`` and the plots under ``<out_dir>/plots/`` (plots of earlier
    renders that are no longer drawn are removed); return the paths of the README and the plots.
    A file that already holds the bytes it would get is left as it is. The boards hold the
    official records and those under ``root``, the user's results folder (default
    :func:`~leaderboards.records.user_results_dir`); ``out_dir`` defaults to ``root``;
    ``progress`` is called after each board (:data:`Progress`). Files that are not valid records
    are skipped with a warning; a failure to write is a
    :class:`~leaderboards.records.StorageError` naming the path."""
    root = user_results_dir(root)
    out_dir = root if out_dir is None else Path(out_dir)
    with storing(out_dir):
        return _render(root, out_dir, progress)


def _render(results_dir: Path, out_dir: Path, progress: Progress | None) -> list[Path]:
    plots = out_dir / "plots"
    lines = [*HOW_TO]
    current, drawn = None, []
    every = boards()
    for done, board in enumerate(every, start=1):
        if board.family != current:
            current = board.family
            title = board_family(current).title
            lines += [f"## {title}", "", f"Protocol: {board.protocol}", ""]
        section, saved = _board_section(board, load_records(board, results_dir), plots)
        lines += section
        drawn += saved
        if progress is not None:
            progress(done, len(every), board, saved)
    earlier = {path for ext in PLOT_FORMATS for path in plots.glob(f"*.{ext}")}
    for stale in earlier - set(drawn):
        stale.unlink()
    readme = out_dir / "README.md"
    write_if_changed(readme, "\n".join(lines).encode())
    return [readme, *drawn]
