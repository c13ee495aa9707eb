"""Category ``sweeps``: ``econ-baselines sweep --config S --sweeps-dir D`` of hostile sweep files
(each a small valid sweep with one thing changed). Clean: exit 2, one error line, ``D`` not
created, and Ray never started (no ``ray`` folder in the sandbox's ``TMPDIR``, where Ray would
put its session, and no process of the command's session left).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from .harness import ENV_ID, Case, Fixtures, Outcome, Result, run_case, sandbox

SETTING = {"name": "message-2", "env_id": ENV_ID, "env_kwargs": {"n_messages": 2}}
BASE: dict[str, Any] = {
    "name": "probe",
    "runs": 1,
    "seed": 0,
    "cpus_per_trial": 1,
    "max_failures": 1,
    "settings": [SETTING],
    "algorithms": ["mappo"],
    "hyperparameters": {"total_steps": 2000},
}
#: makes something at the sweep file's path
Maker = Callable[[Path], object]


def _sweep(literal: str = "", **changes: Any) -> bytes:
    """:data:`BASE` with ``changes`` as YAML; the value ``LITERAL`` written as ``literal``."""
    text = yaml.safe_dump({**BASE, **changes}, sort_keys=False, width=10**9)
    return text.replace("LITERAL", literal).encode()


def _bomb(levels: int = 9, width: int = 9) -> str:
    """A flow-style YAML list of ``width ** levels`` strings made of ``levels`` aliases."""
    rows = ["&a0 [" + ", ".join(["lol"] * width) + "]"]
    rows += [f"&a{k} [" + ", ".join([f"*a{k - 1}"] * width) + "]" for k in range(1, levels)]
    return "[" + ", ".join(rows) + "]"


def _axis(low: float, high: float) -> dict[str, list[float]]:
    return {"grid": [low + (high - low) * k / 1000 for k in range(1000)]}


def _big_file() -> bytes:
    """A 50 MB sweep of about 900,000 settings."""
    rows = [f"  - {{name: s{k}, env_id: {ENV_ID}}}\n" for k in range(900_000)]
    return _sweep(settings="LITERAL").replace(b"LITERAL", b"\n" + "".join(rows).encode())


HYPER = BASE["hyperparameters"]
#: case -> the sweep file's bytes
FILES: dict[str, Callable[[], bytes]] = {
    "samples 1e9 (random search)": lambda: _sweep(
        search="random", samples=10**9, hyperparameters={**HYPER, "clip": {"uniform": [0.1, 0.3]}}
    ),
    "three 1000-value grid axes": lambda: _sweep(
        hyperparameters={
            **HYPER,
            "learning_rate": _axis(1e-5, 1e-3),
            "clip": _axis(0.1, 0.3),
            "gae_lambda": _axis(0.9, 0.99),
        }
    ),
    "alias bomb in name": lambda: _sweep(_bomb(), name="LITERAL"),
    "alias bomb in a setting": lambda: _sweep(_bomb(), settings=[{**SETTING, "env_id": "LITERAL"}]),
    "alias bomb in hidden_sizes": lambda: _sweep(
        _bomb(), hyperparameters={**HYPER, "hidden_sizes": "LITERAL"}
    ),
    "alias bomb in env_kwargs": lambda: _sweep(
        _bomb(), settings=[{**SETTING, "env_kwargs": {"n_messages": "LITERAL"}}]
    ),
    "runs 10**12": lambda: _sweep(runs=10**12),
    "cpus_per_trial 1000000": lambda: _sweep(cpus_per_trial=1_000_000),
    "binary bytes": lambda: random.Random(0).randbytes(4096),
    "invalid UTF-8": lambda: _sweep().replace(b"probe", b"pro\xffbe"),
    "UTF-16": lambda: _sweep().decode().encode("utf-16"),
    "10,000 nested [": lambda: b"name: " + b"[" * 10_000,
    'name "evil\\n"': lambda: _sweep('"evil\\n"', name="LITERAL"),
    "a 300-character name": lambda: _sweep(name="a" * 300),
    "a 250-character setting name": lambda: _sweep(settings=[{**SETTING, "name": "s" * 250}]),
    "a 50 MB file": _big_file,
    "name ../escape": lambda: _sweep(name="../escape"),
    "name a/b": lambda: _sweep(name="a/b"),
    "setting name ..": lambda: _sweep(settings=[{**SETTING, "name": ".."}]),
    "learning_rate 1e400": lambda: _sweep(
        "1e400", hyperparameters={**HYPER, "learning_rate": "LITERAL"}
    ),
    "total_steps .nan": lambda: _sweep(".nan", hyperparameters={"total_steps": "LITERAL"}),
    "an empty file": lambda: b"",
    "a list, not a mapping": lambda: b"- 1\n- 2\n",
}
#: case -> what is made at the sweep file's path instead of a file
SPECIAL: dict[str, Maker] = {
    "a FIFO": os.mkfifo,
    "a link to /dev/zero": lambda path: path.symlink_to("/dev/zero"),
    "a folder": Path.mkdir,
}


def _ray_started(box: Path) -> Callable[[Outcome], str | None]:
    return lambda _: "Ray started" if (box / ".tmp" / "ray").exists() else None


def _cases() -> Iterator[Case]:
    makers: dict[str, Maker] = {n: (lambda p, f=f: p.write_bytes(f())) for n, f in FILES.items()}
    for name, make in {**makers, **SPECIAL}.items():
        with sandbox("sweeps") as box:
            file, sweeps = box / "sweep.yaml", box / "sweeps"
            make(file)
            argv = ["econ-baselines", "sweep", "--config", str(file), "--sweeps-dir", str(sweeps)]
            checks = (_ray_started(box),)
            yield Case("sweeps", name, argv, box, (2,), (sweeps,), checks=checks)


def results(_fixtures: Fixtures, limit: float) -> Iterator[Result]:
    """Run every case of the category."""
    for case in _cases():
        yield run_case(case, limit)
