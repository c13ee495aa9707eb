"""Packaging invariants: the suite stands on numpy, gymnasium and pettingzoo alone."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import gymnasium as gym

import econ_envs
from econ_envs.__main__ import readme_with_table
from econ_envs.registry import ENTRIES
from tests import ROOT


def test_import_pulls_in_no_baseline_stack():
    code = (
        "import sys, econ_envs, econ_envs.policy_table, econ_envs.published;"
        "print([m for m in ('torch','tianshou','wandb','scipy','baselines','leaderboards')"
        " if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_entry_is_registered_with_a_json_spec():
    for e in ENTRIES:
        spec = gym.spec(e.id)
        assert spec.entry_point == e.entry_point
        assert json.loads(spec.to_json())["id"] == e.id


def test_the_readme_table_lists_every_id_gymnasium_knows_once_with_its_entry():
    """The README's rows, parsed from the file, against gymnasium's registry and the entries."""
    readme = (ROOT / "README.md").read_text()
    rows = re.findall(r"^\| `(econ_envs/[^`]+)` \| (\w+) \| (.+?) \| (.+?) \|$", readme, re.M)
    listed = [env_id for env_id, *_ in rows]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(i for i in gym.registry if i.startswith("econ_envs/"))
    by_id = {e.id: (e.family, e.summary, e.source) for e in ENTRIES}
    assert all(by_id[env_id] == tuple(cells) for env_id, *cells in rows)
    assert len(econ_envs.ids()) == len(listed)


def test_readme_env_table_is_generated_from_the_registry():
    readme = (ROOT / "README.md").read_text()
    assert readme_with_table(readme) == readme, "run: python -m econ_envs --readme README.md"
