"""``econ-baselines train``: train PPO or MAPPO on a Stackelberg POMDP env.

Every field of :class:`~baselines.mappo.config.TrainConfig` is an option (``--num-envs``,
``--learning-rate``, ...; ``--env`` and ``--steps`` are the short names of ``env_id`` and
``total_steps``; ``--lr`` is a deprecated spelling of ``--learning-rate``); ``--env-kwargs``
takes JSON. Example::

    econ-baselines train --env econ_envs/MessageAllocation-v0 --algo mappo --seed 0 --steps 2e6

Prints the exact score of the exported table (the best verified table, see the README's
reference-method table) and of the deterministic policy's table at the end, where the table
(JSON) and the submission were written, and the ``econ-leaderboard submit`` command that submits
it; the W&B run goes to ``runs/wandb/`` (see
:mod:`leaderboards.tracking`). ``--resume RUN_DIR`` continues a run from its checkpoint with the
stored config; an option given beside it changes that setting explicitly (``--steps`` sets the new
total), and is printed; the settings the checkpoint's envs, networks and random streams were built
from (:data:`FIXED_ON_RESUME`) cannot change.

Torch runs on one thread: the networks are small, so intra-op threads only contend (on a 2-core
machine two threads trained no faster, and far slower while the other core was busy).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

from baselines.cli_errors import UsageError, check_stackelberg_env, usage_error
from baselines.mappo.config import ALGOS, STEPS_UNTIL_SOLVED, STEPS_WITHOUT_STOP, TrainConfig
from baselines.mappo.run_folder import RunFolderInUse
from baselines.startup import imports_without_gc
from leaderboards.cli_options import TRACK_HELP, add_deprecated_alias
from leaderboards.convert import SUBMISSION_NAME, TABLE_NAME

_SHORT = {"env_id": "--env", "total_steps": "--steps"}
#: help of the options whose config description is written for developers
_HELP = {
    "num_envs": "episodes stepped together by the vector env (preset: about one episode per "
    "env per rollout)",
    "update_epochs": "passes over each rollout (preset: 10, Stable-Baselines3's default; 4 for "
    "MessageAllocation)",
    "equilibrium_penalty": "an episode whose followers are not in equilibrium against its "
    "table pays -1 / reward_plays per reward play instead of the leader's utility (as the "
    "reference implementation)",
    "aggregate_repeats": "the actor learns from two samples per (episode, observation), the sums "
    "of its visits' positive and negative advantages (an exact reduction of the full-batch "
    "clipped loss); off: every visit is a sample",
    "run_dir": "folder of the runs: each run writes its checkpoint, policy table and "
    "submission to <run-dir>/<run name>/ (default: runs)",
    "track": TRACK_HELP,
    "time_limit": "stop after this many seconds of training (default: no limit)",
    "total_steps": f"env steps to train for (default: {STEPS_UNTIL_SOLVED:,}, the published "
    "budget of one run, with --stop-when-solved, which ends the run at the optimum; "
    f"{STEPS_WITHOUT_STOP:,} with --no-stop-when-solved)",
}
#: the fields a resumed run keeps: its checkpoint holds envs, networks and random streams built
#: from them
FIXED_ON_RESUME = (
    "env_id",
    "env_kwargs",
    "algo",
    "seed",
    "num_envs",
    "rollout_steps",
    "hidden_sizes",
    "run_dir",
)
#: reST markup of the config's docstring: ``literal`` and :role:`~target`
_MARKUP = re.compile(r"``([^`]*)``|:\w+:`~?([^`]*)`")


def option_name(field: str) -> str:
    """The command-line option of a :class:`TrainConfig` field (``env_id`` -> ``--env``)."""
    return _SHORT.get(field, "--" + field.replace("_", "-"))


def _steps(text: str) -> int:
    """Integers that may be written like ``2e6``."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value != int(value):
        raise argparse.ArgumentTypeError(f"expected a whole number (like 2e6), got {text!r}")
    return int(value)


