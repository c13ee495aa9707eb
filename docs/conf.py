"""Sphinx configuration of the econ_envs documentation site.

Theme: furo. It is the theme Gymnasium's and PettingZoo's own sites are built with (Farama's
sites derive from it), so our users meet the layout they know; it is actively maintained,
responsive, has light and dark modes and a working client-side search, and needs no JavaScript
framework or extra Sphinx extension. Diagrams are hand-written SVG (no graphviz or Mermaid);
the environment pages' pictures are drawn with matplotlib by :mod:`generate`.

The pages under ``_generated/`` are written by the :mod:`generate` package (run here, before
every build) from the registry, the game modules, seeded episodes of the environments, the
follower dynamics, the CLI parsers and the leaderboards' records. Build with
``scripts/docs.sh`` (``sphinx-build -W``: warnings are errors).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOCS = Path(__file__).parent
sys.path[:0] = [str(DOCS.parent), str(DOCS)]

import generate  # noqa: E402

generate.generate()

project = "econ_envs"
author = "econ_envs authors"
copyright = "econ_envs authors"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon"]
exclude_patterns = ["_build", "README.md"]
html_theme = "furo"
html_title = "econ_envs"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
nitpicky = False

#: ``(batch, *shape)`` in a docstring is a shape, not the start of RST emphasis
_SHAPE_STAR = re.compile(r"(?<=, )\*(?=\w)")


def _escape_shape_stars(app, what, name, obj, options, lines: list[str]) -> None:
    lines[:] = [_SHAPE_STAR.sub(r"\\*", line) for line in lines]


def setup(app) -> None:
    """Register the docstring hook."""
    app.connect("autodoc-process-docstring", _escape_shape_stars)
