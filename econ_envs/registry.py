"""The one table of environments.

Every environment id of the suite is one :class:`EnvEntry` in :data:`ENTRIES`. That table drives
gymnasium registration (string entry points, so ``gymnasium.spec(id).to_json()`` works), the
PettingZoo constructors, the README table and the test parametrization. Nothing else lists ids.

An id's ``game`` (Stackelberg) or ``domain`` (AMA), and its ``preset`` where it has one, say which
environment it is: :func:`check_identity` refuses keywords that would swap them, on every path
(``gym.make``, ``gym.make_vec``, the PettingZoo constructors, the evaluator). For that the
registered keywords carry the id itself as ``env_id``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import gymnasium

from econ_envs.families import AMA, STACKELBERG, Family, family
from econ_envs.validation import did_you_mean

#: the history of an id still at its first version
FIRST_VERSION = "v0: the first version, released in econ-envs 0.1.0."


@dataclass(frozen=True)
class EnvEntry:
    """One registered environment id.

    Attributes:
        id: the gymnasium id, ``econ_envs/<Name>-v<k>``.
        family: the name of its :class:`~econ_envs.families.Family`: :data:`STACKELBERG`
            (learning followers) or :data:`AMA` (dynamic affine maximizers).
        kwargs: the constructor keywords fixed by this id (the game or domain and its preset).
        summary: one line for the README table.
        source: where the environment was published.
        history: what each version of the id changed, oldest first, each starting with its
            version (``"v0: ..."``); the last is the id's own.
    """

    id: str
    family: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    summary: str = ""
    source: str = ""
    history: tuple[str, ...] = (FIRST_VERSION,)

    @property
    def declared_family(self) -> Family:
        """The :class:`~econ_envs.families.Family` this id belongs to."""
        return family(self.family)

    @property
    def entry_point(self) -> str:
        """String entry point of the single environment (the family's)."""
        return self.declared_family.entry_point

    @property
    def vector_entry_point(self) -> str:
        """String entry point of the vector environment ``gym.make_vec(id, n)`` builds (the
        family's)."""
        return self.declared_family.vector_entry_point

    @property
    def pettingzoo_name(self) -> str:
        """The id in PettingZoo's form (``econ_envs/MSPM-Agrawal-v0`` -> ``mspm_agrawal_v0``):
        ``metadata["name"]`` of its PettingZoo envs and its module in
        :mod:`econ_envs.pettingzoo`."""
        return pettingzoo_name(self.id)


def pettingzoo_name(env_id: str) -> str:
    """``env_id`` in PettingZoo's form: the name after the namespace in snake case, words and
    version joined by ``_`` (``econ_envs/MessageAllocation-v0`` -> ``message_allocation_v0``,
    ``econ_envs/MSPM-v0`` -> ``mspm_v0``); a string without ``/`` or ``-`` is returned in snake
    case."""
    name = env_id.rsplit("/", 1)[-1]
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return words.replace("-", "_").lower()


def _entry(family_name: str, env_id: str, name: str, summary: str, **preset: Any) -> EnvEntry:
    """The entry of ``env_id``, whose environment is ``name`` (the family's ``game`` or
    ``domain``) with the ``preset`` keywords, published where its family was."""
    declared = family(family_name)
    return EnvEntry(
        env_id,
        family_name,
        MappingProxyType({declared.name_keyword: name, **preset}),
        summary,
        declared.source,
    )


_stackelberg = functools.partial(_entry, STACKELBERG)
_ama = functools.partial(_entry, AMA)


ENTRIES: tuple[EnvEntry, ...] = (
    _stackelberg(
        "econ_envs/NormalForm-v0",
        "NormalForm",
        "Leader commits to a row of any bimatrix game; one learning follower",
    ),
    _stackelberg(
        "econ_envs/Escape-v0",
        "NormalForm",
        "3x3 'escape' game: the leader must lead the follower out of a local optimum",
        preset="escape",
    ),
    _stackelberg(
        "econ_envs/Maintain-v0",
        "NormalForm",
        "3x3 'maintain' game: pure commitment 0.667, mixed supremum 0.917",
        preset="maintain",
    ),
    _stackelberg(
        "econ_envs/MatrixDesign-v0",
        "MatrixDesign",
        "k-implementation: transfers over the cells of a 2x2 game",
    ),
    _stackelberg(
        "econ_envs/MessageAllocation-v0",
        "MessageAllocation",
        "Allocate one of n items from a follower's cheap-talk message",
    ),
    _stackelberg(
        "econ_envs/MSPM-v0",
        "MSPM",
        "Message sequential price mechanism: messages, then agent visits with prices",
    ),
    _stackelberg(
        "econ_envs/MSPM-Agrawal-v0",
        "MSPM",
        "MSPM, the published 2-agent 1-item example of Agrawal et al.",
        preset="agrawal",
    ),
    _stackelberg(
        "econ_envs/MSPM-Revenue-v0",
        "MSPM",
        "MSPM selling for revenue with as many messages as types (optimal-auction setting)",
        objective="revenue",
        n_types=3,
        n_messages=3,
    ),
    EnvEntry(
        "econ_envs/Persuasion-v0",
        STACKELBERG,
        MappingProxyType({"game": "Persuasion"}),
        "Information design: signal the state to a buyer; optimum sale probability 2/3",
        "Kamenica & Gentzkow, Bayesian persuasion (2011)",
    ),
    EnvEntry(
        "econ_envs/LaneCoordination-v0",
        STACKELBERG,
        MappingProxyType({"game": "LaneCoordination", "dynamics": "logit"}),
        "Polynomial transfers on final positions coordinate boundedly rational (logit) movers",
        "Mguni et al., Coordinating the crowd (AAMAS 2019)",
    ),
    _ama(
        "econ_envs/SequentialSales-v0",
        "SequentialSales",
        "Dynamic AMA selling identical items one per round to unit-demand bidders (revenue)",
    ),
    _ama(
        "econ_envs/TaskScheduling-v0",
        "TaskScheduling",
        "Dynamic AMA assigning arriving tasks to workers (makespan)",
    ),
    _ama(
        "econ_envs/GridworldAMA-v0",
        "GridworldAMA",
        "Dynamic AMA walking a torus gridworld towards agents' wanted cells (revenue)",
    ),
)


def entry(env_id: str) -> EnvEntry:
    """The registry entry of ``env_id``; raises ``ValueError`` listing the known ids, with the
    one ``env_id`` most likely means (``MSPM-v0``: ``econ_envs/MSPM-v0``)."""
    for candidate in ENTRIES:
        if candidate.id == env_id:
            return candidate
    hint = did_you_mean(env_id, ids())
    known = ", ".join(ids())
    raise ValueError(f"env_id={env_id!r} is not an econ_envs id{hint}; known ids: {known}")


#: the keywords that say which environment an id is: an id's own value may be passed, no other
IDENTITY_KEYWORDS = ("env_id", "game", "domain", "preset")


def check_identity(env_id: str, kwargs: Mapping[str, Any]) -> None:
    """Refuse keywords that would swap the environment behind ``env_id``.

    ``kwargs`` (the keywords given with the id) may repeat the id's own ``game``, ``domain``,
    ``preset`` or ``env_id``, but not change them: ``gym.make("econ_envs/MSPM-v0",
    game="NormalForm")`` is refused; use ``econ_envs/NormalForm-v0``. A ``preset`` is checked
    only for ids that fix one (for the others it is a keyword of the game).

    Raises:
        ValueError: naming the keyword, the id's own value and the ids that have the given one.
    """
    own = {"env_id": env_id, **entry(env_id).kwargs}
    for key in IDENTITY_KEYWORDS:
        if key not in kwargs or key not in own:
            continue
        value = kwargs[key]
        if isinstance(value, str) and value == own[key]:
            continue
        others = [e.id for e in ENTRIES if key != "env_id" and e.kwargs.get(key) == value]
        hint = f"; ids with {key}={value!r}: {', '.join(others)}" if others else ""
        raise ValueError(
            f"{key}={value!r} cannot change the environment of {env_id!r}, whose {key} is "
            f"{own[key]!r}{hint}"
        )


class RegisteredName(str):
    """An id's ``game`` or ``domain`` as the registry passes it to the id's constructor: the
    name, a ``str``, that also knows the id (:attr:`env_id`). ``gym.make(id, env_id=other)``
    replaces the registered ``env_id`` but leaves this, so :func:`check_made` still knows which
    id is being made."""

    env_id: str

    def __new__(cls, name: str, env_id: str) -> RegisteredName:
        out = super().__new__(cls, name)
        out.env_id = env_id
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        return (RegisteredName, (str(self), self.env_id))


def check_made(kwargs: Mapping[str, Any]) -> None:
    """Refuse keywords that would swap the environment an id's constructor is making.

    ``kwargs`` are every keyword the constructor got (the registered ones and the user's,
    ``env_id`` and ``game`` or ``domain`` among them). The id being made is the one its
    registered ``game``/``domain`` knows (:class:`RegisteredName`), else ``env_id``: an
    ``env_id`` naming another id is refused, then :func:`check_identity` checks the rest.

    Raises:
        ValueError: naming ``env_id`` (or the keyword that would swap the environment).
    """
    env_id = kwargs.get("env_id")
    made = [v.env_id for v in kwargs.values() if isinstance(v, RegisteredName)]
    made_id = made[0] if made else env_id
    others = [x for x in [*made, env_id] if x is not None and x != made_id]
    if others:
        named = ", ".join(map(repr, [made_id, *others]))
        raise ValueError(
            f"env_id={env_id!r} does not match the environment being made (the keywords name "
            f"{named}): gym.make and gym.make_vec pass the id itself as env_id; leave it out "
            f"and make the id you want"
        )
    if made_id is not None:
        check_identity(made_id, {**kwargs, "env_id": made_id})


def ids(family: str | None = None) -> tuple[str, ...]:
    """Every registered id, optionally only those of one family."""
    return tuple(e.id for e in ENTRIES if family is None or e.family == family)


def register_all() -> None:
    """Register every entry with gymnasium (idempotent)."""
    for e in ENTRIES:
        if e.id in gymnasium.registry:
            continue
        gymnasium.register(
            id=e.id,
            entry_point=e.entry_point,
            vector_entry_point=e.vector_entry_point,
            kwargs={"env_id": e.id, **e.kwargs, **_registered_name(e)},
            disable_env_checker=False,
        )


def _registered_name(e: EnvEntry) -> dict[str, RegisteredName]:
    """The ``game`` or ``domain`` of ``e`` as a :class:`RegisteredName` that knows ``e.id``."""
    key = e.declared_family.name_keyword
    return {key: RegisteredName(e.kwargs[key], e.id)}


def markdown_table() -> str:
    """The README table of environment ids, generated from :data:`ENTRIES`."""
    rows = ["| id | family | what it is | source |", "|---|---|---|---|"]
    rows += [f"| `{e.id}` | {e.family} | {e.summary} | {e.source} |" for e in ENTRIES]
    return "\n".join(rows)
