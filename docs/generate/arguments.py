"""The keyword tables of an environment page: every keyword with its real default and meaning.

Meanings are the ``Args:`` (or ``Attributes:``) entries of the docstring of the code that takes
the keyword: the game class or domain builder, :class:`~econ_envs.episode_options.EpisodeOptions`
and the gymnasium env class. A default that is ``None`` but stands for a value the env computes
(MSPM's ``n_types``, the game's ``response_iterations``, an AMA domain's ``boost_bound``) shows
that value beside it, read from the built env.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from econ_envs.episode_options import EpisodeOptions
from econ_envs.registry import IDENTITY_KEYWORDS, EnvEntry

from .rst import docstring_section, literal, table

#: keywords gymnasium passes itself (``env_id``) or that name the id's environment
NOT_ARGUMENTS = ("env_id", "game", "domain")


def default_cell(name: str, default: Any, registered: EnvEntry, resolved: Mapping[str, Any]) -> str:
    """The default of keyword ``name`` as a page shows it."""
    if name in registered.kwargs:
        value = registered.kwargs[name]
        why = "fixed by this id" if name in IDENTITY_KEYWORDS else "this id's default"
        return f"{literal(repr(value))} ({why})"
    if default is inspect.Parameter.empty:
        return "required"
    if default is None and resolved.get(name) is not None:
        return f"{literal('None')}, which gives {literal(repr(resolved[name]))}"
    return literal(repr(default))


def keyword_rows(
    taker: Callable[..., Any], registered: EnvEntry, resolved: Mapping[str, Any]
) -> list[list[str]]:
    """Rows (keyword, default, meaning) of ``taker``'s keywords, meanings from its docstring's
    ``Args:`` entries; ``KeyError`` names a keyword its docstring does not explain."""
    said = docstring_section(inspect.getdoc(taker) or "")
    rows = []
    for name, parameter in inspect.signature(taker).parameters.items():
        if name in NOT_ARGUMENTS or parameter.kind in (
            parameter.VAR_KEYWORD,
            parameter.VAR_POSITIONAL,
        ):
            continue
        if name not in said:
            raise KeyError(f"{taker.__qualname__}'s docstring does not say what {name!r} means")
        rows.append(
            [literal(name), default_cell(name, parameter.default, registered, resolved), said[name]]
        )
    return rows


def episode_option_rows(registered: EnvEntry, resolved: Mapping[str, Any]) -> list[list[str]]:
    """Rows of the Stackelberg episode options (:class:`EpisodeOptions`)."""
    said = docstring_section(inspect.getdoc(EpisodeOptions) or "", "Attributes")
    return [
        [literal(f.name), default_cell(f.name, f.default, registered, resolved), said[f.name]]
        for f in dataclasses.fields(EpisodeOptions)
    ]


def arguments_section(registered: EnvEntry, builder: Callable[..., Any], env: Any) -> list[str]:
    """The keywords of ``gymnasium.make(id, ...)``: the game's or domain's, then the env's own
    (``env`` is the built env's ``unwrapped``)."""
    if hasattr(env, "game"):
        episodes = env.episodes
        resolved = {
            **env.game.spec.keywords,
            "response_iterations": episodes.response_iterations,
            "reward_plays": episodes.reward_plays,
        }
        own = episode_option_rows(registered, resolved)
        own += keyword_rows(type(env), registered, resolved)
        game_title, env_title = "the game's keywords", "the episode's and the env's keywords"
    else:
        resolved = {**env.domain.config, "boost_bound": env.domain.boost_scale}
        own = keyword_rows(type(env), registered, resolved)
        game_title, env_title = "the domain's keywords", "the designer env's keywords"
    header = ["keyword", "default", "meaning"]
    return [
        "Pass any of these to ``gymnasium.make`` (or ``gymnasium.make_vec``) after the id, "
        f"e.g. ``gymnasium.make({registered.id!r}, ...)``; first {game_title}:",
        "",
        *table(header, keyword_rows(builder, registered, resolved), "18 22 60"),
        f"Then {env_title}:",
        "",
        *table(header, own, "18 22 60"),
    ]
