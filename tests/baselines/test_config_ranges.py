"""Every numeric field of a training config has a declared range, checked when the config is
made (``ValueError`` naming the field; ``econ-baselines train`` turns it into one line naming
the option, see ``test_cli_errors.py``), and the default step budget covers the published one
when the run stops at the optimum."""

from __future__ import annotations

import argparse
import dataclasses
import math

import pytest

from baselines.mappo.cli import add_arguments
from baselines.mappo.config import (
    MAX_SEED,
    RANGES,
    STEPS_UNTIL_SOLVED,
    STEPS_WITHOUT_STOP,
    TrainConfig,
)

#: a cheap env to build configs of
ESCAPE = "econ_envs/Escape-v0"
#: the numeric types of a config field, as its annotation spells them
NUMERIC = {"int", "int | None", "float", "float | None"}


def refused(field: str, value: object) -> str:
    """The message of the config that sets ``field`` to ``value``."""
    with pytest.raises(ValueError) as error:
        TrainConfig(env_id=ESCAPE, **{field: value})
    return str(error.value)


def test_every_numeric_field_has_a_declared_range() -> None:
    numeric = {f.name for f in dataclasses.fields(TrainConfig) if str(f.type) in NUMERIC}
    declared = [name for names, _, _ in RANGES for name in names]
    assert sorted(declared) == sorted(numeric)  # each once


@pytest.mark.parametrize(
    "field", ["total_steps", "num_envs", "rollout_steps", "update_epochs", "num_minibatches"]
)
def test_counts_are_at_least_one(field: str) -> None:
    assert refused(field, 0) == f"{field} must be >= 1, got 0"


@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1])
def test_seeds_fit_numpy_legacy_stream(seed: int) -> None:
    assert refused("seed", seed) == f"seed must be between 0 and 4294967295 (2**32 - 1), got {seed}"
    assert TrainConfig(env_id=ESCAPE, seed=MAX_SEED).seed == MAX_SEED


@pytest.mark.parametrize("threads", [0, 257])
def test_torch_threads_are_bounded(threads: int) -> None:
    assert refused("torch_threads", threads) == (
        f"torch_threads must be between 1 and 256, got {threads}"
    )


@pytest.mark.parametrize(
    "field", ["gamma", "gae_lambda", "explore_eps", "elite_fraction", "elite_mutation"]
)
@pytest.mark.parametrize("value", [-0.1, 1.5, math.nan])
def test_fractions_are_in_the_unit_interval(field: str, value: float) -> None:
    assert refused(field, value) == f"{field} must be in [0, 1], got {value!r}"


@pytest.mark.parametrize("field", ["learning_rate", "clip", "max_grad_norm"])
@pytest.mark.parametrize("value", [-1.0, 0.0, math.inf, math.nan])
def test_step_sizes_are_positive_and_finite(field: str, value: float) -> None:
    assert refused(field, value) == f"{field} must be > 0 and finite, got {value!r}"


@pytest.mark.parametrize("field", ["ent_coef", "vf_coef"])
@pytest.mark.parametrize("value", [-0.01, math.inf, math.nan])
def test_loss_weights_are_non_negative_and_finite(field: str, value: float) -> None:
    assert refused(field, value) == f"{field} must be >= 0 and finite, got {value!r}"


@pytest.mark.parametrize("field", ["eval_every", "checkpoint_seconds", "solve_tolerance"])
def test_intervals_and_tolerances_are_non_negative(field: str) -> None:
    assert refused(field, -1) == f"{field} must be >= 0, got -1"


@pytest.mark.parametrize("value", [-1.0, 0.0, math.nan])
def test_a_time_limit_is_positive(value: float) -> None:
    assert refused("time_limit", value) == f"time_limit must be > 0 seconds, got {value!r}"


def test_hidden_layers_have_a_width() -> None:
    assert refused("hidden_sizes", (64, 0)) == "hidden_sizes must be >= 1 each, got (64, 0)"


def test_the_edges_of_the_ranges_are_accepted() -> None:
    edges = {
        "seed": 0,
        "gamma": 0.0,
        "gae_lambda": 1.0,
        "elite_fraction": 1.0,
        "ent_coef": 0.0,
        "vf_coef": 0.0,
        "eval_every": 0,
        "checkpoint_seconds": 0.0,
        "solve_tolerance": 0.0,
        "time_limit": None,
        "clip": 10.0,
    }
    config = TrainConfig(env_id=ESCAPE, **edges)
    assert {name: getattr(config, name) for name in edges} == edges


def test_the_default_budget_is_the_published_one_when_the_run_stops_at_the_optimum() -> None:
    assert TrainConfig(env_id=ESCAPE).total_steps == STEPS_UNTIL_SOLVED == 10**8
    stopping_never = TrainConfig(env_id=ESCAPE, stop_when_solved=False)
    assert stopping_never.total_steps == STEPS_WITHOUT_STOP == 2_000_000
    assert TrainConfig(env_id=ESCAPE, total_steps=5).total_steps == 5


def test_the_help_states_both_default_budgets() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    (steps,) = [a for a in parser._actions if "--steps" in a.option_strings]
    assert steps.help == (
        "env steps to train for (default: 100,000,000, the published budget of one run, with "
        "--stop-when-solved, which ends the run at the optimum; 2,000,000 with "
        "--no-stop-when-solved)"
    )
