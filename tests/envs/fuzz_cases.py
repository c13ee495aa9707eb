"""The fuzz catalog of issue 12: bad keyword values and bad actions, for every id and adapter.

Shared by ``tests/envs/test_fuzz.py`` (hypothesis draws from it, plus generated values) and
``bench/fuzz.py`` (runs a fixed sample of it and counts). The keywords of an id come from the
signatures of its constructors (the adapter's, the game's or the AMA domain's, the follower
dynamics'), so a keyword added later is fuzzed without editing this file; an annotation this file
does not know makes :func:`keyword_kinds` raise (``test_every_keyword_has_a_known_kind``).

Every case says whether a correct suite **must reject** it (a wrong type, NaN, an unknown name,
a negative size, ...) or **may accept** it (an extreme size, an int for a float, ...; then the
env it builds must work). What counts as a clean outcome is decided in :mod:`fuzz_judge`.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Any

import gymnasium as gym
import numpy as np

from econ_envs.adapters.gym_env import StackelbergEnv
from econ_envs.adapters.vector_env import StackelbergVectorEnv
from econ_envs.ama.designer_env import DesignerEnv
from econ_envs.ama.domains import DOMAINS
from econ_envs.episode_options import EpisodeOptions
from econ_envs.followers import DYNAMICS
from econ_envs.games import GAMES, game_class
from econ_envs.registry import AMA, entry, ids

MAKE, MAKE_VEC, PZ_AEC, PZ_PARALLEL = "gym.make", "gym.make_vec", "pz.env", "pz.parallel_env"
ADAPTERS = (MAKE, MAKE_VEC, PZ_AEC, PZ_PARALLEL)
#: ``num_envs`` of every vector env the fuzz builds, unless the case draws it
NUM_ENVS = 3

INT, FLOAT, BOOL, CHOICE, ARRAY, MAPPING, PAIR = (
    "int",
    "float",
    "bool",
    "choice",
    "array",
    "mapping",
    "pair",
)
#: annotation (without ``| None``) -> kind of keyword
_KINDS = {
    "int": INT,
    "float": FLOAT,
    "bool": BOOL,
    "str": CHOICE,
    "ArrayLike": ARRAY,
    "dict[str, Any]": MAPPING,
    "tuple[float, float]": PAIR,
}
#: a valid value of each array keyword under its id's defaults (bad variants are derived)
_ARRAY_TEMPLATES: dict[str, Any] = {
    "payoffs": [
        [(15, 15), (10, 10), (0, 0)],
        [(10, 10), (10, 10), (0, 0)],
        [(0, 0), (0, 0), (3, 3)],
    ],
    "type_values": [[0.0, 0.5, 1.0], [0.0, 0.5, 1.0]],
    "type_probs": [[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]],
    "joint_type_probs": np.full((3, 3), 1 / 9),
    "prior": [1.0],
}


@dataclass(frozen=True)
class Draw:
    """One value for a keyword: what it is (``label``, ``category``) and whether a correct
    suite must reject it."""

    value: Any
    label: str
    category: str
    must_reject: bool


@dataclass(frozen=True)
class ConstructorCase:
    """Build ``env_id`` through ``adapter`` with ``kwargs``; an error must name one of
    ``names``."""

    adapter: str
    env_id: str
    kwargs: Mapping[str, Any]
    names: tuple[str, ...]
    category: str
    must_reject: bool
    label: str

    def __str__(self) -> str:
        shown = ", ".join(f"{k}={_short(v)}" for k, v in self.kwargs.items())
        return f"{self.adapter}({self.env_id!r}, {shown})"


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


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ----------------------------------------------------------------------------------------------
# keywords of an id


def adapters_of(env_id: str) -> tuple[str, ...]:
    """The adapters ``env_id`` has: all four, or only ``gym.make`` for the AMA family."""
    return (MAKE,) if entry(env_id).family == AMA else ADAPTERS


def _signature(
    function: Callable[..., Any], skip: tuple[str, ...] = ()
) -> dict[str, inspect.Parameter]:
    """The named parameters of ``function`` (not ``self``, ``skip``, ``*args``, ``**kwargs``)."""
    out = {}
    for name, p in inspect.signature(function).parameters.items():
        if name in ("self", *skip) or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        out[name] = p
    return out


def _kind(parameter: inspect.Parameter) -> str:
    """The fuzz kind of a parameter, from its annotation (``KeyError`` for an unknown one)."""
    annotation = parameter.annotation
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    parts = [part for part in text.split(" | ") if part != "None"]
    base = " | ".join(parts)
    if base in _KINDS:
        return _KINDS[base]
    if "str" in parts and isinstance(parameter.default, Enum):  # an enum or its name
        return CHOICE
    raise KeyError(f"keyword {parameter.name!r}: no fuzz kind for annotation {text!r}")


def _dynamics_class(name: str) -> type:
    module, cls = DYNAMICS[name].split(":")
    return getattr(importlib.import_module(module), cls)


def dynamics_parameters(name: str) -> dict[str, inspect.Parameter]:
    """The keywords of follower dynamics ``name`` (its ``dynamics_kwargs``)."""
    return _signature(_dynamics_class(name).__init__, skip=("spec", "types", "batch"))


def keyword_parameters(env_id: str, adapter: str) -> dict[str, inspect.Parameter]:
    """Every keyword ``adapter`` accepts for ``env_id``, from the constructors' signatures."""
    registered = entry(env_id)
    if registered.family == AMA:
        return {
            **_signature(DesignerEnv.__init__),
            **_signature(DOMAINS[registered.kwargs["domain"]]),
        }
    game = _signature(game_class(registered.kwargs["game"]).__init__)
    options = _signature(EpisodeOptions)  # the Stackelberg envs take them as keywords
    if adapter == MAKE:
        return {**_signature(StackelbergEnv.__init__), **options, **game}
    if adapter == MAKE_VEC:
        return {**_signature(StackelbergVectorEnv.__init__), **options, **game}
    view = _signature(StackelbergEnv.__init__)  # the PettingZoo views take game and render_mode
    return {"game": view["game"], "render_mode": view["render_mode"], **game}


