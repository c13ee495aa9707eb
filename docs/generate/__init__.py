"""Write the generated pages of the documentation site into ``docs/_generated/``.

Everything here is read from the sources, never copied by hand: one page per environment id of
:data:`econ_envs.registry.ENTRIES` in the form of Gymnasium's environment pages, with two
pictures drawn from the env itself (:mod:`.env_page`); the table of environments the index and
the environments page show (:func:`environment_table`); one page per follower dynamics, per
leaderboard and the command lines (:mod:`.reference`). ``conf.py`` runs :func:`generate` before
every build.
"""

from __future__ import annotations

import shutil

from econ_envs.families import family
from econ_envs.followers import DYNAMICS
from econ_envs.registry import ENTRIES
from leaderboards.boards import boards

from .env_page import env_page
from .paths import OUT, PICTURES
from .reference import board_page, cli_page, dynamics_page
from .rst import doc_link, heading, page_name, table, write

#: the environment table's file, included by ``index.rst`` (not a page of its own)
ENVIRONMENT_TABLE = OUT / "environment_table.inc"


def environment_table() -> list[str]:
    """Every id with its game's picture, family and summary; paths are absolute (from the
    source folder), so the table reads the same wherever it is included."""
    rows = []
    for registered in ENTRIES:
        name = page_name(registered.id)
        picture = [
            f".. image:: /_generated/pictures/{name}-game.png",
            "          :width: 180px",
            f"          :alt: {name}",
        ]
        rows.append(
            [
                "\n".join(picture),
                doc_link(name, f"/_generated/envs/{name}"),
                family(registered.family).title,
                registered.summary,
            ]
        )
    return table(["picture", "environment", "family", "what it is"], rows, "25 20 15 40")


def index(title: str, intro: str, pages: list[str], body: list[str] | None = None) -> list[str]:
    """A section index: an introduction, an optional body and a toctree."""
    toctree = [".. toctree::", "   :maxdepth: 1", "", *(f"   {page}" for page in pages)]
    return [*heading(title), intro, "", *(body or []), *toctree]


def generate() -> None:
    """Write every generated page under :data:`OUT` (stale pages are removed first)."""
    shutil.rmtree(OUT, ignore_errors=True)
    envs = [page_name(e.id) for e in ENTRIES]
    for registered, name in zip(ENTRIES, envs, strict=True):
        write(OUT / "envs" / f"{name}.rst", env_page(registered, PICTURES))
    write(ENVIRONMENT_TABLE, environment_table())
    write(
        OUT / "envs.rst",
        index(
            "Environments",
            "One page per registered id, in the form of Gymnasium's environment pages.",
            [f"envs/{n}" for n in envs],
            environment_table(),
        ),
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