def _json_object(text: str) -> dict[str, Any]:
    """A JSON object (keyword -> value), e.g. ``'{"n_types": 4}'``."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(f"invalid JSON ({error}): {text!r}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"expected a JSON object {{...}}, got {text!r}")
    return value


def _field_help() -> dict[str, str]:
    """Each field's description, from the ``Attributes:`` section of :class:`TrainConfig`, as
    plain text (reST markup removed)."""
    described: dict[str, str] = {}
    name = None
    for line in (TrainConfig.__doc__ or "").split("Attributes:")[-1].splitlines():
        head, _, rest = line.strip().partition(": ")
        if line.startswith(" " * 8) and not line.startswith(" " * 12) and rest:
            name, described[head] = head, rest
        elif name and line.strip():
            described[name] += " " + line.strip()
    return {name: _MARKUP.sub(lambda m: m[1] or m[2], text) for name, text in described.items()}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add one option per :class:`TrainConfig` field, plus ``--resume`` and the deprecated
    ``--lr``."""
    described = _field_help()
    for f in dataclasses.fields(TrainConfig):
        flag = option_name(f.name)
        kind = str(f.type)
        options: dict[str, Any] = {
            "dest": f.name,
            "default": None,
            "help": _HELP.get(f.name, described[f.name]),
        }
        if kind == "bool":
            options["action"] = argparse.BooleanOptionalAction
        elif kind.startswith("tuple"):
            options.update(nargs="+", type=int)
        elif kind.startswith("dict"):
            options.update(type=_json_object, metavar="JSON")
        elif kind.startswith("int"):
            options["type"] = _steps
        elif kind.startswith("float"):
            options["type"] = float
        if f.name == "algo":
            options["choices"] = ALGOS
        parser.add_argument(flag, **options)
    parser.add_argument("--resume", default=None, help="run directory or checkpoint to continue")
    add_deprecated_alias(parser, "--lr", "--learning-rate", dest="learning_rate", type=float)


def _given(args: argparse.Namespace) -> dict[str, Any]:
    """The config fields whose options were given."""
    return {
        f.name: getattr(args, f.name)
        for f in dataclasses.fields(TrainConfig)
        if getattr(args, f.name, None) is not None
    }


def config_from_args(args: argparse.Namespace) -> TrainConfig:
    """The config the options describe (only options given override the defaults)."""
    return TrainConfig(**_given(args))


def _checked(make: Callable[[], TrainConfig], source: str) -> TrainConfig:
    """``make()``; a bad value is a :class:`UsageError` naming its option (else ``source``)."""
    try:
        return make()
    except (ValueError, TypeError) as error:
        options = {f.name: option_name(f.name) for f in dataclasses.fields(TrainConfig)}
        raise usage_error(error, options, source) from None


def _new_config(args: argparse.Namespace) -> TrainConfig:
    """The config of a new run, ``--env`` and ``--env-kwargs`` checked by building the env once
    (no torch needed): a bad option raises :class:`UsageError`."""
    env_id = TrainConfig.env_id if args.env_id is None else args.env_id
    check_stackelberg_env(env_id, args.env_kwargs or {})
    return _checked(lambda: config_from_args(args), "--env-kwargs")


