"""The families of environments, each declared once (as OpenSpiel's ``_GAME_TYPE`` declares a game).

A :class:`Family` says what the core needs to know about a kind of environment: how an id of it
names its environment (the ``game`` or ``domain`` keyword), which constructors gymnasium calls
for it, and where it was published. The registry (:mod:`econ_envs.registry`) asks it; nothing in
the core branches on a family's name. How a family is scored on the leaderboards is declared
beside it, in :mod:`leaderboards.families`, keyed by the same name (the core never imports the
leaderboards).

A family declares:

- ``name``: its key (``EnvEntry.family``, a board's ``family``, a record's ``family``);
- ``title``: what it is, in words (``"Stackelberg POMDP"``);
- ``name_keyword``: the constructor keyword that names an id's environment (``"game"``);
- ``entry_point`` / ``vector_entry_point``: the string entry points gymnasium registers;
- ``source``: where its environments were published (an id may name another).

Adding a third family touches one new module (its game logic, its adapter and its
:class:`Family`), :data:`FAMILIES` and its ids in :data:`econ_envs.registry.ENTRIES`; on the
boards, one module of :mod:`leaderboards.families` and its table.
"""

from __future__ import annotations

from dataclasses import dataclass

#: the name of the Stackelberg POMDP family (learning followers)
STACKELBERG = "stackelberg"
#: the name of the dynamic affine maximizer family (truthful agents, exact planner)
AMA = "ama"


@dataclass(frozen=True)
class Family:
    """What the core knows about one family of environments (see the module docstring).

    Attributes:
        name: the family's key, e.g. :data:`STACKELBERG`.
        title: what it is, in words.
        name_keyword: the constructor keyword naming an id's environment (``game``/``domain``).
        entry_point: string entry point of its single environment.
        vector_entry_point: string entry point of the vector environment ``gym.make_vec``
            builds.
        source: where its environments were published.
    """

    name: str
    title: str
    name_keyword: str
    entry_point: str
    vector_entry_point: str
    source: str


#: every family by name (the table a new family is added to)
FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family(
            STACKELBERG,
            "Stackelberg POMDP",
            "game",
            "econ_envs.adapters.gym_env:StackelbergEnv",
            # the native batched engine (every autoreset mode; gymnasium's NEXT_STEP by default)
            "econ_envs.adapters.vector_env:StackelbergVectorEnv",
            "Brero et al., Stackelberg POMDP",
        ),
        Family(
            AMA,
            "AMA",
            "domain",
            "econ_envs.ama.designer_env:DesignerEnv",
            # a SyncVectorEnv of designer envs (next-step autoreset unless autoreset_mode says)
            "econ_envs.adapters.designer_vector_env:DesignerVectorEnv",
            "Curry et al., dynamic AMA (AAAI 2024)",
        ),
    )
}


def family(name: str) -> Family:
    """The declared family called ``name``; ``ValueError`` lists the known names."""
    if name not in FAMILIES:
        raise ValueError(f"family={name!r} is not a family; known families: {', '.join(FAMILIES)}")
    return FAMILIES[name]
