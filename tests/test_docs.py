"""The documentation site: it builds with no warnings, has a page per environment id and per
board, no internal link is broken, and in a real browser (headless Chromium, skipped with the
reason when it is not installed) every environment and board page loads with no console error
and the search finds ``MSPM``. Screenshots of the MSPM page and of one board page are saved under
``docs/_build/screenshots/``.

What a reader sees is checked in the built HTML: no page shows role markup as text (``:doc:`...```
that never became a link), no table cell of the generated pages is "–" for want of a meaning,
every environment page has Gymnasium's sections and its two pictures, the index has the
environment table, the install section and a quick start that runs. The pictures are drawn the
same, byte for byte, from the same sources."""

from __future__ import annotations

import functools
import html
import http.server
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import gymnasium
import pytest

from econ_envs.registry import ENTRIES, STACKELBERG
from leaderboards.boards import boards
from tests import ROOT
from tests.docs_site import (
    ENV_SECTIONS,
    NOTHING,
    ROLE_AS_TEXT,
    board_page,
    env_page,
    generated_pages,
    parse,
    visible,
)

#: building the site takes tens of seconds
pytestmark = pytest.mark.slow

SCREENSHOTS = ROOT / "docs" / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this test process builds the site."""
    return tmp_path_factory.mktemp("site") / "html"


@pytest.fixture(scope="session")
def build(site_dir: Path) -> subprocess.CompletedProcess[str]:
    """One fresh build of the site (``-E``: every page re-read, so every warning is seen), from
    a copy of ``docs/``: a build writes its generated pages into its source folder, so two test
    processes building ``docs/`` at once would read each other's half-written pages."""
    pytest.importorskip("sphinx", reason="the docs extra is not installed (pip install .[docs])")
    pytest.importorskip("furo", reason="the docs extra is not installed (pip install .[docs])")
    source = site_dir.parent / "docs"
    shutil.copytree(ROOT / "docs", source, ignore=shutil.ignore_patterns("_build", "_generated"))
    command = [sys.executable, "-m", "sphinx", "-W", "-E", "-q", "-b", "html"]
    command += [str(source), str(site_dir)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_the_site_builds_with_no_warnings(build: subprocess.CompletedProcess[str]) -> None:
    assert build.returncode == 0, build.stderr
    assert "WARNING" not in build.stderr and "ERROR" not in build.stderr


def test_one_page_per_environment_and_per_board(
    build: subprocess.CompletedProcess[str], site_dir: Path
) -> None:
    for registered in ENTRIES:
        text = html.unescape((site_dir / env_page(registered.id)).read_text())
        assert registered.id in text and registered.source in text
    mspm = html.unescape((site_dir / env_page("econ_envs/MSPM-v0")).read_text())
    assert "price posted for item 0" in mspm and "message of agent 1 = 0" in mspm
    for board in boards():
        assert board.key in (site_dir / board_page(board.key)).read_text()
    board = (site_dir / board_page("MSPM-v0/default")).read_text()
    assert "negative welfare loss" in board and "MSPM-v0__default.png" in board
    cli = (site_dir / "_generated" / "cli.html").read_text()
    assert "econ-leaderboard submit" in cli and "econ-baselines train" in cli


def test_no_internal_link_is_broken(
    build: subprocess.CompletedProcess[str], site_dir: Path
) -> None:
    broken = []
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > len(ENTRIES) + len(boards())
    for page in pages:
        for target in parse(page).targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("mailto:", "javascript:")):
                continue
            path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{page.relative_to(site_dir)} -> {target}")
            elif (
                parts.fragment
                and path.suffix == ".html"
                and unquote(parts.fragment) not in parse(path).ids
            ):
                broken.append(f"{page.relative_to(site_dir)} -> {target} (no such anchor)")
    assert broken == []


