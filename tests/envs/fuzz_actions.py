"""The bad actions of the fuzz catalog: mutations of a valid action (shape, dtype, value), of the
vector env's batch and of the parallel env's action dict, and valid actions at the wrong moment
(see :mod:`tests.envs.fuzz_cases` for the keywords and :mod:`tests.envs.fuzz_judge` for what a
clean outcome is)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import gymnasium as gym
import numpy as np

from econ_envs.games import game_class
from econ_envs.registry import AMA, entry
from tests.envs.fuzz_cases import MAKE, MAKE_VEC, PZ_PARALLEL, parameter_kind, signature_parameters
from tests.envs.fuzz_values import BOOL


@dataclass(frozen=True)
class StepCase:
    """Step ``env_id`` (built with ``env_kwargs``) through ``adapter`` with a bad action.

    ``mutation`` names an entry of :data:`MUTATIONS` (applied to ``agent``'s action for the
    PettingZoo views), of :data:`BATCH_MUTATIONS` (the vector env's batch), of
    :data:`DICT_MUTATIONS` (the parallel env's action dict), or one of :data:`MOMENTS` (a valid
    action at the wrong time).
    """

    adapter: str
    env_id: str
    env_kwargs: Mapping[str, Any]
    mutation: str
    agent: str | None = None

    def __str__(self) -> str:
        built = ", ".join([repr(self.env_id), *(f"{k}={v!r}" for k, v in self.env_kwargs.items())])
        who = f"{self.agent}: " if self.agent else ""
        return f"{self.adapter}({built}).step({who}{self.mutation})"

    @property
    def category(self) -> str:
        """The category of the mutation (``shape``, ``dtype``, ``value``, ``batch``, ...)."""
        for table in (MUTATIONS, BATCH_MUTATIONS, DICT_MUTATIONS):
            if self.mutation in table:
                return table[self.mutation].category
        return "order"

    @property
    def must_reject(self) -> bool:
        """Whether a correct env must refuse this step."""
        for table in (MUTATIONS, BATCH_MUTATIONS, DICT_MUTATIONS):
            if self.mutation in table:
                return table[self.mutation].must_reject
        return True


#: what a mutation returns for a space it does not apply to
NOT_APPLICABLE = object()


@dataclass(frozen=True)
class Mutation:
    """A way to spoil an action: ``make(space, valid)`` returns the spoiled action, or
    :data:`NOT_APPLICABLE` for a space it does not apply to."""

    category: str
    must_reject: bool
    make: Callable[[gym.Space[Any], Any], Any]


def _with_first(space: gym.Space[Any], valid: Any, value: Any) -> Any:
    """``valid`` with its first entry replaced by ``value`` (the scalar itself for Discrete)."""
    if isinstance(space, gym.spaces.Discrete):
        return value
    out = np.array(valid, np.float64)
    out.flat[0] = value
    return out


def _above(space: gym.Space[Any], valid: Any) -> Any:
    if isinstance(space, gym.spaces.Discrete):
        return int(space.start + space.n)
    if isinstance(space, gym.spaces.MultiDiscrete):
        return _with_first(space, valid, space.start.flat[0] + space.nvec.flat[0])
    if isinstance(space, gym.spaces.Box) and np.isfinite(space.high.flat[0]):
        return _with_first(space, valid, float(space.high.flat[0]) + 1.0)
    return NOT_APPLICABLE


def _below(space: gym.Space[Any], valid: Any) -> Any:
    if isinstance(space, gym.spaces.Discrete | gym.spaces.MultiDiscrete):
        start = space.start if isinstance(space, gym.spaces.Discrete) else space.start.flat[0]
        return _with_first(space, valid, int(start) - 1)
    if isinstance(space, gym.spaces.Box) and np.isfinite(space.low.flat[0]):
        return _with_first(space, valid, float(space.low.flat[0]) - 1.0)
    return NOT_APPLICABLE


def _integer_space(space: gym.Space[Any]) -> bool:
    return isinstance(space, gym.spaces.Discrete | gym.spaces.MultiDiscrete)


def _vector(space: gym.Space[Any]) -> bool:
    return isinstance(space, gym.spaces.Box | gym.spaces.MultiDiscrete) and space.shape != ()


#: spoilers of one agent's action (for the vector env: of one row, or of the whole batch)
MUTATIONS: dict[str, Mutation] = {
    "valid": Mutation("control", False, lambda s, a: a),
    "as a list": Mutation("control", False, lambda s, a: np.asarray(a).tolist()),
    "as float64": Mutation("dtype", False, lambda s, a: np.asarray(a, np.float64)),
    "as int8": Mutation(
        "dtype",
        False,
        lambda s, a: np.asarray(a).astype(np.int8) if _integer_space(s) else NOT_APPLICABLE,
    ),
    "as object": Mutation("dtype", False, lambda s, a: np.asarray(a).astype(object)),
    "nan": Mutation("value", True, lambda s, a: _with_first(s, a, np.nan)),
    "inf": Mutation("value", True, lambda s, a: _with_first(s, a, np.inf)),
    "above the bounds": Mutation("value", True, _above),
    "below the bounds": Mutation("value", True, _below),
    "a fraction": Mutation(
        "value",
        True,
        lambda s, a: np.asarray(a, np.float64) + 0.5 if _integer_space(s) else NOT_APPLICABLE,
    ),
    "bool": Mutation("dtype", True, lambda s, a: np.asarray(a).astype(bool)),
    "complex": Mutation("dtype", True, lambda s, a: np.asarray(a).astype(complex)),
    "string": Mutation("dtype", True, lambda s, a: np.asarray(a).astype(str)),
    "None": Mutation("dtype", True, lambda s, a: None),
    "an extra axis": Mutation("shape", True, lambda s, a: np.asarray(a)[None]),
    "one entry short": Mutation(
        "shape", True, lambda s, a: np.asarray(a).ravel()[:-1] if _vector(s) else NOT_APPLICABLE
    ),
    "one entry long": Mutation(
        "shape",
        True,
        lambda s, a: np.append(np.asarray(a).ravel(), 0) if _vector(s) else NOT_APPLICABLE,
    ),
    "empty": Mutation("shape", True, lambda s, a: np.zeros(0)),
    "a scalar": Mutation(
        "shape", True, lambda s, a: np.asarray(a).ravel()[0] if _vector(s) else NOT_APPLICABLE
    ),
}
#: spoilers of the vector env's whole batch ``(num_envs, ...)``
BATCH_MUTATIONS: dict[str, Mutation] = {
    "a batch of 1": Mutation("batch", True, lambda s, b: b[:1]),
    "a batch of 2": Mutation("batch", True, lambda s, b: b[:2]),
    "a batch of 4": Mutation("batch", True, lambda s, b: np.concatenate([b, b[:1]])),
    "no batch axis": Mutation("batch", True, lambda s, b: b[0]),
    "an extra batch axis": Mutation("batch", True, lambda s, b: b[None]),
}
#: spoilers of the parallel env's step-0 action dict ``a`` (the followers' messages are due)
DICT_MUTATIONS: dict[str, Mutation] = {
    "follower_0 missing": Mutation(
        "dict", True, lambda s, a: {k: v for k, v in a.items() if k != "follower_0"}
    ),
    "an unknown agent": Mutation("dict", False, lambda s, a: {**a, "nobody": 0}),
    "a list, not a dict": Mutation("dict", True, lambda s, a: list(a.values())),
}
#: a valid action at a time no step is allowed
BEFORE_RESET, UNWRAPPED_BEFORE_RESET, AFTER_END = (
    "before reset",
    "before reset (unwrapped)",
    "after the episode ended",
)
MOMENTS = (BEFORE_RESET, UNWRAPPED_BEFORE_RESET, AFTER_END)
#: value and dtype spoilers applied to row 1 of the vector env's batch (the others there are
#: whole-batch dtype changes or the batch shapes of BATCH_MUTATIONS)
ROW_MUTATIONS = ("nan", "inf", "above the bounds", "below the bounds", "a fraction")


def action_variants(env_id: str) -> list[dict[str, Any]]:
    """Keyword sets that give ``env_id`` different action spaces: ``{}`` and each of its game's
    flags switched on (``mixed``, ``discrete_transfers``)."""
    registered = entry(env_id)
    if registered.family == AMA:
        return [{}]
    game = signature_parameters(game_class(registered.kwargs["game"]).__init__)
    flags = [n for n, p in game.items() if parameter_kind(p) == BOOL and p.default is False]
    return [{}, *({flag: True} for flag in flags)]


def action_spaces(env_id: str, variant: Mapping[str, Any]) -> dict[str, gym.Space[Any]]:
    """The single-agent action spaces of ``env_id`` built with ``variant``: the leader's (the
    gym env's) and, for the Stackelberg family, the first follower's."""
    if entry(env_id).family == AMA:
        return {"leader": gym.make(env_id, disable_env_checker=True, **variant).action_space}
    from econ_envs import pettingzoo as pz

    view = pz.raw_env(env_id, **variant)
    return {agent: view.action_space(agent) for agent in ("leader", "follower_0")}


def applies(mutation: str, space: gym.Space[Any]) -> bool:
    """Whether element mutation ``mutation`` applies to ``space``."""
    valid = space.sample()
    return MUTATIONS[mutation].make(space, valid) is not NOT_APPLICABLE


def step_cases(env_id: str, adapter: str) -> list[StepCase]:
    """Every fixed step case of ``env_id`` through ``adapter`` (mutations that do not apply to
    an action space are left out)."""
    cases = []
    for variant in action_variants(env_id):
        kwargs = MappingProxyType(variant)
        spaces = action_spaces(env_id, variant)
        leader = [m for m in MUTATIONS if applies(m, spaces["leader"])]
        if adapter == MAKE:
            names = [*leader, BEFORE_RESET, UNWRAPPED_BEFORE_RESET, AFTER_END]
            cases += [StepCase(adapter, env_id, kwargs, m) for m in names]
        elif adapter == MAKE_VEC:
            names = [*leader, *BATCH_MUTATIONS, BEFORE_RESET]
            cases += [StepCase(adapter, env_id, kwargs, m) for m in names]
        else:
            for agent, space in spaces.items():
                names = [m for m in MUTATIONS if applies(m, space)]
                cases += [StepCase(adapter, env_id, kwargs, m, agent) for m in names]
            cases.append(StepCase(adapter, env_id, kwargs, BEFORE_RESET))
            if adapter == PZ_PARALLEL:
                cases += [StepCase(adapter, env_id, kwargs, m) for m in DICT_MUTATIONS]
                cases.append(StepCase(adapter, env_id, kwargs, AFTER_END))
    return cases
