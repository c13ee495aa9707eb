"""Provenance stored with every result: the installed package version and the git commit.

Both the baselines (W&B runs, result files) and the leaderboards (result records, SPEC §5) store
them; they live here, in the core, so that neither needs the other for it.
"""

from __future__ import annotations

import subprocess
from importlib import metadata
from pathlib import Path


def git_commit(repo: Path | None = None) -> str | None:
    """The current git commit of ``repo`` (default: this checkout), or ``None`` outside git."""
    where = repo or Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=where, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def package_version() -> str:
    """The installed version of the ``econ-envs`` distribution (``"unknown"`` if not installed)."""
    try:
        return metadata.version("econ-envs")
    except metadata.PackageNotFoundError:
        return "unknown"
