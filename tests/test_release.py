"""The release as a user meets it: both distributions built (sdists and wheels, ``twine check``),
installed into a fresh virtual environment outside the source tree, and used from a working
directory of the user's own.

First the core wheel alone: every id makes a single and a vector env, and importing it pulls in
none of the baselines' stack. Then the baselines wheel beside it: ``--version``, a tiny training
run, ``validate``, ``submit``, ``show`` (the official entries and the new one, ranked) and
``render``, with every file written under the working directory and nothing inside the installed
packages; a missing extra, an unwritable results folder and a file that is not a record each get
one line.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import econ_envs
from tests import ROOT

VERSION = econ_envs.__version__
#: what a user's shell would not have: this checkout on the path, a virtual environment active
_DROPPED = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "ECON_LEADERBOARD_RESULTS", "WANDB_DIR")
#: the env the user trains and submits on (small, and its optimum is found in a few updates)
ENV_ID = "econ_envs/MessageAllocation-v0"

CORE_CHECK = """
import sys, gymnasium as gym, econ_envs
from importlib import metadata
assert econ_envs.__version__ == metadata.version("econ-envs") == sys.argv[1], econ_envs.__version__
assert "site-packages" in econ_envs.__file__, econ_envs.__file__
for env_id in econ_envs.ids():
    env = gym.make(env_id)
    env.reset(seed=0)
    env.step(env.action_space.sample())
    env.close()
    vec = gym.make_vec(env_id, num_envs=2)
    vec.reset(seed=0)
    vec.step(vec.action_space.sample())
    vec.close()
stack = {"torch", "tianshou", "wandb", "ray", "baselines", "leaderboards"}
heavy = sorted(stack & set(sys.modules))
assert not heavy, heavy
for name in ("baselines", "leaderboards"):
    try:
        __import__(name)
    except ModuleNotFoundError:
        continue
    raise AssertionError(name + " is importable from the core wheel alone")
