"""Render the boards: ``README.md`` with one ranked table per board, and plots for papers (each
written as PNG at print resolution, SVG and PDF: scores as labelled bars with named error bars
against the optimum and the published references; learning curves where a submission has one).

Ranks are shared by ties (:func:`standings`: "1, 1, 3"). matplotlib is imported inside
:func:`plot_board` and :func:`plot_curves` only.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from leaderboards.boards import Board, boards
from leaderboards.families import board_family
from leaderboards.records import load_records, storing, user_results_dir

_TOP = 12
#: the formats every plot is written in (PNG at :data:`PNG_DPI`, SVG and PDF with real text)
PLOT_FORMATS = ("png", "svg", "pdf")
PNG_DPI = 300
#: plot width in inches: shrunk to a paper's column (about 3.3 in), 9 pt text stays 6 pt or more
_WIDTH = 4.8


def fmt(value: float | None, digits: int = 4) -> str:
    """A number for a table cell (``–`` for none)."""
    return "–" if value is None else f"{round(value, digits) + 0.0:.{digits}f}"


def score_cell(record: dict[str, Any]) -> str:
    """``score ± se`` (the standard error only where it is not zero)."""
    se = record["score_se"]
    return fmt(record["score"]) + (f" ± {fmt(se)}" if round(se, 4) > 0 else "")


def _tie_key(record: dict[str, Any]) -> tuple[float, float]:
    return (round(record["score"], 9), round(record["regret"], 9))


def standings(records: Sequence[dict[str, Any]]) -> list[int]:
    """The rank of each record of a ranked board (best first), shared by ties: records with the
    same score and the same regret (to 9 decimals) share the best rank of the group, and the next
    record's rank counts every record before it ("1, 1, 3": standard competition ranking)."""
    ranks: list[int] = []
    for i, record in enumerate(records):
        tied = i > 0 and _tie_key(record) == _tie_key(records[i - 1])
        ranks.append(ranks[-1] if tied else i + 1)
    return ranks


def run_name(record: dict[str, Any]) -> str:
    """Which run a record is: its training seeds and steps where given, and ``#`` the first 8
    hex digits of its submission's SHA-256 (two runs of one method differ here)."""
    training = record["training"]
    parts = []
    if training.get("seeds"):
        seeds = training["seeds"]
        parts.append(f"seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}")
    if training.get("steps") is not None:
        parts.append(f"{training['steps']:,} steps")
    return ", ".join([*parts, f"#{record['submission_sha256'][:8]}"])


def error_bar_name(board: Board) -> str:
    """What a score's error bar is (the board's family says)."""
    return board_family(board.family).error_bar(board)


def score_notes(board: Board) -> list[str]:
    """How to read a board's scores: the metric (welfare loss where it is one) and the regret
    (``regret`` vs ``empirical_regret``), one sentence each (the board's family says)."""
    score = f"score: {board.metric_label} ({error_bar_name(board)})."
    return [score, *board_family(board.family).notes(board)]


def _steps(record: dict[str, Any]) -> str:
    steps = record["training"].get("steps")
    return "–" if steps is None else f"{steps:,}"


