"""Provenance stored with every result: the installed package version and the git commit.

Both the baselines (W&B runs, result files) and the leaderboards (result records, SPEC §5) store
them; they live here, in the core, so that neither needs the other for it.
"""

from __future__ import annotations

import subprocess
from importlib import metadata
from pathlib import Path


def git_commit(repo: Path | None = None) -> str | None:
    """The current git commit of ``repo`` (default: the checkout this package runs from), or
    ``None`` outside git. An installed package has no commit of its own: one installed into a
    virtual environment that lies inside some other git repository gets ``None``, not that
    repository's commit."""
    package = Path(__file__).resolve().parent
    where = repo or package
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel", "HEAD"],
            cwd=where,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    top, _, commit = out.stdout.strip().partition("\n")
    if repo is None and Path(top, package.name).resolve() != package:
        return None
    return commit or None


def package_version() -> str:
    """The installed version of the ``econ-envs`` distribution (``"unknown"`` if not installed)."""
    try:
        return metadata.version("econ-envs")
    except metadata.PackageNotFoundError:
        return "unknown"