print(len(econ_envs.ids()))
"""


def _user_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    return {**env, "WANDB_MODE": "offline", "WANDB_SILENT": "true", "COLUMNS": "200"}


class User:
    """A user's shell: a fresh virtual environment and a working directory, both outside the
    source tree, in a git repository of the user's own."""

    def __init__(self, home: Path) -> None:
        git = ["git", "-C", home, "-c", "user.name=user", "-c", "user.email=user@localhost"]
        subprocess.run(["git", "init", "--quiet", home], check=True)
        subprocess.run([*git, "commit", "--quiet", "--allow-empty", "-m", "mine"], check=True)
        self.venv = home / "venv"
        self.cwd = home / "work"
        self.cwd.mkdir(parents=True)
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", self.venv], check=True)
        self.python = self.venv / "bin" / "python"

    def install(self, *requirements: str | Path) -> None:
        """``pip install`` into the venv (pip of this interpreter, aimed at the venv's)."""
        command = [sys.executable, "-m", "pip", "--python", self.python, "install", "--quiet"]
        done = subprocess.run(
            [*command, "--no-compile", *map(str, requirements)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-3000:]

    def run(self, *command: str | Path, status: int = 0) -> subprocess.CompletedProcess[str]:
        """Run a command of the venv (``bin/NAME``) in the working directory."""
        program, *args = command
        done = subprocess.run(
            [self.venv / "bin" / program, *map(str, args)],
            cwd=self.cwd,
            env=_user_env(),
            capture_output=True,
            text=True,
        )
        assert done.returncode == status, (command, done.stdout[-3000:], done.stderr[-3000:])
        return done

    def site_packages(self, package: str) -> list[Path]:
        """The files of an installed package (byte code that Python caches aside)."""
        (folder,) = self.venv.glob(f"lib/python*/site-packages/{package}")
        return sorted(p for p in folder.rglob("*") if "__pycache__" not in p.parts)


def _build(out: Path) -> dict[str, Path]:
    done = subprocess.run(
        ["bash", ROOT / "scripts" / "build.sh", out],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("PASSED") == 4, done.stdout[-2000:]  # twine check, each file
    built = {path.name: path for path in out.iterdir()}
    names = {
        "core": f"econ_envs-{VERSION}-py3-none-any.whl",
        "baselines": f"econ_envs_baselines-{VERSION}-py3-none-any.whl",
        "core sdist": f"econ_envs-{VERSION}.tar.gz",
        "baselines sdist": f"econ_envs_baselines-{VERSION}.tar.gz",
    }
    assert set(built) == set(names.values()), sorted(built)
    return {key: built[name] for key, name in names.items()}


def _torch_requirement() -> str:
    """The torch this checkout runs on (a CPU build where the machine serves one)."""
    return "torch==" + metadata.version("torch").split("+")[0]


def test_both_distributions_carry_one_version() -> None:
    core = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    second = ROOT / "scripts" / "econ-envs-baselines"
    baselines = tomllib.loads((second / "pyproject.toml").read_text())["project"]
    assert core["dynamic"] == ["version"] and baselines["version"] == VERSION
    assert f"econ-envs=={VERSION}" in baselines["dependencies"]
    assert core["dependencies"] == ["numpy>=1.24", "gymnasium>=1.1", "pettingzoo>=1.24.2"]
    latest = re.search(
        r"^## \[(.+?)\] - (\d{4}-\d{2}-\d{2})$", (ROOT / "CHANGELOG.md").read_text(), re.M
    )
    assert latest is not None and latest[1] == VERSION
    for link in ("baselines", "leaderboards", "README.md", "LICENSE", "CHANGELOG.md"):
        assert (second / link).resolve() == (ROOT / link).resolve(), link


@pytest.mark.slow
def test_both_wheels_install_outside_the_source_tree_and_run_the_users_path(
    tmp_path: Path,
) -> None:
    dist = _build(tmp_path / "dist")
    user = User(tmp_path / "user")

    # the core alone: numpy, gymnasium and pettingzoo, every id, nothing heavy imported
    user.install(dist["core"])
    assert int(user.run("python", "-c", CORE_CHECK, VERSION).stdout) == len(econ_envs.ids())

    # the baselines beside it
    user.install(_torch_requirement(), dist["baselines"], dist["core"])
    packaged = {
        name: user.site_packages(name) for name in ("econ_envs", "baselines", "leaderboards")
    }
    for command in ("econ-baselines", "econ-leaderboard"):
        assert user.run(command, "--version").stdout.strip() == f"{command} {VERSION}"

    user.run("econ-baselines", "train", "--env", ENV_ID, "--steps", "4000", "--run-dir", "runs/t")
    (run_dir,) = (user.cwd / "runs" / "t").iterdir()
    assert list((user.cwd / "runs" / "wandb").glob("offline-run-*"))  # W&B under ./runs/wandb
    submission = run_dir / "submission.json"
    checked = user.run("econ-leaderboard", "validate", submission).stdout
    assert checked.strip() == "valid submission for board MessageAllocation-v0/default"

    submitted = user.run(
        "econ-leaderboard", "submit", "--env", ENV_ID, "--file", submission, "--method", "mine"
    ).stdout
    (record,) = (user.cwd / "leaderboard" / "MessageAllocation-v0" / "default").glob("*.json")
    assert f"record: {record.relative_to(user.cwd)}" in submitted
    provenance = json.loads(record.read_text())
    assert provenance["package_version"] == VERSION
    assert provenance["git_commit"] is None  # not the commit of the user's own repository

    shown = user.run("econ-leaderboard", "show", ENV_ID, "--top", "50").stdout
    official = _official_methods("MessageAllocation-v0/default")
    assert official and all(method in shown for method in official), shown
    rank = next(line for line in shown.splitlines() if " mine " in line)
    assert rank.split("│")[1].strip().isdigit(), rank  # ranked with the official entries

    rendered = user.run("econ-leaderboard", "render").stdout
    assert rendered.startswith("wrote leaderboard/README.md and ")
    assert "mine" in (user.cwd / "leaderboard" / "README.md").read_text()

    # one line each: a missing extra, an unwritable results folder, a file that is not a record
    sweep = user.cwd / "smoke.yaml"
    sweep.write_text((ROOT / "sweeps" / "smoke.yaml").read_text())
    missing = user.run("econ-baselines", "sweep", "--config", sweep, status=2).stderr
    assert missing == (
        "econ-baselines: error: econ-baselines sweep needs ray, which is not installed: "
        'pip install "econ-envs-baselines[distributed]"\n'
    )
    blocker = user.cwd / "not-a-folder"
    blocker.write_text("")
    args = ("submit", "--env", ENV_ID, "--file", submission, "--method", "other", "--no-track")
    unwritable = user.run("econ-leaderboard", "--results", blocker, *args, status=3).stderr
    assert unwritable.count("\n") == 1 and unwritable.startswith("econ-leaderboard: storage error")
    (record.parent / "notes.json").write_text("not a record")
    skipped = user.run("econ-leaderboard", "show", ENV_ID).stderr
    assert skipped.startswith("econ-leaderboard: warning: skipped: ") and skipped.count("\n") == 1

    assert {name: user.site_packages(name) for name in packaged} == packaged  # nothing written


def _official_methods(board: str) -> set[str]:
    folder = ROOT / "leaderboards" / "results" / board
    return {json.loads(path.read_text())["method"] for path in folder.glob("*.json")}
