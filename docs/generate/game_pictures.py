"""Pictures of each game's structure, drawn with matplotlib from the environment itself.

A Stackelberg game's picture shows its payoffs or its type distribution, read from the game
object a ``gymnasium.make`` built (its payoff arrays, its ``types``) or computed by playing it
(``start``, ``step``, ``utilities`` of the game's own batched rules). An AMA domain's picture
shows its mechanism MDP (the tree of rounds, or the torus grid) and the types its sampler draws.
Every drawer returns the caption of its picture.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from numpy.typing import NDArray

from econ_envs.ama.domains import AMADomain
from econ_envs.games import StackelbergGame

from .episodes import SEED

#: type profiles drawn to show an AMA domain's type distribution
TYPE_DRAWS = 2_000


def play_once(
    game: StackelbergGame, types: NDArray[np.intp], messages: NDArray[np.intp], action: Any
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Leader and follower utilities of one-step plays with these type and message profiles
    (k, n) and leader actions (batch-first), by the game's own rules."""
    rows = np.arange(len(types))
    plays = game.new_plays(len(types))
    game.start(plays, rows, types, messages)
    game.step(plays, game.check_action(action))
    return game.utilities(plays, rows)


def payoff_grid(ax: Axes, values: NDArray[np.float64], labels: NDArray[np.str_]) -> None:
    """A heatmap of ``values`` (rows, cols) with a label in each cell (white on dark cells)."""
    low, high = min(values.min(), 0.0), max(values.max(), 1e-9)
    ax.imshow(values, cmap="Blues", vmin=low, vmax=high)
    for (r, c), text in np.ndenumerate(labels):
        dark = values[r, c] - low > 0.6 * (high - low)
        ax.text(c, r, text, ha="center", va="center", fontsize=9, color="w" if dark else "k")
    ax.set_xticks(range(values.shape[1]))
    ax.set_yticks(range(values.shape[0]))


def normal_form(fig: Figure, game: Any) -> str:
    """The bimatrix, the follower's best reply to each row outlined."""
    ax = fig.add_subplot()
    leader, follower = game.leader_payoffs, game.follower_payoffs
    labels = np.vectorize(lambda a, b: f"{a:.2f}\n{b:.2f}")(leader, follower)
    payoff_grid(ax, leader, labels)
    for row, col in enumerate(follower.argmax(axis=1)):
        ax.add_patch(_outline(col, row))
    ax.set(xlabel="follower's column", ylabel="leader's row", title="leader / follower payoff")
    return (
        "The payoff matrix: in each cell the leader's utility over the follower's (normalized "
        "by the largest absolute entry); outlined, the follower's best reply to each row."
    )


def matrix_design(fig: Figure, game: Any) -> str:
    """The cells' utilities without transfers."""
    messages = np.array([[a, b] for a in range(2) for b in range(2)])
    leader, followers = play_once(game, np.zeros_like(messages), messages, np.zeros((4, 2)))
    labels = [f"{u:.2f}\n({f[0]:.2f}, {f[1]:.2f})" for u, f in zip(leader, followers, strict=True)]
    ax = fig.add_subplot()
    payoff_grid(ax, leader.reshape(2, 2), np.array(labels).reshape(2, 2))
    ax.set_xticklabels(["A", "B"])
    ax.set_yticklabels(["A", "B"])
    ax.set(xlabel="follower 1's message", ylabel="follower 0's message")
    ax.set_title("leader (follower 0, follower 1), no transfer")
    return (
        "Each cell of the followers' 2x2 game without transfers: the leader's utility, and the "
        "two followers' utilities in brackets. The leader sees the cell and pays transfers."
    )


def message_allocation(fig: Figure, game: Any) -> str:
    """Utility by wanted and allocated item."""
    k = game.n_items
    wanted, item = np.divmod(np.arange(k * k), k)
    leader, _ = play_once(game, wanted[:, None], np.zeros((k * k, 1), np.intp), item)
    ax = fig.add_subplot()
    payoff_grid(ax, leader.reshape(k, k), np.vectorize("{:.0f}".format)(leader.reshape(k, k)))
    ax.set(xlabel="item allocated", ylabel="item wanted (the type)", title="utility of both")
    return (
        f"Both sides' utility by the item the follower wants (its type, uniform over {k}) and "
        "the item the leader allocates after reading the follower's message."
    )


