"""Plots of the boards for papers, each written as PNG at print resolution, SVG and PDF (text kept
as text): a board's best entries as labelled bars with named error bars, its optimum and
published references (:func:`draw_board`), and learning curves where a submission has one
(:func:`draw_curves`).

Every plot is 4.8 in wide, laid out inside that width rather than cropped to its labels, so all
boards shrink alike into a paper's column. Every label has its own place, so none overlaps
another at any board size: the rank, method and run of an entry left of its bar (wrapped to a
fixed width), its score in a column right of the axes, the references in the legend. A metric
whose best is 0 or below (a negative welfare loss) is drawn as the gap to the known optimum, and
an entry whose bar is too short to see is marked. Files are written only when their bytes change
(no dates in them, a fixed SVG hash salt), so a render of unchanged boards rewrites nothing.
matplotlib is imported inside the functions only.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaderboards.board import Board
from leaderboards.formatting import error_bar_name, run_name, standings, with_se

#: the most entries a board's plot shows (its best)
TOP = 12
#: the formats every plot is written in (PNG at :data:`PNG_DPI`, SVG and PDF with real text)
PLOT_FORMATS = ("png", "svg", "pdf")
PNG_DPI = 300
#: plot width in inches: shrunk to a paper's column (about 3.3 in), 9 pt text stays 6 pt or more
_WIDTH = 4.8
#: the width of a row label's lines, in characters (the method shortened to two lines)
_LABEL_CHARS = 30
#: the height of a row label's line, and the room between rows, in inches (8 pt text)
_LINE_IN, _ROW_GAP_IN = 0.135, 0.12
#: a bar shorter than this share of the axis is marked, or it could not be seen
_VISIBLE = 0.02
#: matplotlib settings of every plot: sizes readable at column width, text kept as text, and
#: nothing that changes between two renders of the same board
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
_NO_DATE: dict[str, dict[str, None]] = {
    "png": {},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}


@dataclass(frozen=True)
class Category:
    """A kind of entry, drawn in its own colour and named in the legend.

    Attributes:
        label: its name in the legend.
        color: the colour of its bars.
        holds: whether a record is of this kind.
    """

    label: str
    color: str
    holds: Callable[[dict[str, Any]], bool]


#: the kinds of entry, by the record's regret; the first is the ordinary one
CATEGORIES = (
    Category("followers in equilibrium (regret 0)", "tab:blue", lambda r: r["regret"] <= 0),
    Category("followers not in equilibrium (regret > 0)", "tab:orange", lambda r: r["regret"] > 0),
)


def category(record: dict[str, Any]) -> Category:
    """The kind of entry ``record`` is (:data:`CATEGORIES`)."""
    return next(c for c in CATEGORIES if c.holds(record))


@dataclass(frozen=True)
class Drawn:
    """What a board's bars measure.

    Attributes:
        label: the x axis label: the quantity and its direction.
        value: a score (or reference value) -> the bar's length.
        mark: the legend label of the mark on an entry whose bar is too short to see.
        gap: whether the bars are the gap to the optimum (then at 0, with no line of its own).
    """

    label: str
    value: Callable[[float], float]
    mark: str
    gap: bool = False


def drawn(board: Board) -> Drawn:
    """The score, or for a metric whose best is known and 0 or below (``higher_is_better``, the
    optimum ≤ 0: every bar would point left and the best would be the shortest) the gap to the
    optimum, so the bars grow with the distance to it."""
    best = board.optimal_value
    if board.higher_is_better and best is not None and best <= 0:
        return Drawn(
            f"gap to the known optimum ({best:g}) of the {board.metric_label} (lower is better)",
            lambda score: best - score,
            "gap ≈ 0 (bar too short to see)",
            gap=True,
        )
    direction = "higher" if board.higher_is_better else "lower"
    return Drawn(
        f"{board.metric_label} ({direction} is better)",
        lambda score: score,
        f"{board.metric_label} ≈ 0 (bar too short to see)",
    )


def plot_style() -> AbstractContextManager[Any]:
    """The matplotlib settings of every plot (a context); draw and save inside it."""
    return _pyplot().rc_context(_STYLE)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless the file already holds exactly these bytes (its mtime
    then stays); returns whether it was written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def save(fig: Any, stem: Path) -> dict[Path, bool]:
    """Write ``fig`` as ``<stem>.png``, ``.svg`` and ``.pdf`` (:func:`write_if_changed`); returns
    each path and whether its bytes changed."""
    saved = {}
    for ext in PLOT_FORMATS:
        buffer = io.BytesIO()
        fig.savefig(buffer, format=ext, dpi=PNG_DPI, metadata=_NO_DATE[ext])
        path = stem.with_name(f"{stem.name}.{ext}")
        saved[path] = write_if_changed(path, buffer.getvalue())
    return saved


def _title(board: Board) -> str:
    return board.key if len(board.key) <= 40 else f"{board.env_name}\n{board.preset}"


def row_label(rank: int, record: dict[str, Any]) -> str:
    """An entry's label: its rank and method (shortened to two lines) over its run (whole, as it
    tells runs apart), in lines of :data:`_LABEL_CHARS` characters."""
    wrap = {"width": _LABEL_CHARS, "break_on_hyphens": False}
    lines = textwrap.wrap(f"{rank}. {record['method']}", **wrap)
    if len(lines) > 2:
        lines = [lines[0], lines[1][: _LABEL_CHARS - 1] + "…"]
    return "\n".join([*lines, *textwrap.wrap(run_name(record), **wrap)])


def _limits(ends: Sequence[float]) -> tuple[float, float]:
    """x limits holding 0 and ``ends``, with a margin beyond the ends (none at 0, where the bars
    start)."""
    ends = [round(end, 12) for end in ends]  # float noise (a VCG revenue of -1e-16) is 0
    lo, hi = min(0.0, *ends), max(0.0, *ends)
    margin = 0.04 * ((hi - lo) or 1.0)
    return (lo - margin if lo < 0 else 0.0, hi + margin if hi > 0 else 0.0)


def _verticals(ax: Any, board: Board, axis: Drawn) -> list[Any]:
    """Draw the optimum (unless the bars are the gap to it) and the published references as
    vertical lines; return the lines."""
    lines = []
    if board.optimal_value is not None and not axis.gap:
        best = board.optimal_value
        lines.append(ax.axvline(best, color="black", linestyle="--", label="known optimum"))
    for (name, value), style, color in zip(
        board.reference.items(), _REFERENCE_LINES, _REFERENCE_COLORS, strict=False
    ):
        at = axis.value(value)
        lines.append(ax.axvline(at, color=color, linestyle=style, label=f"{name} (published)"))
    return lines


def _mark_short(ax: Any, values: list[float], colors: list[str], label: str) -> list[Any]:
    """Mark each bar shorter than :data:`_VISIBLE` of the x axis with a diamond of its colour
    at its value; return the legend handle of the marks (none if no bar is that short)."""
    from matplotlib.lines import Line2D

    lo, hi = ax.get_xlim()
    short = [i for i, v in enumerate(values) if abs(v) < _VISIBLE * (hi - lo)]
    for i in short:
        ax.plot(values[i], i, "D", color=colors[i], mec="black", ms=5, clip_on=False, zorder=4)
    if not short:
        return []
    return [Line2D([], [], marker="D", ls="none", mfc="white", mec="black", label=label)]


def draw_board(board: Board, records: Sequence[dict[str, Any]]) -> Any:
    """The figure of a board's best :data:`TOP` entries (``records`` ranked, best first): one bar
    per entry from 0 (what it measures: :func:`drawn`), coloured by :func:`category`, with its
    error bar and its score right of the axes; the optimum and the references as vertical
    lines; all named in the legend below. Call inside :func:`plot_style`; the caller closes the
    figure."""
    from matplotlib.patches import Patch

    plt = _pyplot()
    shown = list(records[:TOP])[::-1]
    ranks = standings(records)[:TOP][::-1]
    axis = drawn(board)
    values = [axis.value(r["score"]) for r in shown]
    errors = [r["score_se"] for r in shown]
    labels = [row_label(k, r) for k, r in zip(ranks, shown, strict=True)]
    row_in = _LINE_IN * max(label.count("\n") + 1 for label in labels) + _ROW_GAP_IN
    categories = [category(r) for r in shown]
    fig, ax = plt.subplots(figsize=(_WIDTH, row_in * len(shown) + 4), layout="constrained")
    y = list(range(len(shown)))
    ax.barh(y, values, height=0.6, color=[c.color for c in categories], zorder=2)
    verticals = _verticals(ax, board, axis)
    error_bar = f"error bar: {error_bar_name(board)}"
    handles = [
        *verticals,
        ax.errorbar(values, y, xerr=errors, fmt="none", ecolor="black", capsize=3, label=error_bar),
    ]
    ends = [v + s * e for v, e in zip(values, errors, strict=True) for s in (-1, 1)]
    lo, hi = _limits(ends + [line.get_xdata()[0] for line in verticals])
    ax.set_xlim(lo, hi)
    if lo < 0:
        ax.axvline(0.0, color="black", linewidth=0.8, zorder=1)
    handles += _mark_short(ax, values, [c.color for c in categories], axis.mark)
    if any(c is not CATEGORIES[0] for c in categories):
        present = [c for c in CATEGORIES if c in categories]
        handles += [Patch(facecolor=c.color, label=c.label) for c in present]
    ax.set_yticks(y, labels)
    ax.tick_params(axis="y", length=0, pad=6)  # room for a diamond at 0
    ax.set_ylim(-0.6, len(shown) - 0.4)
    scores = ax.secondary_yaxis("right")
    column = [with_se(v, e).replace("-", "−") for v, e in zip(values, errors, strict=True)]
    scores.set_yticks(y, column)  # with the axis's minus sign
    scores.tick_params(length=0)
    scores.spines["right"].set_visible(False)
    ax.xaxis.set_major_locator(plt.MaxNLocator(nbins=5))
    ax.set_xlabel(textwrap.fill(axis.label, 60))
    ax.set_title(_title(board))
    fig.legend(handles=handles, loc="outside lower center", ncol=1, frameon=False)
    _fit_height(fig, ax, row_in * len(shown))
    return fig


def _fit_height(fig: Any, ax: Any, axes_in: float) -> None:
    """Resize ``fig`` so that ``ax`` is ``axes_in`` inches tall: the constrained layout keeps
    the title, the axis labels and the legend at their own heights."""
    fig.draw_without_rendering()
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height + axes_in - ax.get_position().height * height)


def plot_board(board: Board, records: Sequence[dict[str, Any]], stem: Path) -> dict[Path, bool]:
    """:func:`draw_board` written as ``<stem>.png`` (:data:`PNG_DPI`), ``.svg`` and ``.pdf``;
    returns each path and whether its bytes changed (:func:`save`)."""
    plt = _pyplot()
    with plot_style():
        fig = draw_board(board, records)
        saved = save(fig, stem)
        plt.close(fig)
    return saved


def draw_curves(board: Board, records: Sequence[dict[str, Any]]) -> Any:
    """The learning curves (steps, score) of the submissions that carry one, each named by
    method and run, with the optimum; ``None`` if none do. Call inside :func:`plot_style`."""
    curves = [r for r in records if r["training"].get("curve")]
    if not curves:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(_WIDTH, 3.4), layout="constrained")
    for r in curves[:TOP]:
        curve = r["training"]["curve"]
        label = f"{textwrap.shorten(r['method'], 40, placeholder='…')} ({run_name(r)})"
        ax.plot([p[0] for p in curve], [p[1] for p in curve], label=label)
    if board.optimal_value is not None:
        ax.axhline(board.optimal_value, color="black", linestyle="--", label="known optimum")
    ax.set_xlabel("environment steps")
    ax.set_ylabel(board.metric_label)
    ax.set_title(f"{_title(board)}: learning curves")
    fig.legend(loc="outside lower center", ncol=1, frameon=False)
    return fig


def plot_curves(board: Board, records: Sequence[dict[str, Any]], stem: Path) -> dict[Path, bool]:
    """:func:`draw_curves` written like :func:`plot_board`; ``{}`` (nothing written) if no
    submission carries a curve."""
    plt = _pyplot()
    with plot_style():
        fig = draw_curves(board, records)
        if fig is None:
            return {}
        saved = save(fig, stem)
        plt.close(fig)
    return saved
