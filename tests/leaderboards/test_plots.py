"""Boards people put in papers: shared ranks for ties, plots in PNG (print resolution), SVG and
PDF with what is drawn on the axis, runs told apart, the submitted board alone after a submit,
the scores explained where they are printed, and a render that says what it does and rewrites
nothing that did not change."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
from pathlib import Path

import pytest

from leaderboards import find_board, submit, table_submission
from leaderboards.boards import boards
from leaderboards.cli import main
from leaderboards.plots import PNG_DPI
from leaderboards.render import render, standings
from tests import ROOT

MSG = "econ_envs/MessageAllocation-v0"
MSPM = "econ_envs/MSPM-v0"
COMMITTED = ROOT / "leaderboards" / "results"


def record(score: float, regret: float = 0.0) -> dict[str, float]:
    return {"score": score, "regret": regret}


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([record(1.0), record(1.0), record(0.5)], [1, 1, 3]),
        ([record(1.0), record(0.5), record(0.5), record(0.5), record(0.1)], [1, 2, 2, 2, 5]),
        ([record(1.0), record(1.0, regret=0.0625), record(1.0, regret=0.0625)], [1, 2, 2]),
        ([record(0.3333333333333333), record(1 / 3)], [1, 1]),
        ([], []),
    ],
)
def test_ties_share_a_rank(records: list[dict[str, float]], expected: list[int]) -> None:
    assert standings(records) == expected


def record_on(results: Path, data: dict) -> dict:
    return submit(data, results_dir=results, wandb_dir=None).record


def submit_cli(results: Path, tmp_path: Path, data: dict, name: str) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data))
    args = ["--results", str(results), "submit", "--env", data["env_id"], "--file", str(path)]
    assert main([*args, "--no-track"]) == 0


def test_a_perfect_score_tied_for_first_is_rank_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "results"
    for i in range(5):  # five entries; two of them perfect
        table = [0, 1, 2] if i < 2 else [0, 0, 0]
        submit(
            table_submission(MSG, table, method=f"entry {i}"), results_dir=results, wandb_dir=None
        )
    capsys.readouterr()
    submit_cli(results, tmp_path, table_submission(MSG, [0, 1, 2], method="perfect"), "perfect")
    out = capsys.readouterr().out
    assert "MessageAllocation-v0/default: perfect scored leader value 1.0000" in out
    assert "; rank 1 of 6" in out
    assert main(["--results", str(results), "show", MSG]) == 0
    ranks = re.findall(r"^│\s+(\d) │", capsys.readouterr().out, flags=re.MULTILINE)
    assert ranks == ["1", "1", "1", "4", "4", "4"]


def test_submit_shows_only_the_board_submitted_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "results"
    submit(
        table_submission(MSG, [0, 1, 2], method="on default"), results_dir=results, wandb_dir=None
    )
    capsys.readouterr()
    two = table_submission(MSG, [0, 1], method="two messages", env_kwargs={"n_messages": 2})
    submit_cli(results, tmp_path, two, "two")
    out = capsys.readouterr().out
    assert "MessageAllocation-v0/n_messages-2" in out and "two messages" in out
    for other in ("MessageAllocation-v0/default", "n_messages-1", "on default"):
        assert other not in out
    # how to read the printed scores
    assert "regret: the exact equilibrium regret" in out
    assert "empirical_regret" in out


def png_dpi(path: Path) -> float:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at = data.index(b"pHYs")
    per_metre, _, unit = struct.unpack(">IIB", data[at + 4 : at + 13])
    assert unit == 1  # metres
    return per_metre * 0.0254


def test_plots_in_three_formats_with_the_boards_metric(tmp_path: Path) -> None:
    results = tmp_path / "results"
    shutil.copytree(COMMITTED / "MSPM-v0" / "default", results / "MSPM-v0" / "default")
    paths = render(results, tmp_path / "out")
    plots = {p.name for p in paths if p.parent.name == "plots"}
    assert plots == {f"MSPM-v0__default.{ext}" for ext in ("png", "svg", "pdf")}
    out = tmp_path / "out" / "plots"
    svg = (out / "MSPM-v0__default.svg").read_text()
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    # a metric whose best is 0: the bars are the gap to it, and the axis says so
    assert "gap to the known optimum (0) of the negative welfare loss" in texts
    assert "(lower is better)" in texts
    assert not any("leader value" in t for t in texts)
    assert any("± standard error over the evaluator's" in t for t in texts)
    assert (out / "MSPM-v0__default.pdf").read_bytes()[:5] == b"%PDF-"
    assert png_dpi(out / "MSPM-v0__default.png") == pytest.approx(PNG_DPI, abs=0.5)
    readme = (tmp_path / "out" / "README.md").read_text()
    assert "metric: negative welfare loss (higher is better)" in readme
    assert "welfare loss = best possible welfare for the drawn types − welfare achieved" in readme
    assert "[SVG](plots/MSPM-v0__default.svg)" in readme


def test_two_runs_of_one_method_are_told_apart(tmp_path: Path) -> None:
    results = tmp_path / "results"
    runs = [
        record_on(
            results,
            table_submission(MSG, table, method="mappo", training_seeds=[seed], steps=1000),
        )
        for seed, table in ((0, [0, 1, 2]), (1, [0, 1, 1]))
    ]
    render(results, tmp_path / "out")
    svg = (tmp_path / "out" / "plots" / "MessageAllocation-v0__default.svg").read_text()
    for seed, run in enumerate(runs):
        assert f"seed {seed}, 1,000 steps, #{run['submission_sha256'][:8]}" in svg
    assert "1. mappo" in svg and "2. mappo" in svg
    assert find_board(MSG, {}).key == runs[0]["board"]


def test_render_says_what_it_does_and_rewrites_nothing_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results, out = tmp_path / "results", tmp_path / "out"
    record_on(results, table_submission(MSG, [0, 1, 2], method="identity", curve=[(0, 1.0)]))
    args = ["--results", str(results), "render", "--out", str(out)]
    assert main(args) == 0
    first = capsys.readouterr()
    lines = first.err.splitlines()  # a line per board as it is done
    assert len(lines) == len(boards())
    assert lines[-1].startswith(f"[{len(boards())}/{len(boards())}] ")
    (line,) = [line for line in lines if "MessageAllocation-v0/default " in line]
    assert re.fullmatch(
        r"\[ *\d+/\d+\] MessageAllocation-v0/default +6 of 6 plot files changed", line
    )
    assert sum(line.endswith(" no plot") for line in lines) == len(boards()) - 1
    assert first.out == f"wrote {out / 'README.md'} and 6 plots (6 of them changed)\n"
    files = sorted(p for p in out.rglob("*") if p.is_file())
    before = {p: p.read_bytes() for p in files}
    for path in files:  # an mtime no render could give them
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert main(args) == 0
    second = capsys.readouterr()
    assert "6 of 6" not in second.err and "0 of 6 plot files changed" in second.err
    assert second.out.endswith("and 6 plots (0 of them changed)\n")
    assert sorted(p for p in out.rglob("*") if p.is_file()) == files
    for path in files:
        assert path.read_bytes() == before[path], f"{path.name} changed"
        assert path.stat().st_mtime_ns == 1_000_000_000, f"{path.name} was written again"