def mspm(fig: Figure, game: Any) -> str:
    """Every agent's type distribution, each type labelled with its item values."""
    axes = fig.subplots(1, game.n_agents, sharey=True, squeeze=False)[0]
    for agent, ax in enumerate(axes):
        values = game.type_values[agent]
        ax.bar(range(len(values)), game.types.marginal(agent), color="C0")
        ax.set_xticks(range(len(values)))
        ax.set_xticklabels([", ".join(f"{v:.2g}" for v in row) for row in values])
        ax.set(title=f"agent {agent}", xlabel="item value(s) of the type")
    axes[0].set_ylabel("probability")
    return (
        "Each agent's type distribution: the value of the item(s) for each type, and its "
        "probability. The leader never sees types; it sees the messages the agents send."
    )


def persuasion(fig: Figure, game: Any) -> str:
    """Prior and what a sale pays each side in each state."""
    prior_ax, pay_ax = fig.subplots(1, 2)
    prior_ax.bar(["bad", "good"], game.types.marginal(1), color="C0")
    prior_ax.set(title="state of the world", ylabel="prior probability")
    always, never = 0, 2**game.n_signals - 1  # the plans that buy on every / no signal
    types = np.array([[0, 0], [0, 1], [0, 0], [0, 1]])
    plans = np.array([[always, 0], [always, 0], [never, 0], [never, 0]])
    signal = np.eye(game.n_signals)[[0, 0, 0, 0]]
    leader, followers = play_once(game, types, plans, signal)
    labels = [f"{u + 0.0:g}, {f[0] + 0.0:g}" for u, f in zip(leader, followers, strict=True)]
    payoff_grid(pay_ax, leader.reshape(2, 2).T, np.array(labels).reshape(2, 2).T)
    pay_ax.set_xticklabels(["buys", "refuses"])
    pay_ax.set_yticklabels(["bad", "good"])
    pay_ax.set(title="leader, buyer", xlabel="the buyer", ylabel="state")
    return (
        "Left, the prior of the state of the world, which the leader observes and the buyer "
        "does not. Right, what the leader and the buyer get when the buyer buys or refuses."
    )


def lane_coordination(fig: Figure, game: Any) -> str:
    """The positions on a lane, and one agent's utility for each move when the others meet."""
    lane_ax, utility_ax = fig.subplots(1, 2)
    finals = np.unique(np.add.outer(game.starts, game.moves))
    lane_ax.scatter(game.starts, np.ones_like(game.starts), color="C0", label="start (the type)")
    lane_ax.scatter(finals, np.zeros_like(finals), color="C1", label="final, start + move")
    lane_ax.set(xlim=(-0.05, 1.05), ylim=(-0.6, 1.8), yticks=[], xlabel="position on the lane")
    lane_ax.legend(fontsize=7, loc="upper left")
    n, moves, meet = game.n_agents, len(game.moves), len(game.starts) - 1
    types = np.full((moves, n), meet)
    types[:, 0] = 0
    messages = np.zeros((moves, n), np.intp)
    messages[:, 0] = np.arange(moves)
    _, followers = play_once(game, types, messages, np.zeros((moves, game.degree + 1)))
    utility_ax.plot(game.starts[0] + game.moves, followers[:, 0], "o-", color="C0")
    utility_ax.axvline(game.starts[meet], color="0.5", ls=":", lw=1)
    utility_ax.set(xlabel="agent 0's final position", ylabel="its utility, no transfer")
    return (
        f"Left: the start positions (an agent's type, uniform) and the final positions its "
        f"{moves} moves reach on a lane of length 1. Right: the utility of agent 0, starting at "
        f"0, for each move when the other {n - 1} stand at {game.starts[meet]:g} (dotted): "
        "meeting them pays, moving costs."
    )


