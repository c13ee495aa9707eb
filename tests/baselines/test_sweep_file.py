"""Hostile sweep files: every one is a one-line error naming the file, before Ray is imported,
anything is built or a sweep folder is made (a bounded read, no YAML aliases, capped sizes)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from baselines.cli import main
from baselines.sweep.file import load_sweep
from baselines.sweep.schema import SweepError

_SETTING = "settings: [{env_id: econ_envs/MessageAllocation-v0}]\nalgorithms: [mappo]\n"
_GRID = "[" + ", ".join(str(0.001 + k * 1e-6) for k in range(1000)) + "]"
HOSTILE_SWEEPS = {
    "alias bomb": (
        "name: bomb\n" + _SETTING + 'hyperparameters: {hidden_sizes: &a ["x", "x"]}\nb: [*a, *a]\n',
        "anchors and aliases are not allowed (line 4)",
    ),
    "name with a newline": ('name: "evil\\n"\n' + _SETTING, "got 'evil\\n'"),
    "300-character name": ("name: " + "n" * 300 + "\n" + _SETTING, "1 to 100 letters"),
    "10**12 runs": (
        "name: many\nruns: 1000000000000\n" + _SETTING,
        "the sweep holds 1,000,000,000,000 trials",
    ),
    "10**9 random samples": (
        "name: draws\nsearch: random\nsamples: 1000000000\n" + _SETTING,
        "the sweep holds 1,000,000,000 trials",
    ),
    "three 1000-value grids": (
        "name: grids\n"
        + _SETTING
        + f"hyperparameters: {{learning_rate: {{grid: {_GRID}}}, clip: {{grid: {_GRID}}}, "
        f"ent_coef: {{grid: {_GRID}}}}}\n",
        "the sweep holds 1,000,000,000 trials",
    ),
    "10**6 CPUs per trial": (
        "name: cpus\ncpus_per_trial: 1000000\n" + _SETTING,
        "cpus_per_trial must be at most 1024, got 1000000",
    ),
    "10,000 nested lists": ("name: deep\nsettings: " + "[" * 10_000 + "]" * 10_000, "nested"),
}


@pytest.mark.parametrize("name", list(HOSTILE_SWEEPS))
def test_a_hostile_sweep_file_is_one_line_before_anything_is_built(
    name: str, tmp_path: Path
) -> None:
    text, message = HOSTILE_SWEEPS[name]
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    with pytest.raises(SweepError) as error:  # before an alias expands or a trial is built
        load_sweep(path)
    assert message in str(error.value) and "\n" not in str(error.value)
    assert len(str(error.value)) < 1000


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (lambda p: p.write_bytes(b"name: x\n\xff\xfe\n"), "is not UTF-8 text"),
        (lambda p: p.write_text("name: x\n", encoding="utf-16"), "byte-order mark"),
        (lambda p: p.write_text("# " + "x" * 2**20), f"larger than {2**20} bytes"),
        (lambda p: os.mkfifo(p), "it is not a regular file (a FIFO or device)"),
    ],
    ids=["invalid UTF-8", "UTF-16", "over 1 MiB", "FIFO"],
)
def test_a_sweep_file_is_read_with_a_bound(write, message: str, tmp_path: Path) -> None:
    path = tmp_path / "sweep.yaml"
    write(path)
    with pytest.raises(SweepError, match="cannot read the sweep file: ") as error:
        load_sweep(path)
    assert message in str(error.value)


def test_a_local_sweep_asking_more_cpus_than_the_machine_has_stops_before_ray(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cpus.yaml"
    path.write_text(f"name: cpus\ncpus_per_trial: {(os.cpu_count() or 1) + 1}\n" + _SETTING)
    with pytest.raises(SystemExit) as stopped:
        main(["sweep", "--config", str(path), "--sweeps-dir", str(tmp_path / "out")])
    assert stopped.value.code == 2
    assert "a local Ray would wait forever" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
