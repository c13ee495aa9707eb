"""Category ``checkpoints``: ``econ-baselines train --resume`` of a copy of a finished tiny run
whose ``checkpoint.pt`` is damaged, mismatched or carries code, and of paths that are no
checkpoint. Clean: exit 2, one error line, the run folder unchanged, and no canary file (the
payloads would create one); except a ``--learning-rate`` given beside ``--resume``, which is
legitimate: exit 0, the change printed, and the new checkpoint trained with it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import torch

from baselines.mappo.checkpoint import CONFIG_HASH, config_hash
from baselines.mappo.safe_load import load_checkpoint_data

from .harness import Case, Fixtures, Outcome, Result, run_case, sandbox

CHECKPOINT = "checkpoint.pt"
#: the file a payload creates beside the run folder if it runs
CANARY = "canary"

Damage = Callable[[Path], object]


class _Payload:
    """What an attacker pickles: unpickling it calls ``call(argument)``."""

    def __init__(self, call: Callable[[str], Any], argument: str) -> None:
        self.call, self.argument = call, argument

    def __reduce__(self) -> tuple[Callable[[str], Any], tuple[str]]:
        return self.call, (self.argument,)


def _touch(folder: Path) -> _Payload:
    return _Payload(os.system, f"touch {folder.parent / CANARY}")


def _exec(folder: Path) -> _Payload:
    return _Payload(exec, f"open({str(folder.parent / CANARY)!r}, 'w')")


def _write(data: bytes) -> Damage:
    return lambda folder: (folder / CHECKPOINT).write_bytes(data)


def _truncate(folder: Path) -> None:
    path = folder / CHECKPOINT
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])


def _replace(make: Callable[[Path], object]) -> Damage:
    """The checkpoint replaced by what ``make(path)`` creates there."""

    def damage(folder: Path) -> None:
        (folder / CHECKPOINT).unlink()
        make(folder / CHECKPOINT)

    return damage


def _edit(change: Callable[[dict[str, Any], Path], object], rehash: bool = False) -> Damage:
    """The checkpoint's data changed by ``change(data, folder)`` and saved again, its
    configuration's hash recomputed if ``rehash`` (so that the check behind the hash is met)."""

    def damage(folder: Path) -> None:
        path = folder / CHECKPOINT
        data = load_checkpoint_data(path)
        change(data, folder)
        if rehash:
            data[CONFIG_HASH] = config_hash(data["config"])
        torch.save(data, path)

    return damage


def _set(key: str, value: Any, rehash: bool = True) -> Damage:
    return _edit(lambda data, _: data["config"].update({key: value}), rehash)


