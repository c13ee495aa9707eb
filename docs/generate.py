"""Write the generated pages of the documentation site into ``docs/_generated/``.

Everything here is read from the sources, never copied by hand: one page per environment id from
:data:`econ_envs.registry.ENTRIES` (summary, source, the rules from the game's or domain's
docstring, keywords with defaults and the docstring's allowed values, the spaces of a built env,
the boards' optima and published values, the follower dynamics, the board plot), one page per
follower dynamics (:data:`econ_envs.followers.DYNAMICS`), the command lines (the argparse parsers
of ``econ-leaderboard`` and ``econ-baselines``) and one page per leaderboard (its table and
plot, from ``leaderboards/``'s records and renderers). ``conf.py`` runs :func:`generate` before
every build.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import inspect
import re
import shutil
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import gymnasium

import leaderboards
from econ_envs.ama.domains import DOMAINS
from econ_envs.episode_options import EpisodeOptions
from econ_envs.followers import DYNAMICS
from econ_envs.games import game_class
from econ_envs.registry import AMA, ENTRIES, EnvEntry
from leaderboards.boards import Board, boards
from leaderboards.records import OFFICIAL_RESULTS_DIR, load_records
from leaderboards.render import (
    HEADER,
    board_rows,
    describe,
    error_bar_name,
    score_notes,
)

DOCS = Path(__file__).parent
OUT = DOCS / "_generated"
#: the official boards' plots in the checkout, rendered by ``econ-leaderboard --results
#: leaderboards/results render --out leaderboards`` (with the repository's leaderboards/README.md)
PLOTS = Path(leaderboards.__file__).parent / "plots"
_ARG = re.compile(r"^(\w+)(?: \([^)]*\))?: (.*)$")


def page_name(text: str) -> str:
    """A file name for an id, a dynamics or a board key (``MSPM-v0/n_types-4`` ->
    ``MSPM-v0__n_types-4``)."""
    name = text.split("/", 1)[-1] if text.startswith("econ_envs/") else text
    return re.sub(r"[^A-Za-z0-9_.-]+", "__", name)


def heading(title: str, char: str = "=") -> list[str]:
    """An RST section title."""
    return [title, char * len(title), ""]


def literal(text: str) -> str:
    """``text`` as an RST inline literal (backticks in it doubled away)."""
    return "``" + text.replace("`", "'") + "``" if text else "–"


def plain(text: str) -> str:
    """``text`` shown as it is in RST (markup characters escaped)."""
    return re.sub(r"([\\`*_|<>\[\]])", r"\\\1", text) if text else "–"


def code_block(text: str, language: str = "text") -> list[str]:
    """An RST code block."""
    return [f".. code-block:: {language}", "", *textwrap.indent(text, "   ").splitlines(), ""]


def table(header: list[str], rows: Iterable[list[str]], widths: str = "auto") -> list[str]:
    """An RST list-table (cells are RST)."""
    lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [header, *rows]:
        lines.append(f"   * - {row[0] or '–'}")
        lines += [f"     - {cell or '–'}" for cell in row[1:]]
    return [*lines, ""]


def arguments(doc: str) -> dict[str, str]:
    """The ``Args:`` section of a Google-style docstring: keyword -> its description."""
    found: dict[str, str] = {}
    lines = doc.splitlines()
    if "Args:" not in lines:
        return found
    current = None
    for line in lines[lines.index("Args:") + 1 :]:
        if line and not line.startswith(" "):
            break
        match = _ARG.match(line.strip()) if line.startswith("    ") and line[4] != " " else None
        if match:
            current = match.group(1)
            found[current] = match.group(2)
        elif current and line.strip():
            found[current] += " " + line.strip()
    return found


def keywords(builder: Callable[..., Any], fixed: dict[str, Any]) -> list[list[str]]:
    """Rows (keyword, default, allowed values / meaning) of ``builder``'s keywords; a keyword
    fixed by the id shows the id's value."""
    described = arguments(inspect.getdoc(builder) or "")
    rows = []
    for name, parameter in inspect.signature(builder).parameters.items():
        if parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
            continue
        default = "required" if parameter.default is parameter.empty else repr(parameter.default)
        if name in fixed:
            default = f"{fixed[name]!r} (fixed by this id)"
        rows.append([literal(name), literal(default), described.get(name, "")])
    return rows


def builder_of(registered: EnvEntry) -> Callable[..., Any]:
    """The game class (Stackelberg) or domain builder (AMA) behind an id."""
    if registered.family == AMA:
        return DOMAINS[registered.kwargs["domain"]]
    return game_class(registered.kwargs["game"])


def qualified(obj: Any) -> str:
    """``module.name`` of a class or function."""
    return f"{obj.__module__}.{obj.__qualname__}"


def spaces(env_id: str) -> list[str]:
    """The observation and action spaces of the env as registered."""
    env = gymnasium.make(env_id)
    try:
        text = f"observation_space = {env.observation_space}\naction_space = {env.action_space}"
    finally:
        env.close()
    return code_block(text)


def copy_plot(stem: str) -> list[str]:
    """Copy a board plot (PNG, SVG, PDF) beside the generated pages; the RST showing it."""
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


