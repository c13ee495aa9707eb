"""What to install for an optional import, as the one line a command prints when it is missing,
and the version both commands report (``econ-leaderboard`` and ``econ-baselines`` use both).

The core distribution, ``econ-envs``, holds the environments alone; ``econ-envs-baselines`` holds
the baselines and leaderboards with their stack, and two extras: ``distributed`` (Ray Tune
sweeps) and ``docs`` (the Sphinx site and its browser test).
"""

from __future__ import annotations

from importlib import metadata

import econ_envs

#: the distribution of the baselines and leaderboards
DISTRIBUTION = "econ-envs-baselines"
#: top-level module -> the requirement that provides it
PROVIDERS: dict[str, str] = {
    **dict.fromkeys(("ray", "yaml"), f'"{DISTRIBUTION}[distributed]"'),
    **dict.fromkeys(("sphinx", "furo", "selenium"), f'"{DISTRIBUTION}[docs]"'),
    **dict.fromkeys(
        ("torch", "tianshou", "scipy", "wandb", "rich", "tqdm", "matplotlib", "jsonschema"),
        DISTRIBUTION,
    ),
}


def version() -> str:
    """The installed version of ``econ-envs-baselines``; in a source checkout without it, the
    core's (both distributions share one version)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return econ_envs.__version__


def missing_module_hint(error: ModuleNotFoundError, command: str) -> str | None:
    """``"<command> needs <module>, which is not installed: pip install <requirement>"`` for a
    module that one of our distributions or extras provides; ``None`` for any other module (a
    bug, not a missing install: let it raise)."""
    module = (error.name or "").split(".")[0]
    if module not in PROVIDERS:
        return None
    return f"{command} needs {module}, which is not installed: pip install {PROVIDERS[module]}"