def _empty(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()


#: case -> (what is done to the copied run folder, the --resume target in it, options given)
CASES: dict[str, tuple[Damage, str, tuple[str, ...]]] = {
    "pickled __reduce__ payload (os.system)": (
        lambda f: torch.save(_touch(f), f / CHECKPOINT),
        "",
        (),
    ),
    "payload in the run name (os.system)": (
        _edit(lambda d, f: d.update(run_name=_touch(f))),
        "",
        (),
    ),
    "payload in the counters (builtins.exec)": (
        _edit(lambda d, f: d.update(progress=_exec(f))),
        "",
        (),
    ),
    "truncated": (_truncate, "", ()),
    "zero bytes": (_write(b""), "", ()),
    "random bytes": (_write(random.Random(0).randbytes(4096)), "", ()),
    "JSON": (_write(json.dumps({"config": {}}).encode()), "", ()),
    "the policy table copied over it": (
        lambda f: shutil.copy(f / "policy_table.json", f / CHECKPOINT),
        "",
        (),
    ),
    "torch.save([1, 2, 3])": (lambda f: torch.save([1, 2, 3], f / CHECKPOINT), "", ()),
    "a symlink to /dev/zero": (_replace(lambda p: p.symlink_to("/dev/zero")), "", ()),
    "a FIFO": (_replace(os.mkfifo), "", ()),
    "a folder": (_replace(Path.mkdir), "", ()),
    "config edited: learning_rate 0.01": (_set("learning_rate", 0.01, rehash=False), "", ()),
    "config edited: env_id (hash not updated)": (
        _set("env_id", "econ_envs/MSPM-v0", False),
        "",
        (),
    ),
    "config hash removed": (_edit(lambda d, _: d.pop(CONFIG_HASH)), "", ()),
    "config env_id changed (rehashed)": (_set("env_id", "econ_envs/MSPM-v0"), "", ()),
    "config env_kwargs changed (rehashed)": (_set("env_kwargs", {"n_messages": 4}), "", ()),
    "config algo changed (rehashed)": (_set("algo", "ppo"), "", ()),
    "config hidden_sizes changed (rehashed)": (_set("hidden_sizes", [7]), "", ()),
    "config num_envs changed (rehashed)": (_set("num_envs", 7), "", ()),
    'config learning_rate "fast" (rehashed)': (_set("learning_rate", "fast"), "", ()),
    "config key missing (rehashed)": (_edit(lambda d, _: d["config"].pop("gamma"), True), "", ()),
    "config key extra (rehashed)": (_set("bogus", 1), "", ()),
    "checkpoint field missing (progress)": (_edit(lambda d, _: d.pop("progress")), "", ()),
    "checkpoint field extra": (_edit(lambda d, _: d.update(evil=1)), "", ()),
    "--resume .../policy_table.json": (lambda f: None, "policy_table.json", ()),
    "--resume a path that does not exist": (lambda f: None, "missing", ()),
    "--resume an empty folder": (_empty, "", ()),
    "--hidden-sizes 7 given": (lambda f: None, "", ("--hidden-sizes", "7")),
    "--num-envs 7 given": (lambda f: None, "", ("--num-envs", "7")),
    "--env given (another id)": (lambda f: None, "", ("--env", "econ_envs/MSPM-v0")),
}


def resume_argv(target: Path, *options: str, steps: int = 4000) -> list[str]:
    """``econ-baselines train --resume target`` for ``steps`` steps, untracked."""
    argv = ["econ-baselines", "train", "--resume", str(target), "--steps", str(steps)]
    return [*argv, "--no-track", "--no-progress", *options]


def _no_canary(box: Path) -> Callable[[Outcome], str | None]:
    return lambda _: "the payload ran (the canary exists)" if (box / CANARY).exists() else None


def _learning_rate(folder: Path, rate: float) -> Callable[[Outcome], str | None]:
    def check(_: Outcome) -> str | None:
        found = load_checkpoint_data(folder / CHECKPOINT)["config"]["learning_rate"]
        return None if found == rate else f"the new checkpoint's learning_rate is {found}"

    return check


def _cases(fixtures: Fixtures) -> Iterator[Case]:
    for name, (damage, target, options) in CASES.items():
        with sandbox("checkpoints") as box:
            folder = box / "run"
            shutil.copytree(fixtures.run, folder, symlinks=True)
            damage(folder)
            argv = resume_argv(folder / target, *options)
            yield Case("checkpoints", name, argv, box, (2,), (folder,), checks=(_no_canary(box),))
    with sandbox("checkpoints") as box:
        folder = box / "run"
        shutil.copytree(fixtures.run, folder, symlinks=True)
        argv = resume_argv(folder, "--learning-rate", "0.01")
        check = _learning_rate(folder, 0.01)
        name = "--learning-rate 0.01 given (legitimate)"
        yield Case(
            "checkpoints",
            name,
            argv,
            box,
            (0,),
            expect="resuming with --learning-rate",
            checks=(check,),
        )


def results(fixtures: Fixtures, limit: float) -> Iterator[Result]:
    """Run every case of the category."""
    for case in _cases(fixtures):
        yield run_case(case, limit)
