"""The fuzz catalog of issue 12: bad keyword values and bad actions, for every id and adapter.

Shared by ``tests/envs/test_fuzz.py`` (hypothesis draws from it, plus generated values) and
``bench/fuzz.py`` (runs a fixed sample of it and counts). The keywords of an id come from the
signatures of its constructors (the adapter's, the game's or the AMA domain's, the follower
dynamics'), so a keyword added later is fuzzed without editing this file; an annotation this file
does not know makes :func:`keyword_kinds` raise (``test_every_keyword_has_a_known_kind``).
The bad values are in :mod:`tests.envs.fuzz_values`, the bad actions in
:mod:`tests.envs.fuzz_actions`.

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

from econ_envs.adapters.gym_env import StackelbergEnv
from econ_envs.adapters.vector_env import StackelbergVectorEnv
from econ_envs.ama.designer_env import DesignerEnv
from econ_envs.ama.domains import DOMAINS
from econ_envs.episode_options import EpisodeOptions
from econ_envs.followers import DYNAMICS
from econ_envs.games import GAMES, game_class
from econ_envs.registry import AMA, entry, ids
from tests.envs.fuzz_values import CHOICE, KINDS, Draw, value_draws

MAKE, MAKE_VEC, PZ_AEC, PZ_PARALLEL = "gym.make", "gym.make_vec", "pz.env", "pz.parallel_env"
ADAPTERS = (MAKE, MAKE_VEC, PZ_AEC, PZ_PARALLEL)
#: ``num_envs`` of every vector env the fuzz builds, unless the case draws it
NUM_ENVS = 3


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


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ----------------------------------------------------------------------------------------------
# keywords of an id


def adapters_of(env_id: str) -> tuple[str, ...]:
    """The adapters ``env_id`` has: all four, or only ``gym.make`` for the AMA family."""
    return (MAKE,) if entry(env_id).family == AMA else ADAPTERS


def signature_parameters(
    function: Callable[..., Any], skip: tuple[str, ...] = ()
) -> dict[str, inspect.Parameter]:
    """The named parameters of ``function`` (not ``self``, ``skip``, ``*args``, ``**kwargs``)."""
    out = {}
    for name, p in inspect.signature(function).parameters.items():
        if name in ("self", *skip) or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        out[name] = p
    return out


def parameter_kind(parameter: inspect.Parameter) -> str:
    """The fuzz kind of a parameter, from its annotation (``KeyError`` for an unknown one)."""
    annotation = parameter.annotation
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    parts = [part for part in text.split(" | ") if part != "None"]
    base = " | ".join(parts)
    if base in KINDS:
        return KINDS[base]
    if "str" in parts and isinstance(parameter.default, Enum):  # an enum or its name
        return CHOICE
    raise KeyError(f"keyword {parameter.name!r}: no fuzz kind for annotation {text!r}")


def _dynamics_class(name: str) -> type:
    module, cls = DYNAMICS[name].split(":")
    return getattr(importlib.import_module(module), cls)


def dynamics_parameters(name: str) -> dict[str, inspect.Parameter]:
    """The keywords of follower dynamics ``name`` (its ``dynamics_kwargs``)."""
    return signature_parameters(_dynamics_class(name).__init__, skip=("spec", "types", "batch"))


def keyword_parameters(env_id: str, adapter: str) -> dict[str, inspect.Parameter]:
    """Every keyword ``adapter`` accepts for ``env_id``, from the constructors' signatures."""
    registered = entry(env_id)
    if registered.family == AMA:
        return {
            **signature_parameters(DesignerEnv.__init__),
            **signature_parameters(DOMAINS[registered.kwargs["domain"]]),
        }
    game = signature_parameters(game_class(registered.kwargs["game"]).__init__)
    options = signature_parameters(EpisodeOptions)  # the Stackelberg envs take them as keywords
    if adapter == MAKE:
        return {**signature_parameters(StackelbergEnv.__init__), **options, **game}
    if adapter == MAKE_VEC:
        return {**signature_parameters(StackelbergVectorEnv.__init__), **options, **game}
    view = signature_parameters(
        StackelbergEnv.__init__
    )  # the PettingZoo views take game and render_mode
    return {"game": view["game"], "render_mode": view["render_mode"], **game}


def keyword_kinds(env_id: str, adapter: str) -> dict[str, str]:
    """Keyword -> kind (``int``, ``float``, ...) for ``env_id`` through ``adapter``."""
    return {name: parameter_kind(p) for name, p in keyword_parameters(env_id, adapter).items()}


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
            for draw in value_draws(parameter_kind(p), name, p.default):
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
        draws = value_draws(parameter_kind(p), name, p.default) + _named_choices(
            env_id, name, p.default
        )
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


def all_pairs() -> list[tuple[str, str]]:
    """Every (id, adapter) pair of the suite."""
    return [(env_id, adapter) for env_id in ids() for adapter in adapters_of(env_id)]