#: the columns of a ranked board, each declared once: (header, the cell of ``(rank, record)``)
COLUMNS: tuple[tuple[str, Callable[[int, dict[str, Any]], str]], ...] = (
    ("#", lambda rank, r: str(rank)),
    ("method", lambda rank, r: r["method"]),
    ("score", lambda rank, r: score_cell(r)),
    ("regret", lambda rank, r: fmt(r["regret"])),
    ("gap to optimum", lambda rank, r: fmt(r["optimality_gap"])),
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


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


#: matplotlib settings of every plot: sizes readable at column width, text kept as text
_STYLE = {
    "font.size": 9,
    "axes.titlesize": 9,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "econ-envs",
    "pdf.fonttype": 42,
}
#: line styles and colours of the published references (at most four per board)
_REFERENCE_LINES = ("-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))
_REFERENCE_COLORS = ("tab:gray", "tab:green", "tab:red", "tab:purple")
#: per format, the metadata that would make two renders of the same board differ
_NO_DATE = {"png": {}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


def _save(fig: Any, stem: Path) -> list[Path]:
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_name(f"{stem.name}.{ext}") for ext in PLOT_FORMATS]
    for path, ext in zip(paths, PLOT_FORMATS, strict=True):
        fig.savefig(path, dpi=PNG_DPI, bbox_inches="tight", metadata=_NO_DATE[ext])
    return paths


def _legend_below(fig: Any) -> None:
    fig.legend(loc="outside lower center", ncol=1, frameon=False)


def _title(board: Board) -> str:
    return board.key if len(board.key) <= 40 else f"{board.env_name}\n{board.preset}"


def _bar_label(rank: int, record: dict[str, Any]) -> str:
    method = textwrap.shorten(record["method"], 40, placeholder="…")
    return f"{rank}. {method}\n{run_name(record)}"


def plot_board(board: Board, records: Sequence[dict[str, Any]], stem: Path) -> list[Path]:
    """Horizontal bars of the board's best scores from a zero baseline, each labelled with its
    rank, method and run, with named error bars, the optimum and the published references;
    written as ``<stem>.png`` (:data:`PNG_DPI`), ``.svg`` and ``.pdf``; returns the paths."""
    plt = _pyplot()
    ranks = standings(records)[:_TOP][::-1]
    shown = list(records[:_TOP])[::-1]
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(_WIDTH, 0.42 * len(shown) + 1.9), layout="constrained")
        y = range(len(shown))
        colors = ["tab:blue" if r["regret"] <= 0 else "tab:orange" for r in shown]
        ax.barh(y, [r["score"] for r in shown], height=0.6, color=colors)
        ax.errorbar(
            [r["score"] for r in shown],
            y,
            xerr=[r["score_se"] for r in shown],
            fmt="none",
            ecolor="black",
            capsize=3,
            label=f"error bar: {error_bar_name(board)}",
        )
        if any(r["regret"] > 0 for r in shown):
            ax.barh([], [], color="tab:orange", label="followers not in equilibrium (regret > 0)")
        ax.axvline(0.0, color="black", linewidth=0.8)
        for i, r in enumerate(shown):
            end = r["score"] + (r["score_se"] if r["score"] >= 0 else -r["score_se"])
            ax.annotate(
                fmt(r["score"]),
                (end, i),
                xytext=(5 if r["score"] >= 0 else -5, 0),
                textcoords="offset points",
                ha="left" if r["score"] >= 0 else "right",
                va="center",
                fontsize=7,
            )
        ax.set_yticks(list(y), [_bar_label(k, r) for k, r in zip(ranks, shown, strict=True)])
        ax.set_ylim(-0.6, len(shown) - 0.4)
        if board.optimal_value is not None:
            ax.axvline(board.optimal_value, color="black", linestyle="--", label="known optimum")
        for (name, value), style, color in zip(
            board.reference.items(), _REFERENCE_LINES, _REFERENCE_COLORS, strict=False
        ):
            ax.axvline(value, color=color, linestyle=style, label=f"{name} (published)")
        ax.margins(x=0.35)  # room for the value labels beyond the bars
        ax.xaxis.set_major_locator(plt.MaxNLocator(nbins=5))
        direction = "higher" if board.higher_is_better else "lower"
        ax.set_xlabel(f"{board.metric_label} ({direction} is better)")
        ax.set_title(_title(board))
        _legend_below(fig)
        paths = _save(fig, stem)
        plt.close(fig)
    return paths


def plot_curves(board: Board, records: Sequence[dict[str, Any]], stem: Path) -> list[Path]:
    """Learning curves (steps, score) of the submissions that carry one, each named by method
    and run; written like :func:`plot_board`; ``[]`` (nothing written) if none do."""
    curves = [r for r in records if r["training"].get("curve")]
    if not curves:
        return []
    plt = _pyplot()
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(_WIDTH, 3.4), layout="constrained")
        for r in curves[:_TOP]:
            curve = r["training"]["curve"]
            label = f"{textwrap.shorten(r['method'], 40, placeholder='…')} ({run_name(r)})"
            ax.plot([p[0] for p in curve], [p[1] for p in curve], label=label)
        if board.optimal_value is not None:
            ax.axhline(board.optimal_value, color="black", linestyle="--", label="known optimum")
        ax.set_xlabel("environment steps")
        ax.set_ylabel(board.metric_label)
        ax.set_title(f"{_title(board)}: learning curves")
        _legend_below(fig)
        paths = _save(fig, stem)
        plt.close(fig)
    return paths


