"""The sweep file: a typed, validated description of a grid or random search, and its trials.

A sweep file (YAML) has these fields (only ``name``, ``settings`` and ``algorithms`` required)::

    name: mspm_published        # the sweep directory is <sweeps dir>/<name>
    search: grid                # grid | random
    samples: 1                  # random search: draws per grid point (grid search: 1)
    runs: 25                    # independent runs of every setting
    restarts: 10                # restarts per run; a run counts its best restart
    seed: 0                     # training seed of run 0, restart 0 (then +1 per trial of a row)
    cpus_per_trial: 1           # Ray resources of one trial
    max_failures: 2             # a failed trial is retried this often from its last checkpoint
    track: true                 # one offline W&B run per trial, one W&B group per sweep
    settings:                   # the rows of the summary: an env id and its keywords
      - {name: mspm-3x2, env_id: econ_envs/MSPM-v0, env_kwargs: {n_types: 3, n_messages: 2}}
    algorithms:                 # mappo | ppo (train), grid | zeroth-order | first-order (bilevel)
      mappo: {}                 # a list of names, or name -> its own hyperparameters
    hyperparameters:            # fields of TrainConfig, or of the bilevel method and optimize()
      total_steps: 2000000
      learning_rate: {grid: [0.0003, 0.001]}          # a grid axis
      clip: {uniform: [0.1, 0.3]}                     # random search only: uniform, loguniform,
                                                      # randint [low, high), choice [a, b, ...]

A sweep runs one kind of trial: ``train`` (Stackelberg ids) or ``bilevel`` (AMA ids). Random
draws are made here, from ``seed``, once per (algorithm, grid point, sample), so every run of a
row shares its draw and a resumed sweep sees the same trials. Every error names the field.
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from baselines.sweep.values import RANDOM_SPACES, check_space, draw, space_of
from econ_envs import ids
from econ_envs.validation import (
    check_bool,
    check_choice,
    check_id,
    check_int,
    check_keys,
    check_keywords,
    check_positive_int,
)

TRAIN, BILEVEL = "train", "bilevel"
SEARCHES = ("grid", "random")
#: TrainConfig fields a sweep sets itself (not hyperparameters)
TRAIN_RESERVED = (
    "env_id",
    "env_kwargs",
    "algo",
    "seed",
    "run_dir",
    "progress",
    "track",
    "wandb_group",
)
#: optimize() arguments a sweep sets itself
BILEVEL_RESERVED = ("env", "method", "config", "seed", "log", "progress")
_FIELDS = (
    "name",
    "search",
    "samples",
    "runs",
    "restarts",
    "seed",
    "cpus_per_trial",
    "max_failures",
    "track",
    "settings",
    "algorithms",
    "hyperparameters",
)
#: a name: one path component of at most 100 characters (``\\Z``: no newline before the end)
_NAME = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z")
#: the most trials one sweep may hold, and CPUs one trial may ask for (checked before Ray starts)
MAX_TRIALS = 10_000
MAX_CPUS_PER_TRIAL = 1024
#: how many characters of a bad name an error message shows
_SHOWN = 200


class SweepError(ValueError):
    """A sweep file that cannot run; the message names the field."""


@dataclass(frozen=True)
class Setting:
    """One row of the summary: an env id with its keywords."""

    name: str
    env_id: str
    env_kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TrialSpec:
    """One trial: an ordinary ``train`` or ``bilevel`` run (JSON data, passed to Ray).

    Attributes:
        name: unique and file-name safe: ``{setting}__{algorithm}__v{variant}__s{seed}``.
        sweep: the sweep's name (its W&B group).
        kind: ``"train"`` or ``"bilevel"``.
        setting, env_id, env_kwargs: the row and its env.
        algorithm: ``mappo``, ``ppo``, ``grid``, ``zeroth-order`` or ``first-order``.
        variant: index of the hyperparameter combination within (setting, algorithm).
        varied: the grid and random values of this variant (the summary shows them).
        hyperparameters: every hyperparameter of the trial.
        run, restart, seed: which run and restart of the row, and its training seed.
        track: log an offline W&B run.
    """

    name: str
    sweep: str
    kind: str
    setting: str
    env_id: str
    env_kwargs: dict[str, Any]
    algorithm: str
    variant: int
    varied: dict[str, Any]
    hyperparameters: dict[str, Any]
    run: int
    restart: int
    seed: int
    track: bool

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly copy."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrialSpec:
        """The inverse of :meth:`to_dict`."""
        return cls(**data)


@dataclass(frozen=True)
class SweepConfig:
    """A validated sweep file (see the module docstring for each field)."""

    name: str
    settings: tuple[Setting, ...]
    algorithms: dict[str, dict[str, Any]]
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    search: str = "grid"
    samples: int = 1
    runs: int = 1
    restarts: int = 1
    seed: int = 0
    cpus_per_trial: int = 1
    max_failures: int = 2
    track: bool = True

    @property
    def kind(self) -> str:
        """``"train"`` or ``"bilevel"``: the kind of every trial."""
        return kind_of(next(iter(self.algorithms)))

    def variants(self, algorithm: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """(all hyperparameters, the varied ones) of every variant of ``algorithm``."""
        merged = {**self.hyperparameters, **self.algorithms[algorithm]}
        axes = {k: v["grid"] for k, v in merged.items() if space_of(v) == "grid"}
        draws = {k: v for k, v in merged.items() if space_of(v) in RANDOM_SPACES}
        rng = np.random.default_rng([self.seed, sorted(self.algorithms).index(algorithm)])
        out = []
        for point in itertools.product(*axes.values()):
            for _ in range(self.samples):
                varied = dict(zip(axes, point, strict=True))
                varied.update({k: draw(rng, spec) for k, spec in sorted(draws.items())})
                out.append(({**merged, **varied}, varied))
        return out

    def trials(self) -> list[TrialSpec]:
        """Every trial of the sweep, in a fixed order."""
        out = []
        for setting, algorithm in itertools.product(self.settings, self.algorithms):
            for variant, (values, varied) in enumerate(self.variants(algorithm)):
                for run, restart in itertools.product(range(self.runs), range(self.restarts)):
                    seed = self.seed + run * self.restarts + restart
                    out.append(
                        TrialSpec(
                            f"{setting.name}__{algorithm}__v{variant}__s{seed}",
                            self.name,
                            self.kind,
                            setting.name,
                            setting.env_id,
                            dict(setting.env_kwargs),
                            algorithm,
                            variant,
                            varied,
                            values,
                            run,
                            restart,
                            seed,
                            self.track,
                        )
                    )
        return out


def kind_of(algorithm: str) -> str:
    """The trial kind that runs ``algorithm``."""
    from baselines.bilevel.methods import METHODS
    from baselines.mappo.config import ALGOS

    check_choice("algorithms", algorithm, (*ALGOS, *METHODS))
    return TRAIN if algorithm in ALGOS else BILEVEL


def parse_sweep(data: Any) -> SweepConfig:
    """Validate parsed sweep data and build every trial's config once (so that a bad value
    fails here, before anything starts); ``ValueError``/``TypeError`` naming the field."""
    data = check_keywords("sweep", data)
    check_keys("sweep", data, _FIELDS)
    for required in ("name", "settings", "algorithms"):
        if required not in data:
            raise ValueError(f"{required}: missing (required: name, settings, algorithms)")
    sweep = SweepConfig(
        name=_name("name", data["name"]),
        settings=_settings(data["settings"]),
        algorithms=_algorithms(data["algorithms"]),
        hyperparameters=check_keywords("hyperparameters", data.get("hyperparameters", {})),
        search=check_choice("search", data.get("search", "grid"), SEARCHES),
        samples=check_positive_int("samples", data.get("samples", 1)),
        runs=check_positive_int("runs", data.get("runs", 1)),
        restarts=check_positive_int("restarts", data.get("restarts", 1)),
        seed=check_int("seed", data.get("seed", 0), 0),
        cpus_per_trial=check_positive_int("cpus_per_trial", data.get("cpus_per_trial", 1)),
        max_failures=check_int("max_failures", data.get("max_failures", 2), 0),
        track=check_bool("track", data.get("track", True)),
    )
    if sweep.cpus_per_trial > MAX_CPUS_PER_TRIAL:
        raise ValueError(
            f"cpus_per_trial must be at most {MAX_CPUS_PER_TRIAL}, got {sweep.cpus_per_trial}"
        )
    if sweep.search == "grid" and sweep.samples != 1:
        raise ValueError(f"samples: {sweep.samples} draws need search: random (grid: 1)")
    kinds = {kind_of(a) for a in sweep.algorithms}
    if len(kinds) > 1:
        raise ValueError(f"algorithms: {sorted(sweep.algorithms)} mix train and bilevel runs")
    for algorithm in sweep.algorithms:
        _check_hyperparameters(sweep, algorithm)
    return sweep


def _check_hyperparameters(sweep: SweepConfig, algorithm: str) -> None:
    """Check names, spaces and types of ``algorithm``'s hyperparameters, then build its config
    for every setting and variant (the configs' own checks)."""
    types = _hyperparameter_types(algorithm)
    own = (f"algorithms.{algorithm}", sweep.algorithms[algorithm])
    for scope, values in (("hyperparameters", sweep.hyperparameters), own):
        check_keys(f"{scope} (for {algorithm})", values, types)
        for key, value in values.items():
            check_space(f"{scope}.{key}", value, types[key], sweep.search)
    _check_trial_count(sweep)
    for setting, (values, _) in itertools.product(sweep.settings, sweep.variants(algorithm)):
        try:
            _build(algorithm, setting, values)
        except (ValueError, TypeError) as error:
            raise ValueError(f"settings.{setting.name} with {algorithm}: {error}") from None


def _check_trial_count(sweep: SweepConfig) -> None:
    """``ValueError`` if the sweep would hold more than :data:`MAX_TRIALS` trials, counted from
    its grid sizes before any is built."""
    count = 0
    for algorithm in sweep.algorithms:
        merged = {**sweep.hyperparameters, **sweep.algorithms[algorithm]}
        grids = [len(v["grid"]) for v in merged.values() if space_of(v) == "grid"]
        count += math.prod(grids) * sweep.samples
    trials = count * len(sweep.settings) * sweep.runs * sweep.restarts
    if trials > MAX_TRIALS:
        raise ValueError(
            f"the sweep holds {trials:,} trials (settings x grid points x samples x runs x "
            f"restarts); the limit is {MAX_TRIALS:,}"
        )


def _hyperparameter_types(algorithm: str) -> dict[str, str]:
    """Each hyperparameter of ``algorithm`` and its annotation (``"int"``, ``"float | None"``)."""
    if kind_of(algorithm) == TRAIN:
        from baselines.mappo.config import TrainConfig

        return {
            f.name: str(f.type)
            for f in dataclasses.fields(TrainConfig)
            if f.name not in TRAIN_RESERVED
        }
    from baselines.bilevel.methods import METHODS
    from baselines.bilevel.runner import optimize

    types = {f.name: str(f.type) for f in dataclasses.fields(METHODS[algorithm][1])}
    for name, parameter in inspect.signature(optimize).parameters.items():
        if name not in BILEVEL_RESERVED and parameter.kind == parameter.KEYWORD_ONLY:
            types[name] = str(parameter.annotation)
    return types


def _build(algorithm: str, setting: Setting, values: Mapping[str, Any]) -> Any:
    """The trial's config object (its constructor validates the values and the env)."""
    if kind_of(algorithm) == TRAIN:
        from baselines.mappo.config import TrainConfig

        return TrainConfig(
            env_id=setting.env_id, env_kwargs=dict(setting.env_kwargs), algo=algorithm, **values
        )
    from econ_envs.ama import resolve_domain

    resolve_domain(setting.env_id, **setting.env_kwargs)
    return bilevel_split(algorithm, values)


def bilevel_split(algorithm: str, values: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
    """A bilevel trial's method config and its other keywords of ``optimize()``."""
    from baselines.bilevel.methods import METHODS

    method_type = METHODS[algorithm][1]
    names = {f.name for f in dataclasses.fields(method_type)}
    config = method_type(**{k: v for k, v in values.items() if k in names})
    return config, {k: v for k, v in values.items() if k not in names}


def _name(name: str, value: Any) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValueError(
            f"{name} must be a name of 1 to 100 letters, digits, '.', '_', '-' (not starting "
            f"with '.', '_' or '-'), got {repr(value)[:_SHOWN]}"
        )
    return value


def _settings(value: Any) -> tuple[Setting, ...]:
    if not isinstance(value, list) or not value:
        raise TypeError(f"settings must be a non-empty list of settings, got {value!r}")
    out = []
    for k, item in enumerate(value):
        item = check_keywords(f"settings[{k}]", item)
        check_keys(f"settings[{k}]", item, ("name", "env_id", "env_kwargs"))
        if "env_id" not in item:
            raise ValueError(f"settings[{k}].env_id: missing")
        env_id = item["env_id"]
        check_id(f"settings[{k}].env_id", env_id, ids())
        default = env_id.split("/")[-1]
        out.append(
            Setting(
                _name(f"settings[{k}].name", item.get("name", default)),
                env_id,
                check_keywords(f"settings[{k}].env_kwargs", item.get("env_kwargs", {})),
            )
        )
    names = [s.name for s in out]
    if len(set(names)) != len(names):
        raise ValueError(f"settings: names must be unique, got {names}")
    return tuple(out)


def _algorithms(value: Any) -> dict[str, dict[str, Any]]:
    if isinstance(value, list):
        value = {name: {} for name in value}
    value = check_keywords("algorithms", value)
    if not value:
        raise ValueError("algorithms must name at least one algorithm")
    for name, own in value.items():
        kind_of(name)
        value[name] = check_keywords(f"algorithms.{name}", own or {})
    return value