def history_tree(ax: Axes, domain: AMADomain) -> None:
    """The finite-horizon MDP as a tree: states by round, one edge per action."""
    mdp, bounds = domain.mdp, domain.mdp.stage_bounds
    place: dict[int, tuple[float, float]] = {}
    for t in range(len(bounds) - 1):
        states = range(bounds[t], bounds[t + 1])
        for k, state in enumerate(states):
            place[state] = ((k + 0.5) / len(states), -t)
    ends = 0
    for state in range(mdp.n_states):
        x, y = place[state]
        for action, child in enumerate(mdp.next_state[state]):
            if child == mdp.n_states:  # the play ends after this round
                end = (ends + 0.5) / ((bounds[-1] - bounds[-2]) * mdp.n_actions)
                ends += 1
                ax.plot([x, end], [y, y - 1], color=f"C{action}", lw=0.8)
            else:
                ax.plot([x, place[child][0]], [y, y - 1], color=f"C{action}", lw=1.2)
        ax.text(x, y, str(state), ha="center", va="center", fontsize=7, bbox={"fc": "white"})
    for action, name in enumerate(domain.action_names):
        ax.plot([], [], color=f"C{action}", label=f"{action}: {name}")
    ax.legend(fontsize=7, loc="lower left", bbox_to_anchor=(0, 1), ncols=2, frameon=False)
    ax.set_yticks([-t for t in range(len(bounds))])
    ax.set_yticklabels([f"round {t}" for t in range(len(bounds) - 1)] + ["end"])
    ax.set_xticks([])


def torus_grid(ax: Axes, domain: AMADomain) -> None:
    """The torus grid: states as cells, the start marked."""
    size = int(domain.config["size"])
    for state in range(domain.mdp.n_states):
        row, col = divmod(state, size)
        ax.add_patch(_outline(col, row, color="0.5", fill=state == 0))
        ax.text(col, row, f"{state}" + ("\nstart" if state == 0 else ""), ha="center", va="center")
    ax.set(xlim=(-0.6, size - 0.4), ylim=(size - 0.4, -0.6), aspect="equal", xticks=[], yticks=[])
    ax.set_title("states: the cells of a torus", fontsize=9)


def ama_domain(fig: Figure, domain: AMADomain) -> str:
    """The mechanism MDP beside the distribution of the types its sampler draws."""
    mdp_ax, type_ax = fig.subplots(1, 2, width_ratios=(3, 2))
    (torus_grid if domain.mdp.stage_bounds is None else history_tree)(mdp_ax, domain)
    types = domain.sample_types(np.random.default_rng(SEED), TYPE_DRAWS)
    for agent in range(domain.mdp.n_agents):
        entries = types[:, agent][types[:, agent] != 0]
        type_ax.hist(entries, bins=20, histtype="step", lw=1.5, label=f"agent {agent}")
    type_ax.set(xlabel="type entry (value or cost)", ylabel="count", title="types drawn")
    type_ax.legend(fontsize=7)
    actions = ", ".join(f"{a} {name}" for a, name in enumerate(domain.action_names))
    return (
        "Left, the mechanism MDP: its states (numbered as in the boost table of the action "
        f"space); its actions are {actions}. Right, the nonzero entries of the types of "
        f"{TYPE_DRAWS:,} profiles drawn from the domain's sampler (seed {SEED})."
    )


def _outline(x: float, y: float, color: str = "C3", fill: bool = False) -> Rectangle:
    """A square around cell (``x``, ``y``) of a grid."""
    face = "0.9" if fill else "none"
    return Rectangle((x - 0.5, y - 0.5), 1, 1, edgecolor=color, facecolor=face, lw=2)


#: the drawer of each game (by its ``GameSpec.name``); AMA domains all use :func:`ama_domain`
GAME_DRAWERS: dict[str, Callable[[Figure, Any], str]] = {
    "NormalForm": normal_form,
    "MatrixDesign": matrix_design,
    "MessageAllocation": message_allocation,
    "MSPM": mspm,
    "Persuasion": persuasion,
    "LaneCoordination": lane_coordination,
}
