"""Helpers of ``test_docs.py``: where its pages are in the built site, and readers of their HTML
(the links and ids of a page; what a reader sees of it: text outside code blocks, table cells,
section titles, pictures)."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

#: role markup that shows as text when a role never became a link (``:doc:`...```) or a literal
#: was nested in a role's title
ROLE_AS_TEXT = re.compile(r":(?:py:)?[a-z]+:`|``")
#: what a table cell shows for want of a meaning
NOTHING = {"", "–", "-", "—"}
#: the sections of every environment page, in Gymnasium's order
ENV_SECTIONS = (
    "Description",
    "Action Space",
    "Observation Space",
    "Rewards",
    "Starting State",
    "Episode End",
    "One Episode",
    "Arguments",
    "Known Optimum and Reference Values",
    "Version History",
)


class Visible(HTMLParser):
    """What a reader sees of one page: its text outside code blocks, its table rows (each cell's
    text, and whether it shows a picture), its section titles and its pictures."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []
        self.rows: list[list[tuple[str, bool]]] = []
        self.titles: list[str] = []
        self.images: list[str] = []
        self._cell: list[str] | None = None
        self._picture = False
        self._title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell, self._picture = [], False
        elif tag == "img":
            self.images.append(dict(attrs)["src"] or "")
            self._picture = True
            self.open.pop()  # a void element
        elif tag in ("h1", "h2", "h3"):
            self._title = []

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(("".join(self._cell).strip(), self._picture))
            self._cell = None
        elif tag in ("h1", "h2", "h3") and self._title is not None:
            self.titles.append("".join(self._title).strip().rstrip("#¶").strip())
            self._title = None

    def handle_data(self, data: str) -> None:
        if not {"pre", "script", "style"} & set(self.open):
            self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._title is not None:  # its headerlink's "#" is stripped at its end
            self._title.append(data)


@functools.cache
def visible(page: Path) -> Visible:
    seen = Visible()
    seen.feed(page.read_text())
    return seen


def env_page(env_id: str) -> str:
    return f"_generated/envs/{env_id.split('/', 1)[1]}.html"


def board_page(key: str) -> str:
    return f"_generated/boards/{key.replace('/', '__')}.html"


class Links(HTMLParser):
    """The ``href``/``src`` targets and the ``id``s of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)
            elif name == "id" and value:
                self.ids.add(value)


@functools.cache
def parse(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(errors="replace"))
    return links


def generated_pages(site_dir: Path) -> list[Path]:
    """The pages whose tables this project writes: the index, the environments, the dynamics."""
    return [
        site_dir / "index.html",
        site_dir / "_generated" / "envs.html",
        *sorted((site_dir / "_generated" / "envs").glob("*.html")),
        *sorted((site_dir / "_generated" / "dynamics").glob("*.html")),
    ]
