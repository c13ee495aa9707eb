"""The two top packages import one way (issue 24, part 4): ``baselines`` may import
``leaderboards`` (to submit, to log W&B runs, to write the files the boards read);
``leaderboards`` never imports ``baselines``: the judge does not depend on the contestants' code.

The scan reads the sources with ``ast`` (nothing is imported): every import at any depth
(function-level included) and every ``importlib.import_module`` or ``__import__`` of a literal
name. The one thing the leaderboards run of the baselines, ``econ-leaderboard seed bilevel``,
is a seed source that the baselines' distribution declares as an entry point.
"""

from __future__ import annotations

import ast
import inspect
import tomllib
from importlib import metadata
from pathlib import Path

from baselines.bilevel.boards import bilevel_runs
from leaderboards import seed
from tests import ROOT

#: the functions whose first argument, a literal, names a module they import
_IMPORTERS = frozenset({"import_module", "__import__"})


def _imported(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` of every absolute import in ``path``, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            first = node.args[0]
            if name in _IMPORTERS and isinstance(first, ast.Constant):
                found.append((node.lineno, str(first.value)))
    return found


def imports_of(root: Path, folder: str, package: str) -> list[str]:
    """``file:line: module`` for every import of ``package`` (or a submodule) in ``folder``."""
    return [
        f"{path.relative_to(root)}:{line}: {module}"
        for path in sorted((root / folder).rglob("*.py"))
        for line, module in sorted(_imported(path))
        if module.split(".")[0] == package
    ]


def test_the_leaderboards_never_import_the_baselines():
    assert imports_of(ROOT, "leaderboards", "baselines") == []


def test_the_baselines_import_the_leaderboards():
    """The allowed direction is used (the scan reads real imports): the run tracking, the
    command-line options and the result-file names live in the leaderboards."""
    found = imports_of(ROOT, "baselines", "leaderboards")
    for module in ("leaderboards.tracking", "leaderboards.cli_options", "leaderboards.convert"):
        assert any(line.endswith(f": {module}") for line in found), module


def test_the_scan_finds_every_kind_of_import(tmp_path):
    folder = tmp_path / "leaderboards"
    folder.mkdir()
    (folder / "bad.py").write_text(
        "import baselines\n"
        "import baselines_like, os.path\n"
        "from . import baselines\n"
        "def f():\n"
        "    from baselines.bilevel.runner import optimize\n"
        "    importlib.import_module('baselines.mappo')\n"
        "    return __import__('baselines')\n"
    )
    assert imports_of(tmp_path, "leaderboards", "baselines") == [
        "leaderboards/bad.py:1: baselines",
        "leaderboards/bad.py:5: baselines.bilevel.runner",
        "leaderboards/bad.py:6: baselines.mappo",
        "leaderboards/bad.py:7: baselines",
    ]


def test_the_bilevel_seed_source_is_declared_by_the_baselines():
    """``econ-leaderboard seed bilevel`` finds the baselines' runs through the entry point that
    their distribution declares, and imports them only when the source is used."""
    pyproject = ROOT / "scripts" / "econ-envs-baselines" / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text())["project"]["entry-points"]
    assert declared[seed.SOURCE_GROUP] == {"bilevel": "baselines.bilevel.boards:bilevel_runs"}
    (point,) = metadata.entry_points(group=seed.SOURCE_GROUP)  # the installed distribution's
    assert point.load() is bilevel_runs
    assert list(seed.SOURCES) == ["reference", "zero", "vcg", "bilevel"]
    runs = seed.SOURCES["bilevel"]()  # a generator: nothing runs until it is read
    assert inspect.isgenerator(runs) and runs.gi_code is bilevel_runs.__code__
