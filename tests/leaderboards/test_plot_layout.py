"""The boards' plots read as a paper needs them to, judged from the drawn artists and their
extents as the renderer places them: the legend's swatches are the colours of the bars they
name, no label overlaps another label, a bar or a line at any board size (and none is cut off
at the figure's edge), and on a board whose metric is at most 0 the best entries are
visible."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from matplotlib.colors import to_rgba
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from leaderboards import find_board, submit, table_submission
from leaderboards.boards import Board
from leaderboards.families import board_family
from leaderboards.plots import draw_board, plot_style
from leaderboards.records import rank
from leaderboards.seed import REFERENCE_TABLES, reference_submissions
from leaderboards.submission import submission_data

SALES = "econ_envs/SequentialSales-v0"
MATRIX = "econ_envs/MatrixDesign-v0"
MSPM = "econ_envs/MSPM-v0"


def submitted(board: Board, submissions: list[dict[str, Any]], results: Path) -> list[dict]:
    """The records of ``submissions``, scored by the official evaluator, ranked as on the
    board."""
    records = [submit(s, results_dir=results, wandb_dir=None).record for s in submissions]
    return rank(records, board)


@pytest.fixture(scope="module")
def sales(tmp_path_factory: pytest.TempPathFactory) -> tuple[Board, list[dict]]:
    """20 entries on SequentialSales 2 agents / 2 items (four published references close
    together and a known optimum): VCG with a growing boost of its first action (revenue 0 to
    about the optimum), long method names, many seeds."""
    board = find_board(SALES, {"n_agents": 2, "n_items": 2})
    vcg = board_family(board.family).baseline(board)["params"]
    submissions = [
        submission_data(
            SALES,
            {"params": {**vcg, "boosts": [[0.03 * i, *row[1:]] for row in vcg["boosts"]]}},
            method=f"entry {i} with a long descriptive name (boost {0.03 * i:.2f})"
            if i % 3
            else f"{i:02d}" * 40,  # 80 characters, one word
            env_kwargs=dict(board.env_kwargs),
            training_seeds=list(range(i % 7)),
            steps=2_000_896 * i or None,
        )
        for i in range(20)
    ]
    return board, submitted(board, submissions, tmp_path_factory.mktemp("sales"))


def axes_of(fig: Figure) -> Iterator[Any]:
    """Every axes of ``fig`` with its child axes (the score column is one)."""
    for ax in fig.axes:
        yield ax
        yield from ax.child_axes


def drawn_texts(fig: Figure) -> list[Text]:
    """The texts the renderer draws: tick labels of ticks inside their axis' view, and every
    other visible, non-empty text (title, axis labels, legend)."""
    fig.draw_without_rendering()
    tick_labels, drawn = set(), []
    for ax in axes_of(fig):
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                tick_labels |= {tick.label1, tick.label2}
                if lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    drawn += [t for t in (tick.label1, tick.label2) if t.get_visible()]
    drawn += [t for t in fig.findobj(Text) if t not in tick_labels and t.get_visible()]
    return [t for t in drawn if t.get_text().strip()]


def extents(fig: Figure, texts: list[Text]) -> list[tuple[str, Bbox]]:
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in texts]


def spread(records: list[dict], size: int) -> list[dict]:
    """``size`` of the ranked ``records``, from the worst up at even steps (the worst alone for
    1: revenue 0, a bar too short to see)."""
    last = len(records) - 1
    return [records[i] for i in sorted({last - k * last // max(size - 1, 1) for k in range(size)})]


@pytest.mark.parametrize("size", [1, 5, 20])
def test_no_label_overlaps_another_or_a_mark(sales: tuple[Board, list[dict]], size: int) -> None:
    board, records = sales
    with plot_style():
        fig = draw_board(board, spread(records, size))
        boxes = extents(fig, drawn_texts(fig))
        (ax,) = fig.axes
        renderer = fig.canvas.get_renderer()
        marks = [m.get_window_extent(renderer) for m in [*ax.get_lines(), *ax.patches]]
    labels = [text for text, _ in boxes]
    assert sum(text.startswith(f"{k}. ") for k in range(1, 21) for text in labels) == min(size, 12)
    assert "regularized LP (published)" in labels and "known optimum" in labels
    for (a, box_a), (b, box_b) in combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"
    for text, box in boxes:
        assert not any(box.overlaps(mark) for mark in marks), f"{text!r} is drawn over a mark"
        assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1), text


def legend_colors(fig: Figure) -> dict[str, tuple[float, ...]]:
    (legend,) = fig.legends
    return {
        text.get_text(): handle.get_facecolor()
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True)
        if hasattr(handle, "get_facecolor")
    }


def bar_colors(fig: Figure) -> dict[str, tuple[float, ...]]:
    """Each bar's colour, by the method in the label of its row."""
    (ax,) = fig.axes
    rows = {round(tick.get_loc()): tick.label1.get_text() for tick in ax.yaxis.get_major_ticks()}
    return {
        rows[round(bar.get_y() + bar.get_height() / 2)]: bar.get_facecolor() for bar in bars_of(ax)
    }


