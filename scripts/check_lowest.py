"""Check that a lowest-versions lane installed the lower bounds it claims to test.

Usage: ``python scripts/check_lowest.py FREEZE CONSTRAINTS PYPROJECT[EXTRA,...] [...]`` where
FREEZE is the lane's ``uv pip freeze``, CONSTRAINTS the lane's constraints file and each
PYPROJECT is installed with the extras named. A package that the lane pins (``name==V`` in
CONSTRAINTS: torch, to the machine's CPU build) is reported, not judged. For every direct
dependency ``name>=X`` of those projects and extras, the lane's release must start with X's
release (``>=1.24``
is met by 1.24.4, which another package's own floor may force; ``>=0.19.9`` only by 0.19.9).
Prints one line per dependency; exits 1 naming every one that was moved above its bound.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_BOUND = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][0-9.]*)")
_PINNED = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)")


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def lower_bounds(installs: list[str]) -> dict[str, str]:
    """``name -> X`` of every ``name>=X`` requirement of the installs (``path[extra,...]``)."""
    bounds = {}
    for install in installs:
        path, _, extras = install.partition("[")
        project = tomllib.loads(Path(path).read_text())["project"]
        optional = project.get("optional-dependencies", {})
        wanted = [extra for extra in extras.rstrip("]").split(",") if extra]
        groups = [project["dependencies"], *(optional[extra] for extra in wanted)]
        for requirement in (r for group in groups for r in group):
            match = _BOUND.match(requirement)
            if match:
                bounds[_name(match[1])] = match[2]
    return bounds


def pins(path: str) -> dict[str, str]:
    """``name -> version`` of the ``name==version`` lines of a freeze or constraints file."""
    lines = (_PINNED.match(line.strip()) for line in Path(path).read_text().splitlines())
    return {_name(match[1]): match[2] for match in lines if match}


def main(freeze: str, constraints: str, *installs: str) -> int:
    installed, pinned = pins(freeze), pins(constraints)
    moved = []
    for name, bound in sorted(lower_bounds(list(installs)).items()):
        version = installed.get(name, "nothing")
        release = version.split("+")[0].split(".")
        ok = release[: len(bound.split("."))] == bound.split(".")
        verdict = "" if ok else "  <- above the bound"
        if not ok and name in pinned:
            verdict = "  (pinned by the lane: this bound is not tested in this run)"
        elif not ok:
            moved.append(name)
        print(f"  {name:<16} >={bound:<10} installed {version}{verdict}")
    if moved:
        print(f"moved above their lower bounds: {', '.join(moved)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
