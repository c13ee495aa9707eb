"""Render the boards: ``README.md`` with one ranked table per board, and PNG plots (scores
against the optimum and the published references; learning curves where a submission has one).

matplotlib is imported inside :func:`plot_board` and :func:`plot_curves` only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from econ_envs.registry import AMA, STACKELBERG
from leaderboards.boards import Board, boards
from leaderboards.records import RESULTS_DIR, load_records, storing

#: where ``README.md`` and ``plots/`` are written by default (this package's folder)
OUT_DIR = Path(__file__).parent
_TOP = 12


def fmt(value: float | None, digits: int = 4) -> str:
    """A number for a table cell (``–`` for none)."""
    return "–" if value is None else f"{round(value, digits) + 0.0:.{digits}f}"


def score_cell(record: dict[str, Any]) -> str:
    """``score ± se`` (the standard error only where it is not zero)."""
    se = record["score_se"]
    return fmt(record["score"]) + (f" ± {fmt(se)}" if round(se, 4) > 0 else "")


def board_rows(records: Sequence[dict[str, Any]]) -> list[list[str]]:
    """The table rows of a ranked board: rank, method, score, regret, gap, steps, authors, date."""
    rows = []
    for rank, r in enumerate(records, 1):
        steps = r["training"].get("steps")
        rows.append(
            [
                str(rank),
                r["method"],
                score_cell(r),
                fmt(r["regret"]),
                fmt(r["optimality_gap"]),
                "–" if steps is None else f"{steps:,}",
                ", ".join(r["authors"]) or "–",
                r["timestamp"][:10],
            ]
        )
    return rows


HEADER = ["#", "method", "score", "regret", "gap to optimum", "training steps", "authors", "date"]


def describe(board: Board) -> str:
    """One line: id, keywords, metric and direction, optimum."""
    direction = "higher is better" if board.higher_is_better else "lower is better"
    return (
        f"`{board.env_id}`, env_kwargs `{json.dumps(dict(board.env_kwargs))}` · metric: "
        f"{board.metric} ({direction}) · known optimum: {fmt(board.optimal_value)}"
    )


def plot_board(board: Board, records: Sequence[dict[str, Any]], path: Path) -> Path:
    """Dot plot of the board's best scores, with the optimum and published references."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = list(records[:_TOP])[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(shown) + 1.8))
    labels = [f"{len(shown) - i}. {r['method']}" for i, r in enumerate(shown)]
    ax.errorbar(
        [r["score"] for r in shown],
        range(len(shown)),
        xerr=[r["score_se"] for r in shown],
        fmt="o",
        color="tab:blue",
        capsize=3,
    )
    ax.set_yticks(range(len(shown)), labels)
    ax.set_ylim(-0.6, len(shown) - 0.4)
    if board.optimal_value is not None:
        ax.axvline(board.optimal_value, color="black", linestyle="--", label="optimum")
    for (name, value), style in zip(board.reference.items(), ["-.", ":", "--", "-"], strict=False):
        ax.axvline(value, color="tab:gray", linestyle=style, linewidth=1, label=f"{name} (pub.)")
    ax.set_xlabel(f"{board.metric} ({'higher' if board.higher_is_better else 'lower'} is better)")
    ax.set_title(board.key)
    if board.optimal_value is not None or board.reference:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def plot_curves(board: Board, records: Sequence[dict[str, Any]], path: Path) -> Path | None:
    """Learning curves (steps, score) of the submissions that carry one; ``None`` if none do."""
    curves = [(r["method"], r["training"]["curve"]) for r in records if r["training"].get("curve")]
    if not curves:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for method, curve in curves[:_TOP]:
        ax.plot([p[0] for p in curve], [p[1] for p in curve], label=method)
    if board.optimal_value is not None:
        ax.axhline(board.optimal_value, color="black", linestyle="--", label="optimum")
    ax.set_xlabel("environment steps")
    ax.set_ylabel(board.metric)
    ax.set_title(f"{board.key}: learning curves")
    ax.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


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
    if board.family == AMA:  # every record of the board is scored on the same profiles
        lines += [
            f"VCG on the evaluation profiles: {fmt(records[0]['evaluation']['vcg_objective'])}.",
            "",
        ]
    lines += ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += [
        "| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in board_rows(records)
    ]
    name = f"{board.env_name}__{board.preset}"
    written = [plot_board(board, records, plots / f"{name}.png")]
    curves = plot_curves(board, records, plots / f"{name}__curves.png")
    written += [] if curves is None else [curves]
    lines += [""] + [f"![{board.key}](plots/{path.name})" for path in written]
    return [*lines, ""], written


HOW_TO = (
    "# econ_envs leaderboards",
    "",
    "Generated by `econ-leaderboard render` from the records under `leaderboards/results/`; do "
    "not edit by hand. Every score was recomputed by the official evaluator from the submitted "
    "data (SPEC §5); a submitted score is never read.",
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
)


def render(results_dir: Path | str = RESULTS_DIR, out_dir: Path | str = OUT_DIR) -> list[Path]:
    """Write ``<out_dir>/README.md`` and the plots under ``<out_dir>/plots/`` (plots of earlier
    renders that are no longer drawn are removed); return the paths written. Files under
    ``results_dir`` that are not valid records are skipped with a warning; a failure to write is
    a :class:`~leaderboards.records.StorageError` naming the path."""
    out_dir = Path(out_dir)
    with storing(out_dir):
        return _render(Path(results_dir), out_dir)


def _render(results_dir: Path, out_dir: Path) -> list[Path]:
    plots = out_dir / "plots"
    lines = [*HOW_TO]
    titles = {
        STACKELBERG: "Stackelberg POMDP boards (learning followers)",
        AMA: "Dynamic AMA boards (truthful agents, exact planner)",
    }
    current, written = None, []
    for board in boards():
        if board.family != current:
            current = board.family
            lines += [f"## {titles[current]}", "", f"Protocol: {board.protocol}", ""]
        section, paths = _board_section(board, load_records(board, results_dir), plots)
        lines += section
        written += paths
    for stale in set(plots.glob("*.png")) - set(written):
        stale.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    readme = out_dir / "README.md"
    readme.write_text("\n".join(lines))
    return [readme, *written]