def _board_section(
    board: Board, records: list[dict[str, Any]], plots: Path
) -> tuple[list[str], list[Path]]:
    lines = [f"### {board.key}", "", describe(board), ""]
    if board.reference:
        published = ", ".join(f"{k} {v:.4f}" for k, v in board.reference.items())
        lines += [f"Published (Curry et al.): {published}.", ""]
    if not board.open:
        return [*lines, f"Closed: {board.closed_because}.", ""], []
    if not records:
        return [*lines, "No submissions yet.", ""], []
    for name, value in board_family(board.family).summary(records).items():
        lines += [f"{name}: {fmt(value)}.", ""]
    lines += ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += [
        "| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in board_rows(records)
    ]
    lines += ["", *(f"- {note}" for note in score_notes(board)), ""]
    name = f"{board.env_name}__{board.preset}"
    written = plot_board(board, records, plots / name)
    written += plot_curves(board, records, plots / f"{name}__curves")
    for path in written:
        if path.suffix == ".png":
            others = " · ".join(
                f"[{ext.upper()}](plots/{path.with_suffix(f'.{ext}').name})"
                for ext in PLOT_FORMATS[1:]
            )
            lines += [f"![{board.key}](plots/{path.name})", "", f"Also as {others}.", ""]
    return lines, written


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
    "text): one bar per entry from a zero baseline, labelled with rank, method and run; error "
    "bars are the standard error over the evaluator's seeds (Stackelberg boards) or over the "
    "type profiles (AMA boards); orange bars are entries whose followers are not in "
    "equilibrium.",
    "",
)


def render(root: Path | str | None = None, out_dir: Path | str | None = None) -> list[Path]:
    """Write ``<out_dir>/README.md`` and the plots under ``<out_dir>/plots/`` (plots of earlier
    renders that are no longer drawn are removed); return the paths written. The boards hold the
    official records and those under ``root``, the user's results folder (default
    :func:`~leaderboards.records.user_results_dir`); ``out_dir`` defaults to ``root``. Files
    that are not valid records are skipped with a warning; a failure to write is a
    :class:`~leaderboards.records.StorageError` naming the path."""
    root = user_results_dir(root)
    out_dir = root if out_dir is None else Path(out_dir)
    with storing(out_dir):
        return _render(root, out_dir)


def _render(results_dir: Path, out_dir: Path) -> list[Path]:
    plots = out_dir / "plots"
    lines = [*HOW_TO]
    current, written = None, []
    for board in boards():
        if board.family != current:
            current = board.family
            title = board_family(current).title
            lines += [f"## {title}", "", f"Protocol: {board.protocol}", ""]
        section, paths = _board_section(board, load_records(board, results_dir), plots)
        lines += section
        written += paths
    drawn = {path for ext in PLOT_FORMATS for path in plots.glob(f"*.{ext}")}
    for stale in drawn - set(written):
        stale.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    readme = out_dir / "README.md"
    readme.write_text("\n".join(lines))
    return [readme, *written]
