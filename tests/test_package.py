"""Packaging invariants: the suite stands on numpy, gymnasium and pettingzoo alone."""

from __future__ import annotations

import json
import subprocess
import sys

import gymnasium as gym

import econ_envs
from econ_envs.registry import ENTRIES, markdown_table


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


def test_registry_ids_are_unique_and_in_the_readme_table():
    ids = econ_envs.ids()
    assert len(ids) == len(set(ids))
    table = markdown_table()
    assert all(f"`{i}`" in table for i in ids)


def test_readme_env_table_is_generated_from_the_registry():
    from pathlib import Path

    from econ_envs.__main__ import readme_with_table

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert readme_with_table(readme) == readme, "run: python -m econ_envs --readme README.md"
