"""The two pictures of every environment page, drawn at build time and saved deterministically.

:func:`draw_game` pictures the game (:mod:`.game_pictures`), :func:`draw_episode` one seeded
episode (:mod:`.episodes`): the followers' strategies and the leader's utility per play over a
Stackelberg episode, or VCG's objective per type profile of an AMA episode. Figures are made
without pyplot (no global state), under matplotlib's default style (a user's ``matplotlibrc``
changes nothing), and saved as PNG without a software stamp: the same sources give the same
bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib.style
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from econ_envs.ama.domains import AMADomain
from econ_envs.games import GameSpec

from .episodes import SEED, DesignerEpisode, StackelbergEpisode
from .game_pictures import GAME_DRAWERS, ama_domain

#: pixels per inch of the saved pictures
DPI = 100


def save(path: Path, size: tuple[float, float], draw: Callable[[Figure], str]) -> str:
    """Draw a figure of ``size`` inches with ``draw`` and save it to ``path``; its caption."""
    with matplotlib.style.context("default"):
        fig = Figure(figsize=size, layout="constrained")
        caption = draw(fig)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=DPI, metadata={"Software": None})
    return caption


def draw_game(path: Path, env: Any) -> str:
    """The picture of the game of a built env (its ``unwrapped``); its caption."""
    if hasattr(env, "game"):
        return save(path, (6.4, 3.4), lambda fig: GAME_DRAWERS[env.game.spec.name](fig, env.game))
    return save(path, (8.0, 3.6), lambda fig: ama_domain(fig, env.domain))


def stackelberg_episode(fig: Figure, episode: StackelbergEpisode, spec: GameSpec) -> str:
    """Strategies over the steps (top) and the leader's utility per play (bottom)."""
    top, bottom = fig.subplots(2, 1, sharex=True)
    steps = np.arange(1, episode.steps + 1)
    for follower, (n_types, n_messages) in enumerate(
        zip(spec.n_types, spec.n_messages, strict=True)
    ):
        if n_messages == 1:  # it has nothing to learn
            continue
        for t in range(n_types):
            final = episode.final_strategies[follower, t]
            label = f"follower {follower}" if t == 0 else None
            line = episode.strategies[:, follower, t, final]
            top.plot(steps, line, color=f"C{follower}", lw=1, alpha=0.8, label=label)
    top.set(ylabel="P(final message)", ylim=(-0.03, 1.03))
    top.legend(fontsize=7, loc="lower right", ncols=4)
    reward = episode.reward_phase
    start = episode.play_end[reward][0] - 0.5 if reward.any() else episode.steps
    for ax in (top, bottom):
        ax.axvspan(start, episode.steps + 0.5, color="0.92", zorder=0)
    bottom.scatter(episode.play_end[~reward], episode.leader_utility[~reward], s=4, c="0.5")
    bottom.scatter(episode.play_end[reward], episode.leader_utility[reward], s=6, c="C0")
    paid = episode.episode_return
    bottom.axhline(paid, color="C0", lw=1, label=f"return {paid:.3f}")
    if spec.optimal_value is not None:
        bottom.axhline(spec.optimal_value, color="C3", ls="--", lw=1, label="known optimum")
    bottom.set(xlabel="leader step", ylabel="leader utility per play")
    bottom.legend(fontsize=7, loc="lower right", ncols=2)
    optimum = (
        "" if spec.optimal_value is None else f" (dashed: known optimum {spec.optimal_value:.4g})"
    )
    return (
        f"One episode (seed {SEED}) led by a fixed random table. Top: the probability each "
        "follower type gives the message it ends with, over the episode's "
        f"{episode.steps:,} leader steps (shaded: the reward phase). Bottom: the leader's "
        f"utility in each play (grey: response phase, unpaid); the return, {paid:.4f}, is "
        f"the mean over the {int(reward.sum())} reward plays{optimum}."
    )


def designer_episode(fig: Figure, episode: DesignerEpisode, domain: AMADomain) -> str:
    """VCG's objective on each drawn profile (left), agents' rewards and payments (right)."""
    left, right = fig.subplots(1, 2, width_ratios=(3, 2))
    scores, objective = episode.scores, domain.objective
    left.bar(np.arange(len(scores.objective)), scores.objective, color="C0")
    mean = scores.objective.mean()
    left.axhline(mean, color="C3", ls="--", lw=1, label=f"mean {mean:.3f}")
    left.set(xlabel="type profile drawn", ylabel=objective, title=f"VCG's {objective}")
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.legend(fontsize=7)
    agents = np.arange(scores.outcome.payments.shape[1])
    right.bar(agents - 0.2, scores.outcome.plan.rewards.mean(axis=0), 0.4, label="reward")
    right.bar(agents + 0.2, scores.outcome.payments.mean(axis=0), 0.4, label="payment")
    right.set(xlabel="agent", xticks=agents, title="mean per agent")
    right.legend(fontsize=7)
    return (
        f"One episode (seed {SEED}), one step with VCG's parameters (weights 1, boosts 0). "
        f"Left: the {objective} on each of the {len(scores.objective)} type profiles the step "
        f"drew; the step's reward, {episode.reward:.4f}, is their mean"
        + ("" if domain.higher_is_better else f" times -1 (a lower {objective} is better)")
        + ". Right: each agent's mean reward under the planned outcome, and its mean payment."
    )


def draw_episode(path: Path, episode: StackelbergEpisode | DesignerEpisode, env: Any) -> str:
    """The picture of a seeded episode of a built env (its ``unwrapped``); its caption."""
    if isinstance(episode, StackelbergEpisode):
        return save(path, (8.0, 4.6), lambda fig: stackelberg_episode(fig, episode, env.game.spec))
    return save(path, (8.0, 3.2), lambda fig: designer_episode(fig, episode, env.domain))
