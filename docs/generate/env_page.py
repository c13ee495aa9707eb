"""The page of one environment id, in the form of Gymnasium's environment pages.

Sections: a summary table and a picture of the game; Description; Action Space and Observation
Space (a row per dimension, :mod:`.spaces`); Rewards; Starting State; Episode End; One Episode
(a picture of a seeded episode, :mod:`.episodes`); Arguments (:mod:`.arguments`); Follower
Dynamics (Stackelberg ids); Known Optimum and Reference Values (the boards, with links);
Version History (the registry's ``history``). Every statement with a number reads it from the
registry, the built env or the seeded episode.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gymnasium
import numpy as np

from econ_envs.ama.domains import DOMAINS
from econ_envs.families import family
from econ_envs.followers import DYNAMICS
from econ_envs.games import game_class
from econ_envs.registry import AMA, EnvEntry
from leaderboards.boards import boards

from .arguments import arguments_section
from .episodes import (
    SEED,
    DesignerEpisode,
    StackelbergEpisode,
    designer_episode,
    stackelberg_episode,
)
from .pictures import draw_episode, draw_game
from .reference import copy_plot
from .rst import code_block, doc_link, figure, heading, literal, page_name, plain, table
from .spaces import action_meanings, observation_meanings, space_table, state_table, summary

#: the sections every environment page has, in order (tests/test_docs.py checks the built pages)
SECTIONS = (
    "Description",
    "Action Space",
    "Observation Space",
    "Rewards",
    "Starting State",
    "Episode End",
    "One Episode",
    "Arguments",
    "Known Optimum and Reference Values",
    "Version History",
)


def builder_of(registered: EnvEntry) -> Callable[..., Any]:
    """The game class (Stackelberg) or domain builder (AMA) behind an id."""
    if registered.family == AMA:
        return DOMAINS[registered.kwargs["domain"]]
    return game_class(registered.kwargs["game"])


def family_page(registered: EnvEntry) -> str:
    """The hand-written page of the id's family."""
    return "/ama" if registered.family == AMA else "/stackelberg"


def rules(builder: Callable[..., Any]) -> list[str]:
    """What the environment is: the longer of its module's docstring and its class's (or
    builder's) docstring before ``Args:``."""
    texts = [inspect.getdoc(sys.modules[builder.__module__]), inspect.getdoc(builder)]
    intros = [(text or "").split("\nArgs:\n")[0].strip() for text in texts]
    return [*max(intros, key=len).splitlines(), ""]


def vector(values: np.ndarray) -> str:
    """A short vector as a literal (``[0, 1, 1]``)."""
    return literal("[" + ", ".join(f"{float(v):g}" for v in np.ravel(values)) + "]")


def header(registered: EnvEntry, env: Any, optimum: float | None) -> list[str]:
    """The summary table at the top of the page."""
    rows = [
        ["Action Space", summary(env.action_space)],
        ["Observation Space", summary(env.observation_space)],
        ["make it", literal(f'gymnasium.make("{registered.id}")')],
        ["family", doc_link(family(registered.family).title, family_page(registered))],
        ["published in", registered.source],
        ["known optimum", "none known" if optimum is None else f"{optimum:.4g}"],
    ]
    return table(["id", literal(registered.id)], rows, "20 80")


def spaces_sections(env: Any) -> list[str]:
    """Action Space and Observation Space, a row per dimension (and the privileged state)."""
    lines = [*heading("Action Space", "-")]
    lines += [
        f"{summary(env.action_space)}.",
        "",
        *space_table(env.action_space, action_meanings(env)),
    ]
    lines += [*heading("Observation Space", "-")]
    lines += [f"{summary(env.observation_space)}.", ""]
    lines += space_table(env.observation_space, observation_meanings(env))
    if hasattr(env.unwrapped, "state_layout"):
        lines += [
            *heading("Privileged state", "~"),
            'For centralized critics: ``info["state"]`` at every step, and the ``"state"`` '
            "entry of a ``Dict`` observation with ``privileged_state=True``. Read its parts by "
            "name from ``env.unwrapped.state_layout`` (:class:`econ_envs.StateLayout`):",
            "",
            *state_table(env.unwrapped.state_layout),
        ]
    return lines


def stackelberg_sections(registered: EnvEntry, env: Any, episode: StackelbergEpisode) -> list[str]:
    """Rewards, Starting State and Episode End of a Stackelberg id."""
    spec, episodes = env.game.spec, env.episodes
    low, high = spec.leader_utility_range
    iterations, plays, paid = (
        episodes.response_iterations,
        episodes.plays_per_iteration,
        episodes.reward_plays,
    )
    dynamics = registered.kwargs.get("dynamics", "mw")
    optimum = (
        ""
        if spec.optimal_value is None
        else f" The best expected utility is {spec.optimal_value:.4g}."
    )
    shown = [
        m
        for m, x in zip(
            env.game.observation_encoding.column_meanings(), episode.reset_observation, strict=True
        )
        if x == 1.0
    ]
    uniform = all(
        np.allclose(episode.reset_strategies[i, t, :m], 1.0 / m)
        for i, (k, m) in enumerate(zip(spec.n_types, spec.n_messages, strict=True))
        for t in range(k)
    )
    extra = sorted(
        set(episode.final_info_keys) - {"phase", "state", "leader_utility", "follower_utilities"}
    )
    total = iterations * plays + paid
    return [
        *heading("Rewards", "-"),
        f"The leader is paid in the reward phase only. When each of its {paid} plays ends, the "
        f"reward is the leader's utility in that play divided by {paid}, so the undiscounted "
        "return is the mean utility over those plays. Every other step pays 0: the "
        f"{iterations} iterations of the response phase are the followers' learning. The "
        f"leader's utility in one play lies in [{low:.4g}, {high:.4g}].{optimum}",
        "",
        *heading("Starting State", "-"),
        f"``reset(seed=s)`` starts the random stream of seed ``s`` (``reset()`` goes on with the "
        "stream, so a sequence of episodes is reproducible from its first seed). The followers' "
        f"dynamics (``{dynamics}``) start afresh"
        + (": every follower's strategy is uniform" if uniform else "")
        + ", the response phase begins and its first play draws a type profile and the "
        f"followers' messages. With seed {SEED} the first observation is "
        f"{vector(episode.reset_observation)}: " + "; ".join(plain(m) for m in shown) + ".",
        "",
        *heading("Episode End", "-"),
        f"The episode terminates after {total:,} plays: {iterations} response iterations of "
        f"{plays} plays each (``{dynamics}``), then {paid} reward plays. A play lasts at most "
        f"{spec.horizon} leader step(s) and ends as soon as the game says so (no padded "
        f"steps), so an episode has at most {total * spec.horizon:,} steps; the one below had "
        f"{episode.steps:,}. The id sets no time limit (no truncation). The last step's "
        f"``info`` also holds {', '.join(literal(k) for k in extra)}.",
        "",
    ]