@pytest.fixture(scope="session")
def site(build: subprocess.CompletedProcess[str], site_dir: Path) -> Iterator[str]:
    """The built site served over HTTP on a free local port; its base URL."""
    assert build.returncode == 0, build.stderr
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Selenium (skipped when either is missing)."""
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("no Chromium installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(300)  # a bound on a hang, not on a busy machine
    yield driver
    driver.quit()


def console_errors(driver: object) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_every_environment_and_board_page_loads_without_console_errors(
    site: str, browser: object
) -> None:
    pages = [env_page(e.id) for e in ENTRIES] + [board_page(b.key) for b in boards()]
    failures = {}
    for page in pages:
        browser.get(site + page)
        title = browser.title
        errors = console_errors(browser)
        if errors or "econ_envs" not in title:
            failures[page] = (title, errors)
    assert failures == {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(site + env_page("econ_envs/MSPM-v0"))
    assert browser.save_screenshot(str(SCREENSHOTS / "MSPM-v0.png"))
    browser.get(site + board_page("MSPM-v0/default"))
    assert browser.save_screenshot(str(SCREENSHOTS / "board-MSPM-v0__default.png"))
    assert (SCREENSHOTS / "MSPM-v0.png").read_bytes()[:4] == b"\x89PNG"


def test_search_finds_mspm(site: str, browser: object) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(site + "search.html?q=MSPM")

    def mspm_page_found(driver: object) -> bool:  # results are listed as they are found
        links = driver.find_elements(By.CSS_SELECTOR, "#search-results ul.search li a")
        hrefs = [link.get_attribute("href") for link in links]
        return any(href.endswith(env_page("econ_envs/MSPM-v0")) for href in hrefs)

    assert WebDriverWait(browser, 300).until(mspm_page_found)  # polls; 300 s bounds a hang
    assert console_errors(browser) == []


def test_no_page_shows_role_markup_as_text(
    build: subprocess.CompletedProcess[str], site_dir: Path
) -> None:
    shown = {}
    for page in sorted(site_dir.rglob("*.html")):
        found = [t.strip() for t in visible(page).text if ROLE_AS_TEXT.search(t)]
        if found:
            shown[str(page.relative_to(site_dir))] = found[:3]
    assert shown == {}


def test_no_table_cell_of_a_generated_page_says_nothing(
    build: subprocess.CompletedProcess[str], site_dir: Path
) -> None:
    empty = {}
    for page in generated_pages(site_dir):
        rows = visible(page).rows
        bad = [row for row in rows if any(t in NOTHING and not picture for t, picture in row)]
        if bad:
            empty[str(page.relative_to(site_dir))] = bad[:3]
    assert len(generated_pages(site_dir)) > len(ENTRIES) + 2
    assert empty == {}


@pytest.mark.parametrize("registered", ENTRIES, ids=lambda e: e.id)
def test_every_environment_page_has_its_sections_and_pictures(
    build: subprocess.CompletedProcess[str], site_dir: Path, registered: object
) -> None:
    page = site_dir / env_page(registered.id)
    seen = visible(page)
    sections = [t for t in seen.titles if t in ENV_SECTIONS]
    assert sections == list(ENV_SECTIONS)  # all of them, in order
    if registered.family == STACKELBERG:
        assert {"Privileged state", "Follower Dynamics"} <= set(seen.titles)
    name = registered.id.split("/", 1)[1]
    for picture in (f"{name}-game.png", f"{name}-episode.png"):
        [src] = [src for src in seen.images if src.endswith(picture)]
        assert (page.parent / src).resolve().read_bytes()[:4] == b"\x89PNG"
    # its known-optimum table names each of its boards, and links to the board's page
    linked = {t.rsplit("/", 1)[-1] for t in parse(page).targets}
    first_cells = {row[0][0] for row in seen.rows if row}
    for board in boards():
        if board.env_id == registered.id:
            assert board.key in first_cells
            assert board_page(board.key).rsplit("/", 1)[-1] in linked


def test_mspm_arguments_show_real_defaults(
    build: subprocess.CompletedProcess[str], site_dir: Path
) -> None:
    rows = visible(site_dir / env_page("econ_envs/MSPM-v0")).rows
    cells = {row[0][0]: row[1][0] for row in rows if len(row) == 3}
    assert cells["n_types"] == "None, which gives 3"
    assert cells["response_iterations"] == "None, which gives 250"
    assert cells["dynamics"] == "'mw'"


def test_the_index_has_the_environments_install_and_a_quick_start(
    build: subprocess.CompletedProcess[str], site_dir: Path
) -> None:
    index = site_dir / "index.html"
    seen = visible(index)
    assert {"Environments", "Install", "Quick start"} <= set(seen.titles)
    targets = set(parse(index).targets)
    for registered in ENTRIES:
        assert env_page(registered.id) in targets
        name = registered.id.split("/", 1)[1]
        assert any(src.endswith(f"{name}-game.png") for src in seen.images)
    page = index.read_text()
    article = page[page.index("<article") : page.index("</article>")]
    assert "toctree-l1" not in article  # the table of contents is the sidebar's, not repeated
    text = html.unescape(re.sub(r"<[^>]+>", "", article))  # code blocks' words without spans
    for line in ("pip install econ-envs ", "pip install econ-envs-baselines "):
        assert line in text
    pyproject = tomllib.loads((ROOT / "scripts/econ-envs-baselines/pyproject.toml").read_text())
    for extra in pyproject["project"]["optional-dependencies"]:
        assert f'pip install "econ-envs-baselines[{extra}]"' in text


def test_the_quick_start_runs() -> None:
    """The index's Python examples, run as they are written."""
    source = (ROOT / "docs" / "index.rst").read_text()
    blocks = re.findall(r"\.\. code-block:: python\n\n((?:   .*\n|\n)+)", source)
    assert len(blocks) == 2
    for block in blocks:
        exec(compile(textwrap.dedent(block), "index.rst", "exec"), {})


def test_pictures_are_the_same_bytes_from_the_same_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("matplotlib", reason="the docs pictures need matplotlib")
    monkeypatch.syspath_prepend(str(ROOT / "docs"))
    from generate import episodes, pictures

    for env_id in ("econ_envs/MSPM-v0", "econ_envs/TaskScheduling-v0"):
        env = gymnasium.make(env_id).unwrapped
        run = episodes.designer_episode if "Task" in env_id else episodes.stackelberg_episode
        drawn = []
        for attempt in ("a", "b"):
            pictures.draw_game(tmp_path / attempt / "game.png", env)
            pictures.draw_episode(tmp_path / attempt / "episode.png", run(env_id), env)
            drawn.append(
                [(tmp_path / attempt / f).read_bytes() for f in ("game.png", "episode.png")]
            )
        assert drawn[0] == drawn[1]