def env_page(registered: EnvEntry) -> list[str]:
    """The page of one environment id."""
    builder = builder_of(registered)
    fixed = {k: v for k, v in registered.kwargs.items() if k not in ("game", "domain")}
    lines = [*heading(registered.id.split("/", 1)[1]), registered.summary, ""]
    lines += [
        f"- id: {literal(registered.id)}",
        f"- family: {'Stackelberg POMDP' if registered.family != AMA else 'dynamic AMA'}",
        f"- source: {registered.source}",
        f"- built from: {literal(qualified(builder))}",
        f"- keywords fixed by this id: {literal(repr(fixed)) if fixed else 'none'}",
        "",
        *code_block(
            f'import gymnasium, econ_envs\n\nenv = gymnasium.make("{registered.id}")', "python"
        ),
    ]
    rules = (inspect.getdoc(builder) or "").split("\nArgs:\n")[0]
    lines += [*heading("Rules", "-"), *rules.splitlines(), ""]
    lines += [*heading("Keywords", "-")]
    lines += table(["keyword", "default", "allowed values / meaning"], keywords(builder, fixed))
    if registered.family != AMA:
        options = [
            [literal(f.name), literal(repr(f.default)), "episode option (see below)"]
            for f in dataclasses.fields(EpisodeOptions)
        ]
        lines += [
            "Episode options, shared by every Stackelberg id (``None`` = the game's default):",
            "",
        ]
        lines += table(["keyword", "default", ""], options)
    lines += [*heading("Spaces", "-"), *spaces(registered.id)]
    lines += reference_section(registered)
    if registered.family != AMA:
        lines += [*heading("Follower dynamics", "-")]
        lines += [
            "Any of these, with ``dynamics=NAME`` (and ``dynamics_kwargs``): "
            + ", ".join(f":doc:`{name} <../dynamics/{name}>`" for name in DYNAMICS)
            + f"; this id uses ``{registered.kwargs.get('dynamics', 'mw')}`` unless told.",
            "",
        ]
    return lines


def reference_section(registered: EnvEntry) -> list[str]:
    """Known optima and published values of the id's boards, with the default board's plot."""
    own = [b for b in boards() if b.env_id == registered.id]
    rows = [
        [
            f":doc:`{literal(b.key)} <../boards/{page_name(b.key)}>`",
            b.metric_label,
            "–" if b.optimal_value is None else f"{b.optimal_value:.4f}",
            ", ".join(f"{k} {v:.4f}" for k, v in b.reference.items()),
        ]
        for b in own
    ]
    lines = [*heading("Known optimum and reference values", "-")]
    lines += table(["board", "metric", "known optimum", "published"], rows)
    default = next(b for b in own if not b.env_kwargs)
    if (PLOTS / f"{default.env_name}__{default.preset}.png").exists():
        lines += copy_plot(f"{default.env_name}__{default.preset}")
    return lines


def dynamics_page(name: str) -> list[str]:
    """The page of one follower dynamics."""
    module, cls_name = DYNAMICS[name].split(":")
    cls = getattr(importlib.import_module(module), cls_name)
    rows = keywords(cls, {})[3:]  # after spec, types, batch (given by the env)
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
    cells = [[plain(c) for c in row] for row in board_rows(records)]
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


def index(title: str, intro: str, pages: list[str]) -> list[str]:
    """A section index with a toctree."""
    toctree = [".. toctree::", "   :maxdepth: 1", "", *(f"   {page}" for page in pages)]
    return [*heading(title), intro, "", *toctree]


def write(path: Path, lines: list[str]) -> None:
    """Write a page (only if it changed, so Sphinx rebuilds only what changed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines).rstrip() + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def generate() -> None:
    """Write every generated page under :data:`OUT` (stale pages are removed first)."""
    shutil.rmtree(OUT, ignore_errors=True)
    envs = [page_name(e.id) for e in ENTRIES]
    for registered, name in zip(ENTRIES, envs, strict=True):
        write(OUT / "envs" / f"{name}.rst", env_page(registered))
    write(
        OUT / "envs.rst",
        index("Environments", "One page per registered id.", [f"envs/{n}" for n in envs]),
    )
    for name in DYNAMICS:
        write(OUT / "dynamics" / f"{name}.rst", dynamics_page(name))
    write(
        OUT / "dynamics.rst",
        index(
            "Follower dynamics",
            "How the followers of a Stackelberg POMDP learn, selected by ``dynamics=NAME``.",
            [f"dynamics/{name}" for name in DYNAMICS],
        ),
    )
    keys = [page_name(b.key) for b in boards()]
    for board, name in zip(boards(), keys, strict=True):
        write(OUT / "boards" / f"{name}.rst", board_page(board))
    write(
        OUT / "boards.rst",
        index(
            "Leaderboards",
            "One page per board, from ``leaderboards/results/`` (``econ-leaderboard render``).",
            [f"boards/{name}" for name in keys],
        ),
    )
    write(OUT / "cli.rst", cli_page())


if __name__ == "__main__":
    generate()
