"""Batched base games of the Stackelberg POMDP family, selected by name from :data:`GAMES`."""

from __future__ import annotations

import importlib
from typing import Any

from econ_envs.games.base import GameSpec, StackelbergGame
from econ_envs.games.types import TypeDistribution
from econ_envs.validation import check_choice

#: game name -> "module:Class"; adding a game is one line here and one module
GAMES: dict[str, str] = {
    "NormalForm": "econ_envs.games.normal_form:NormalForm",
    "MatrixDesign": "econ_envs.games.matrix_design:MatrixDesign",
    "MessageAllocation": "econ_envs.games.message_allocation:MessageAllocation",
    "MSPM": "econ_envs.games.mspm:MSPM",
    "FollowerGame": "econ_envs.games.follower_game:FollowerGame",
    "Persuasion": "econ_envs.games.persuasion:Persuasion",
    "LaneCoordination": "econ_envs.games.lane_coordination:LaneCoordination",
}


def game_class(name: str) -> type[StackelbergGame]:
    """The class of the game ``name`` (a key of :data:`GAMES`)."""
    module, cls = GAMES[check_choice("game", name, GAMES)].split(":")
    return getattr(importlib.import_module(module), cls)


def make_game(name: str, **params: Any) -> StackelbergGame:
    """Construct the game ``name`` (a key of :data:`GAMES`) with its keyword parameters."""
    return game_class(name)(**params)


__all__ = ["GAMES", "GameSpec", "StackelbergGame", "TypeDistribution", "game_class", "make_game"]
