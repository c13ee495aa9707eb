"""Run tracking shared by the leaderboards and every baseline: W&B runs (offline by default),
run names, and the provenance (package version, git commit, from
:mod:`econ_envs.provenance`) stored with every result. It lives here because the baselines may
import the leaderboards and the leaderboards never import the baselines.

Every W&B run of every command is written under one folder, ``runs/wandb/`` in the working
directory, or ``$WANDB_DIR/wandb/`` when ``WANDB_DIR`` (W&B's own variable) is set. W&B's own
console summary is off unless asked for with ``WANDB_QUIET=false`` (or ``WANDB_SILENT=false``).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from econ_envs import git_commit, package_version


def run_name(env_id: str, algo: str, seed: int) -> str:
    """W&B run name ``{env}__{algo}__{seed}__{unix time}`` (the env id without its namespace)."""
    return f"{env_id.split('/')[-1]}__{algo}__{seed}__{int(time.time())}"


def wandb_mode() -> str:
    """``WANDB_MODE`` if the user set it, else ``"offline"``: our machines have no internet."""
    return os.environ.get("WANDB_MODE", "offline")


#: the folder whose ``wandb/`` holds the W&B runs when ``WANDB_DIR`` is not set
DEFAULT_WANDB_DIR = Path("runs")


def wandb_dir() -> Path:
    """The folder whose ``wandb/`` holds every W&B run: ``$WANDB_DIR`` if set, else ``runs``."""
    return Path(os.environ.get("WANDB_DIR") or DEFAULT_WANDB_DIR)


class WandbDirError(OSError):
    """The folder chosen for W&B runs cannot be written (W&B itself would fall back silently to
    a folder in the system's temporary directory)."""


def check_wandb_dir(directory: Path) -> None:
    """Create ``directory/wandb`` if needed and write and remove a temporary file in it; a
    failure is a :class:`WandbDirError` naming the folder and what to do."""
    folder = directory / "wandb"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        os.close(handle)
        os.unlink(temporary)
    except OSError as error:
        raise WandbDirError(
            f"W&B runs cannot be written to {folder} ({error.strerror or error}): set WANDB_DIR "
            "to a writable folder, or run without tracking (--no-track)"
        ) from None


def _quiet() -> bool:
    """Whether to turn W&B's console summary off: unless the user set ``WANDB_QUIET`` or
    ``WANDB_SILENT`` (an explicit setting would override theirs)."""
    return not {"WANDB_QUIET", "WANDB_SILENT"} & set(os.environ)


def init_wandb(
    project: str,
    name: str,
    config: dict[str, Any],
    *,
    group: str | None = None,
    job_type: str | None = None,
    directory: Path | str | None = None,
    run_id: str | None = None,
) -> Any:
    """Start a W&B run (offline unless the user configured W&B) with provenance in its config.

    Runs are written under ``<directory>/wandb/`` (default: :func:`wandb_dir`); ``wandb sync``
    uploads offline runs later. W&B's console summary is quiet unless the user asked for it.
    ``run_id`` continues the run of that id (a resumed training run); offline, each part is
    written under its own directory with that id, and ``wandb sync`` appends them in order.
    A folder that cannot be written is a :class:`WandbDirError`.
    """
    import wandb  # lazy: tracking is optional for the envs

    full_config = {"git_commit": git_commit(), "package_version": package_version(), **config}
    directory = wandb_dir() if directory is None else Path(directory)
    check_wandb_dir(directory)
    return wandb.init(
        project=project,
        name=name,
        config=full_config,
        group=group,
        job_type=job_type,
        dir=str(directory),
        mode=wandb_mode(),
        reinit="finish_previous",
        id=run_id,
        resume="allow" if run_id else None,
        settings=wandb.Settings(quiet=True) if _quiet() else None,
    )
