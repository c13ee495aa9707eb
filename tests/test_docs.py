"""The documentation site: it builds with no warnings, has a page per environment id and per
board, no internal link is broken, and in a real browser (headless Chromium, skipped with the
reason when it is not installed) every environment and board page loads with no console error
and the search finds ``MSPM``. Screenshots of the MSPM page and of one board page are saved under
``docs/_build/screenshots/``."""

from __future__ import annotations

import functools
import html
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from econ_envs.registry import ENTRIES
from leaderboards.boards import boards

#: building the site takes tens of seconds
pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent
SCREENSHOTS = ROOT / "docs" / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def env_page(env_id: str) -> str:
    return f"_generated/envs/{env_id.split('/', 1)[1]}.html"


def board_page(key: str) -> str:
    return f"_generated/boards/{key.replace('/', '__')}.html"


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
    mspm = (site_dir / env_page("econ_envs/MSPM-v0")).read_text()
    for section in ("Rules", "Keywords", "Spaces", "Known optimum", "Follower dynamics"):
        assert section in mspm
    assert "observation_space" in mspm and "n_types" in mspm
    for board in boards():
        assert board.key in (site_dir / board_page(board.key)).read_text()
    board = (site_dir / board_page("MSPM-v0/default")).read_text()
    assert "negative welfare loss" in board and "MSPM-v0__default.png" in board
    cli = (site_dir / "_generated" / "cli.html").read_text()
    assert "econ-leaderboard submit" in cli and "econ-baselines train" in cli


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
