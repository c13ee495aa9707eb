"""The pages besides the environments': follower dynamics, leaderboards and command lines.

One page per follower dynamics (:data:`econ_envs.followers.DYNAMICS`), one per leaderboard (its
ranked table and plot, from ``leaderboards/``'s records and renderers) and the command lines
(the argparse parsers of ``econ-leaderboard`` and ``econ-baselines``).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import shutil

from econ_envs.followers import DYNAMICS
from leaderboards.boards import Board
from leaderboards.records import OFFICIAL_RESULTS_DIR, load_records
from leaderboards.render import HEADER, board_rows, describe, error_bar_name, score_notes

from .paths import OUT, PLOTS
from .rst import code_block, docstring_section, heading, literal, plain, table


def copy_plot(stem: str) -> list[str]:
    """Copy a board plot (PNG, SVG, PDF) beside the generated pages; the RST showing it, or
    nothing where the checkout holds no such plot."""
    if not (PLOTS / f"{stem}.png").exists():
        return []
    target = OUT / "plots"
    target.mkdir(parents=True, exist_ok=True)
    for ext in ("png", "svg", "pdf"):
        shutil.copyfile(PLOTS / f"{stem}.{ext}", target / f"{stem}.{ext}")
    return [
        f".. figure:: ../plots/{stem}.png",
        "   :width: 100%",
        f"   :alt: {stem}",
        "",
        f"   Also as :download:`SVG <../plots/{stem}.svg>` and "
        f":download:`PDF <../plots/{stem}.pdf>`.",
        "",
    ]


def dynamics_page(name: str) -> list[str]:
    """The page of one follower dynamics."""
    module, cls_name = DYNAMICS[name].split(":")
    cls = getattr(importlib.import_module(module), cls_name)
    said = docstring_section(inspect.getdoc(cls) or "")
    parameters = list(inspect.signature(cls).parameters.items())[3:]  # after spec, types, batch
    rows = [[literal(k), literal(repr(p.default)), said[k]] for k, p in parameters]
    return [
        *heading(f"{name}"),
        f"``dynamics={name!r}``, implemented by :py:obj:`{module}.{cls_name}`.",
        "",
        *inspect.getdoc(cls).split("\n\n")[0].splitlines(),
        "",
        *heading("Keywords (dynamics_kwargs)", "-"),
        *(table(["keyword", "default", "meaning"], rows) if rows else ["None.", ""]),
        f".. autoclass:: {module}.{cls_name}",
        "   :no-index:",
        "",
    ]


def board_page(board: Board) -> list[str]:
    """The page of one leaderboard: what it is, its ranked table and its plot."""
    records = load_records(board, OFFICIAL_RESULTS_DIR)  # the official boards only
    lines = [*heading(board.key), describe(board).replace("`", "``"), "", board.protocol, ""]
    if board.reference:
        published = ", ".join(f"{k} {v:.4f}" for k, v in board.reference.items())
        lines += [f"Published (Curry et al.): {published}.", ""]
    if not board.open:
        return [*lines, f"Closed: {board.closed_because}.", ""]
    if not records:
        return [*lines, "No submissions yet.", ""]
    cells = [[plain(c) or "none" for c in row] for row in board_rows(records)]
    lines += table(HEADER, cells)
    lines += [f"- {plain(note)}" for note in score_notes(board)] + [""]
    lines += [f"Error bars: {error_bar_name(board)}.", ""]
    return lines + copy_plot(f"{board.env_name}__{board.preset}")


def parser_help(parser: argparse.ArgumentParser, title: str) -> list[str]:
    """The help of a parser and of each of its subcommands, as sections."""
    lines = [*heading(title, "-"), *code_block(parser.format_help())]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                lines += [*heading(f"{title} {name}", "~"), *code_block(sub.format_help())]
    return lines


def baselines_parser() -> argparse.ArgumentParser:
    """``econ-baselines`` with every subcommand's arguments (the CLI adds only the one used)."""
    from baselines import cli

    parser = argparse.ArgumentParser(prog=cli.PROG, description=cli.__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module, help_text) in cli.SUBCOMMANDS.items():
        importlib.import_module(module).add_arguments(sub.add_parser(name, help=help_text))
    return parser


def cli_page() -> list[str]:
    """The command lines, from their parsers."""
    from leaderboards.cli import _parser

    return [
        *heading("Command lines"),
        "Generated from the argparse parsers of the two commands.",
        "",
        *parser_help(_parser(), "econ-leaderboard"),
        *parser_help(baselines_parser(), "econ-baselines"),
    ]