def keyword_kinds(env_id: str, adapter: str) -> dict[str, str]:
    """Keyword -> kind (``int``, ``float``, ...) for ``env_id`` through ``adapter``."""
    return {name: _kind(p) for name, p in keyword_parameters(env_id, adapter).items()}


# ----------------------------------------------------------------------------------------------
# values


def _int_draws(default: Any) -> list[Draw]:
    return [
        Draw(-1, "-1", "negative", True),
        Draw(0, "0", "extreme", False),
        Draw(1.5, "1.5", "wrong type", True),
        Draw(3.0, "3.0", "integral float", False),
        Draw("3", "'3'", "numeric string", True),
        Draw(True, "True", "bool for a number", True),
        Draw(None, "None", "none", default is not None),
        Draw(float("nan"), "nan", "non-finite", True),
        Draw(float("inf"), "inf", "non-finite", True),
        Draw(25, "25", "extreme", False),
        Draw(10**5, "10**5", "extreme", False),
        Draw(10**9, "10**9", "extreme", False),
        Draw(2**64, "2**64", "extreme", False),
        Draw(np.int64(2), "np.int64(2)", "numpy scalar", False),
        Draw([2], "[2]", "wrong type", True),
        Draw(2 + 0j, "2+0j", "wrong type", True),
    ]


def _float_draws(default: Any) -> list[Draw]:
    return [
        Draw(float("nan"), "nan", "non-finite", True),
        Draw(float("inf"), "inf", "non-finite", True),
        Draw(float("-inf"), "-inf", "non-finite", True),
        Draw("1.0", "'1.0'", "numeric string", True),
        Draw(True, "True", "bool for a number", True),
        Draw(None, "None", "none", default is not None),
        Draw(1e39, "1e39", "extreme", False),
        Draw(1e308, "1e308", "extreme", False),
        Draw(-1.0, "-1.0", "extreme", False),
        Draw(0.0, "0.0", "extreme", False),
        Draw(1.0, "1.0", "extreme", False),
        Draw(5e-324, "5e-324", "extreme", False),
        Draw(2, "2", "int for a float", False),
        Draw(np.float32(0.5), "np.float32(0.5)", "numpy scalar", False),
        Draw(1 + 0j, "1+0j", "wrong type", True),
        Draw([1.0], "[1.0]", "wrong type", True),
    ]


