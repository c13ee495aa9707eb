"""Small writers of reStructuredText, shared by every generated page.

Cells, titles and literals are built here so that the markup of a page is made in one way: a
table refuses an empty cell (a page says what a thing means, never "–"), and a literal is never
put inside a role's title (the title of a ``:doc:`` link is plain text).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from pathlib import Path

#: an entry of a Google-style docstring section: ``name (type): text`` or ``a, b: text``
_ENTRY = re.compile(r"^(\**\w+(?:, \w+)*)(?: \([^)]*\))?: (.*)$")


def page_name(text: str) -> str:
    """A file name for an id, a dynamics or a board key (``MSPM-v0/n_types-4`` ->
    ``MSPM-v0__n_types-4``)."""
    name = text.split("/", 1)[-1] if text.startswith("econ_envs/") else text
    return re.sub(r"[^A-Za-z0-9_.-]+", "__", name)


def heading(title: str, char: str = "=") -> list[str]:
    """An RST section title."""
    return [title, char * len(title), ""]


def literal(text: str) -> str:
    """``text`` as an RST inline literal (backticks in it replaced by quotes)."""
    if not text:
        raise ValueError("an empty literal shows nothing")
    return "``" + text.replace("`", "'") + "``"


def plain(text: str) -> str:
    """``text`` shown as it is in RST (markup characters escaped)."""
    return re.sub(r"([\\`*_|<>\[\]])", r"\\\1", text)


def doc_link(title: str, target: str) -> str:
    """A ``:doc:`` link whose title is plain text (a literal in a role's title is not markup:
    it would show its backticks)."""
    escaped = re.sub(r"([`<>])", r"\\\1", title)
    return f":doc:`{escaped} <{target}>`"


def code_block(text: str, language: str = "text") -> list[str]:
    """An RST code block."""
    return [f".. code-block:: {language}", "", *textwrap.indent(text, "   ").splitlines(), ""]


def table(header: list[str], rows: Iterable[list[str]], widths: str = "auto") -> list[str]:
    """An RST list-table (cells are RST); ``ValueError`` for an empty cell."""
    lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {widths}", ""]
    for row in [header, *rows]:
        if not all(cell.strip() for cell in row):
            raise ValueError(f"a table cell says nothing: {row}")
        lines.append(f"   * - {row[0]}")
        lines += [f"     - {cell}" for cell in row[1:]]
    return [*lines, ""]


def figure(path: str, alt: str, caption: str, width: str = "100%") -> list[str]:
    """An RST figure with a caption."""
    return [
        f".. figure:: {path}",
        f"   :width: {width}",
        f"   :alt: {alt}",
        "",
        f"   {caption}",
        "",
    ]


def docstring_section(doc: str, section: str = "Args") -> dict[str, str]:
    """The entries of a Google-style docstring section (``Args:``, ``Attributes:``): name ->
    its text (an entry naming several, ``a, b: text``, gives each the text)."""
    found: dict[str, str] = {}
    lines = doc.splitlines()
    if f"{section}:" not in lines:
        return found
    names: list[str] = []
    for line in lines[lines.index(f"{section}:") + 1 :]:
        if line and not line.startswith(" "):
            break
        match = _ENTRY.match(line.strip()) if line[4:5].strip() else None
        if match:
            names = [name.lstrip("*") for name in match.group(1).split(", ")]
            found.update(dict.fromkeys(names, match.group(2)))
        elif names and line.strip():
            for name in names:
                found[name] += " " + line.strip()
    return found


def write(path: Path, lines: list[str]) -> None:
    """Write a page (only if it changed, so Sphinx rebuilds only what changed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines).rstrip() + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