def bars_of(ax: Any) -> list[Any]:
    """The bars of ``ax``, bottom row first."""
    return [bar for c in ax.containers if isinstance(c, BarContainer) for bar in c]


def test_the_legend_swatches_are_the_colours_of_the_bars_they_name(tmp_path: Path) -> None:
    board = find_board(MATRIX, {})
    (_, _, method, table) = next(r for r in REFERENCE_TABLES if r[0] == MATRIX and not r[1])
    records = submitted(
        board,
        [
            table_submission(MATRIX, table, method=method),
            submission_data(MATRIX, board_family(board.family).baseline(board), method="zeros"),
        ],
        tmp_path,
    )
    in_equilibrium = {r["method"]: r["regret"] <= 0 for r in records}
    assert sorted(in_equilibrium.values()) == [False, True]  # one entry of each kind
    with plot_style():
        fig = draw_board(board, records)
        swatches, bars = legend_colors(fig), bar_colors(fig)
    for label, color in bars.items():
        (method,) = [m for m in in_equilibrium if m[:20] in label]
        named = "followers in equilibrium" if in_equilibrium[method] else "followers not in"
        (swatch,) = [c for text, c in swatches.items() if text.startswith(named)]
        assert swatch == color, f"the bar of {method!r} is not the colour its legend names"
    assert len({to_rgba(c) for c in bars.values()}) == 2


def test_the_best_entries_of_a_metric_at_most_0_are_visible(tmp_path: Path) -> None:
    board = find_board(MSPM, {})
    optimal = next(s for s in reference_submissions() if s["env_id"] == MSPM)
    zeros = submission_data(MSPM, board_family(board.family).baseline(board), method="zeros")
    records = submitted(board, [optimal, zeros], tmp_path)
    assert all(r["score"] <= 0 for r in records) and board.optimal_value == 0
    with plot_style():
        fig = draw_board(board, records)
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        (ax,) = fig.axes
        bars = bars_of(ax)
        widths = {
            record["method"]: max(
                mark.get_window_extent(renderer).width
                for mark in [*bars, *ax.get_lines()]
                if _at_row(mark, row)
            )
            for row, record in enumerate(records[::-1])
        }
        label = ax.get_xlabel()
    assert all(width >= 5 for width in widths.values()), widths  # pixels at 100 dpi
    assert "gap to the known optimum" in label and "lower is better" in label
    # the bars are the gap: the worst entry's bar is as long as its score is below 0
    assert bars[0].get_width() == pytest.approx(-records[-1]["score"])


def _at_row(mark: Any, row: int) -> bool:
    """Whether a bar or a line mark is drawn on ``row`` (and not across the axes)."""
    if hasattr(mark, "get_ydata"):
        ydata = list(mark.get_ydata())
        return len(ydata) == 1 and ydata[0] == row
    return round(mark.get_y() + mark.get_height() / 2) == row