def _bool_draws(default: Any) -> list[Draw]:
    return [
        Draw("False", "'False'", "wrong type", True),
        Draw("True", "'True'", "wrong type", True),
        Draw(2, "2", "int for a bool", True),
        Draw(0, "0", "int for a bool", True),
        Draw(1, "1", "int for a bool", True),
        Draw(None, "None", "none", default is not None),
        Draw(float("nan"), "nan", "wrong type", True),
        Draw([True], "[True]", "wrong type", True),
        Draw(np.True_, "np.True_", "numpy scalar", False),
        Draw(True, "True", "control", False),
    ]


def _choice_draws(default: Any) -> list[Draw]:
    draws = [
        Draw("nope", "'nope'", "bad choice", True),
        Draw("", "''", "bad choice", True),
        Draw("50%", "'50%'", "bad choice", True),  # a message built with % must not choke on it
        Draw(3, "3", "wrong type", True),
        Draw(["x"], "['x']", "wrong type", True),
        Draw(b"x", "b'x'", "wrong type", True),
        Draw(None, "None", "none", default is not None),
    ]
    if isinstance(default, str) and default.upper() != default:
        draws.append(Draw(default.upper(), repr(default.upper()), "bad choice", True))
    return draws


def _array_draws(name: str) -> list[Draw]:
    draws = [
        Draw("abc", "'abc'", "wrong type", True),
        Draw([], "[]", "bad array", True),
        Draw([[1.0, 2.0], [3.0]], "ragged", "bad array", True),
        Draw(float("nan"), "nan", "non-finite", True),
        Draw({"a": 1}, "{'a': 1}", "wrong type", True),
    ]
    if name not in _ARRAY_TEMPLATES:
        return draws
    template = np.asarray(_ARRAY_TEMPLATES[name], np.float64)

    def with_first(value: float) -> np.ndarray:
        out = template.copy()
        out.flat[0] = value
        return out

    return [
        *draws,
        Draw(template, "valid", "control", False),
        Draw(with_first(np.nan), "valid with a nan", "non-finite", True),
        Draw(with_first(np.inf), "valid with an inf", "non-finite", True),
        Draw(with_first(-0.1), "valid with a -0.1", "extreme", False),
        Draw(template.astype(str), "as strings", "wrong type", True),
        Draw(template.astype(complex), "as complex", "wrong type", True),
        Draw(np.full(template.size + 7, 0.5), "a flat array of the wrong size", "bad array", True),
    ]


def _pair_draws() -> list[Draw]:
    return [
        Draw((1.0, 0.5), "(1.0, 0.5)", "bad pair", True),
        Draw((0.0, 1.0), "(0.0, 1.0)", "bad pair", True),
        Draw((float("nan"), 1.0), "(nan, 1.0)", "non-finite", True),
        Draw((1e-3, float("inf")), "(1e-3, inf)", "non-finite", True),
        Draw(("0.1", 1.0), "('0.1', 1.0)", "numeric string", True),
        Draw((True, 10.0), "(True, 10.0)", "bool for a number", True),
        Draw(5.0, "5.0", "wrong type", True),
        Draw((1e-3,), "(1e-3,)", "bad pair", True),
        Draw((1e-3, 1.0, 2.0), "(1e-3, 1.0, 2.0)", "bad pair", True),
        Draw([1e-3, 10.0], "[1e-3, 10.0]", "control", False),
        Draw((1e-300, 1e300), "(1e-300, 1e300)", "extreme", False),
    ]


def _mapping_draws() -> list[Draw]:
    return [
        Draw("eps=0.1", "'eps=0.1'", "wrong type", True),
        Draw(["eps"], "['eps']", "wrong type", True),
        Draw(3, "3", "wrong type", True),
        Draw({1: 2}, "{1: 2}", "wrong type", True),
        Draw({}, "{}", "control", False),
        Draw(None, "None", "control", False),
    ]


def value_draws(kind: str, name: str, default: Any) -> list[Draw]:
    """The fixed values the fuzz tries for keyword ``name`` of kind ``kind``."""
    if kind == INT:
        return _int_draws(default)
    if kind == FLOAT:
        return _float_draws(default)
    if kind == BOOL:
        return _bool_draws(default)
    if kind == CHOICE:
        return _choice_draws(default)
    if kind == ARRAY:
        return _array_draws(name)
    if kind == PAIR:
        return _pair_draws()
    return _mapping_draws()


# ----------------------------------------------------------------------------------------------
# constructor cases