def _resumed(args: argparse.Namespace) -> tuple[TrainConfig, Any, Path]:
    """The stored config with the options given as explicit changes, the checkpoint and the run
    directory of ``--resume``; a change of a :data:`FIXED_ON_RESUME` field is a
    :class:`UsageError`."""
    from baselines.mappo.checkpoint import CHECKPOINT_NAME, Checkpoint
    from baselines.mappo.safe_load import CheckpointError

    path = Path(args.resume)
    if not (path / CHECKPOINT_NAME if path.is_dir() else path).is_file():
        raise UsageError(f"--resume: no checkpoint at {path}")
    try:
        checkpoint = Checkpoint.load(path)
    except CheckpointError as error:
        raise UsageError(f"--resume: {error}") from None
    stored = _checked(lambda: TrainConfig(**checkpoint.config), "--resume")
    changes = {
        name: value
        for name, value in _given(args).items()
        if _comparable(value) != _comparable(getattr(stored, name))
    }
    for name in FIXED_ON_RESUME:
        if name in changes:
            raise UsageError(
                f"--resume: {option_name(name)} cannot change when a run resumes (its checkpoint "
                f"was built with {getattr(stored, name)!r}); start a new run instead"
            )
    config = _checked(lambda: dataclasses.replace(stored, **changes), "--resume")
    for name in sorted(changes.keys() - {"total_steps"}):
        was, now = getattr(stored, name), getattr(config, name)
        print(f"resuming with {option_name(name)} {now!r} (was {was!r})")
    run_dir = path if path.is_dir() else path.parent
    return config, checkpoint, run_dir


def _comparable(value: Any) -> Any:
    """``value`` with tuples as lists, so that an option equals the stored setting it repeats."""
    return list(value) if isinstance(value, tuple) else value


def run(args: argparse.Namespace) -> int:
    """Train (or resume), print the exact score of the learned table, return 0.

    A new run's options are checked before torch is imported; a bad one (or a missing
    ``--resume`` checkpoint) raises :class:`UsageError`.
    """
    config = None if args.resume else _new_config(args)
    with imports_without_gc():
        import torch._dynamo  # noqa: F401  (torch's optimizers import it when built)

        from baselines.mappo.train import train

    resume, run_dir = None, None
    if config is None:
        config, resume, run_dir = _resumed(args)
    from baselines.mappo.safe_load import CheckpointError

    try:
        result = train(config, run_dir=run_dir, resume=resume)
    except (RunFolderInUse, CheckpointError) as error:
        raise UsageError(f"--resume: {error}") from None
    score, deterministic = result.score, result.deterministic
    gap = "unknown" if score.optimality_gap is None else f"{score.optimality_gap:.4f}"
    solved = "not found" if result.solved_at is None else f"at step {result.solved_at:,}"
    print(
        f"{result.run_dir.name}: {result.source}: value {score.value:.4f} (optimum "
        f"{score.optimal_value}, gap {gap}), follower regret {score.regret:.4f}; optimum "
        f"{solved}; {result.global_step:,} steps, {result.steps_per_second:,.0f} steps/s"
    )
    held_out, tolerance = result.held_out, config.solve_tolerance
    print(
        f"held-out check seeds {_seed_range(held_out.seeds)}: value {held_out.value:.4f}, "
        f"follower regret {held_out.regret:.4f}; optimal on "
        f"{held_out.seeds_optimal(tolerance)} of {len(held_out.seeds)} seeds (the "
        f"leaderboards score on other seeds than training's {_seed_range(config.eval_seeds)})"
    )
    print(
        f"deterministic policy: value {deterministic.value:.4f}, "
        f"follower regret {deterministic.regret:.4f}"
    )
    print(f"policy table: {result.run_dir / TABLE_NAME}")
    submission = result.run_dir / SUBMISSION_NAME
    print(f"submission: {submission}")
    print(f"submit it: {submit_command(config.env_id, submission)}")
    return 0


def _seed_range(seeds: tuple[int, ...]) -> str:
    """``100..149`` for consecutive seeds, else the list."""
    consecutive = list(seeds) == list(range(seeds[0], seeds[0] + len(seeds)))
    return f"{seeds[0]}..{seeds[-1]}" if consecutive and len(seeds) > 1 else str(list(seeds))


def submit_command(env_id: str, submission: Path) -> str:
    """The ``econ-leaderboard submit`` command line that submits a run's ``submission.json``
    (its keywords, method and training are in the file), quoted for a POSIX shell."""
    return shlex.join(["econ-leaderboard", "submit", "--env", env_id, "--file", str(submission)])