def designer_sections(env: Any, episode: DesignerEpisode) -> list[str]:
    """Rewards, Starting State and Episode End of an AMA id."""
    domain = env.domain
    sign = "" if domain.higher_is_better else "minus "
    info = ", ".join(f"{literal(k)} ({v:.4g})" for k, v in episode.info.items())
    return [
        *heading("Rewards", "-"),
        f"The reward is {sign}the {domain.objective} of the affine maximizer the action "
        f"describes, averaged over {env.n_samples} type profiles drawn fresh at the step "
        "(truthful reports, the exact planner, AMA payments). The step's ``info`` holds the "
        f"AMA's and VCG's values on the same profiles; in the episode below: {info}.",
        "",
        *heading("Starting State", "-"),
        "``reset(seed=s)`` seeds the env's generator, which draws the type profiles of every "
        f"later step. The observation is always {vector(episode.reset_observation)}; ``info`` "
        "is empty.",
        "",
        *heading("Episode End", "-"),
        "Every step ends the episode (``terminated=True``): the designer acts once. A step "
        "before ``reset`` or after the end raises ``ResetNeeded``. No truncation.",
        "",
    ]


def dynamics_section(registered: EnvEntry) -> list[str]:
    """The follower dynamics a Stackelberg id can use."""
    links = ", ".join(doc_link(name, f"../dynamics/{name}") for name in DYNAMICS)
    own = registered.kwargs.get("dynamics", "mw")
    return [
        *heading("Follower Dynamics", "-"),
        f"Any of these, with ``dynamics=NAME`` (and ``dynamics_kwargs``): {links}; this id "
        f"uses ``{own}`` unless told.",
        "",
    ]


def reference_section(registered: EnvEntry) -> list[str]:
    """Known optima and published values of the id's boards, with the default board's plot."""
    own = [b for b in boards() if b.env_id == registered.id]
    rows = [
        [
            doc_link(b.key, f"../boards/{page_name(b.key)}"),
            b.metric_label,
            "none known" if b.optimal_value is None else f"{b.optimal_value:.4f}",
            ", ".join(f"{k} {v:.4f}" for k, v in b.reference.items()) or "none",
        ]
        for b in own
    ]
    lines = [*heading("Known Optimum and Reference Values", "-")]
    lines += table(["board", "metric", "known optimum", "published"], rows)
    default = next(b for b in own if not b.env_kwargs)
    return lines + copy_plot(f"{default.env_name}__{default.preset}")


def description(registered: EnvEntry, builder: Callable[..., Any]) -> list[str]:
    """The Description section: the rules, the family, the code and how to make it."""
    title = family(registered.family).title
    return [
        *heading("Description", "-"),
        *rules(builder),
        f"An id of the {doc_link(title + ' family', family_page(registered))}; built from "
        f":py:obj:`{builder.__module__}.{builder.__qualname__}`.",
        "",
        *code_block(
            f'import gymnasium, econ_envs\n\nenv = gymnasium.make("{registered.id}")', "python"
        ),
    ]


def env_page(registered: EnvEntry, pictures: Path) -> list[str]:
    """The page of one environment id; its two pictures are written into ``pictures``."""
    builder, name = builder_of(registered), page_name(registered.id)
    env = gymnasium.make(registered.id)
    try:
        unwrapped = env.unwrapped
        game_caption = draw_game(pictures / f"{name}-game.png", unwrapped)
        if hasattr(unwrapped, "game"):
            episode = stackelberg_episode(registered.id)
            behaviour = stackelberg_sections(registered, unwrapped, episode)
            optimum = unwrapped.game.spec.optimal_value
        else:
            episode = designer_episode(registered.id)
            behaviour = designer_sections(unwrapped, episode)
            optimum = None
        episode_caption = draw_episode(pictures / f"{name}-episode.png", episode, unwrapped)
        lines = [*heading(name), registered.summary, "", *header(registered, env, optimum)]
        lines += figure(f"../pictures/{name}-game.png", f"the game of {name}", game_caption)
        lines += description(registered, builder) + spaces_sections(env) + behaviour
        lines += heading("One Episode", "-")
        lines += figure(f"../pictures/{name}-episode.png", f"an episode of {name}", episode_caption)
        lines += [*heading("Arguments", "-"), *arguments_section(registered, builder, unwrapped)]
    finally:
        env.close()
    if registered.family != AMA:
        lines += dynamics_section(registered)
    lines += reference_section(registered)
    lines += [*heading("Version History", "-"), *(f"- {plain(v)}" for v in registered.history), ""]
    return lines