def make_case(
    env_id: str,
    adapter: str,
    kwargs: dict[str, Any],
    names: tuple[str, ...],
    draw: Draw,
    what: str,
) -> ConstructorCase:
    """The case ``adapter(env_id, **kwargs)`` whose bad part is ``draw`` (shown as ``what``);
    an error must name one of ``names``."""
    return ConstructorCase(
        adapter,
        env_id,
        MappingProxyType(kwargs),
        tuple(names),
        draw.category,
        draw.must_reject,
        f"{what}={draw.label}",
    )


def _named_choices(env_id: str, name: str, default: Any) -> list[Draw]:
    """Names that select something: other ids, games or domains (swapping the env behind the
    id), every follower dynamics, the render modes, every member of an enum keyword."""
    registered = entry(env_id)
    if isinstance(default, Enum):
        return [Draw(m, repr(m), "control", False) for m in type(default)]
    if name in ("game", "domain"):
        table = GAMES if name == "game" else DOMAINS
        return [
            Draw(other, repr(other), "swap the env", other != registered.kwargs[name])
            for other in table
        ]
    if name == "env_id":
        return [Draw(other, repr(other), "swap the env", other != env_id) for other in ids()]
    if name == "dynamics":
        return [Draw(d, repr(d), "control", False) for d in DYNAMICS]
    if name == "render_mode":
        return [
            Draw("ansi", "'ansi'", "control", False),
            Draw("human", "'human'", "bad choice", True),
        ]
    return []


def _dynamics_cases(env_id: str, adapter: str) -> Iterator[ConstructorCase]:
    """``dynamics_kwargs`` drawn from every dynamics' own keywords (with that dynamics)."""
    for dynamics in DYNAMICS:
        for name, p in dynamics_parameters(dynamics).items():
            for draw in value_draws(_kind(p), name, p.default):
                kwargs = {"dynamics": dynamics, "dynamics_kwargs": {name: draw.value}}
                yield make_case(
                    env_id,
                    adapter,
                    kwargs,
                    (name, "dynamics_kwargs"),
                    draw,
                    f"dynamics={dynamics!r}, dynamics_kwargs.{name}",
                )
        draw = Draw(1, "1", "unknown name", True)
        kwargs = {"dynamics": dynamics, "dynamics_kwargs": {"nope": 1}}
        yield make_case(
            env_id, adapter, kwargs, ("nope", "dynamics_kwargs"), draw, "dynamics_kwargs.nope"
        )


def unknown_names(env_id: str, adapter: str) -> list[str]:
    """Keyword names no constructor of ``env_id`` takes: typos of real ones and strangers."""
    known = set(keyword_parameters(env_id, adapter))
    typos = [name[:-1] for name in sorted(known)] + [name + "s" for name in sorted(known)]
    return [n for n in [*typos, "foo", "seed", "Game", "numenvs"] if n not in known]


def constructor_cases(env_id: str, adapter: str) -> list[ConstructorCase]:
    """Every fixed constructor case of ``env_id`` through ``adapter`` (one bad keyword each, on
    top of the id's defaults; ``num_envs`` is :data:`NUM_ENVS` unless drawn)."""
    cases = []
    for name, p in keyword_parameters(env_id, adapter).items():
        draws = value_draws(_kind(p), name, p.default) + _named_choices(env_id, name, p.default)
        cases += [make_case(env_id, adapter, {name: d.value}, (name,), d, name) for d in draws]
    if entry(env_id).family != AMA and adapter in (MAKE, MAKE_VEC):
        cases += _dynamics_cases(env_id, adapter)
    if adapter in (PZ_AEC, PZ_PARALLEL):  # episode options have no meaning there
        defaults = EpisodeOptions()
        for name in EpisodeOptions.__dataclass_fields__:
            draw = Draw(getattr(defaults, name), "its default", "episode option on a PZ view", True)
            cases.append(make_case(env_id, adapter, {name: draw.value}, (name,), draw, name))
    for name in unknown_names(env_id, adapter):
        draw = Draw(1, "1", "unknown name", True)
        cases.append(make_case(env_id, adapter, {name: 1}, (name,), draw, name))
    return cases


# ----------------------------------------------------------------------------------------------
# actions


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
    game = _signature(game_class(registered.kwargs["game"]).__init__)
    flags = [n for n, p in game.items() if _kind(p) == BOOL and p.default is False]
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


def all_pairs() -> list[tuple[str, str]]:
    """Every (id, adapter) pair of the suite."""
    return [(env_id, adapter) for env_id in ids() for adapter in adapters_of(env_id)]
