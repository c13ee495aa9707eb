"""Where each part of the Stackelberg POMDP's privileged state vector lies (SPEC §1.3).

The privileged state (``info["state"]``, or the ``"state"`` entry of the observation with
``privileged_state=True``) is one float32 vector per episode, for centralized critics. Its parts,
in order: the phase flag, the progress, the one-hot types and messages of the current play, the
one-hot counterfactual play under way and every follower's normalized strategy. Read them by
name from the env's layout rather than by position::

    env = gym.make("econ_envs/MSPM-v0")
    layout = env.unwrapped.state_layout
    _, info = env.reset(seed=0)
    in_reward_phase = info["state"][layout.phase] == 1.0
    types = layout.type_profile(info["state"])  # (n_followers,) type indices
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class StateLayout:
    """The layout of the privileged state of a game with ``n_followers`` followers, at most
    ``max_types`` types and ``max_messages`` messages each, whose follower dynamics take
    ``plays_per_iteration`` plays per response iteration.

    Attributes:
        phase: column of the phase flag, 0 in the response phase and 1 in the reward phase
            (the same in every layout).
        progress: column of the progress, in [0, 1], through the response phase (the
            reward-phase plays done / ``reward_plays`` in the reward phase); the same in
            every layout.
        types: columns of the current play's type profile, ``n_followers`` one-hot blocks of
            ``max_types``.
        messages: columns of the current play's message profile, ``n_followers`` one-hot
            blocks of ``max_messages``.
        counterfactual: columns of the one-hot index of the response play under way within
            its iteration (all 0 in the reward phase), ``plays_per_iteration`` wide.
        strategies: columns of every follower's mixed strategy, (``n_followers``,
            ``max_types``, ``max_messages``) flattened, each type's row summing to 1.
        size: length of the state vector.
    """

    phase: ClassVar[int] = 0
    progress: ClassVar[int] = 1

    n_followers: int
    max_types: int
    max_messages: int
    plays_per_iteration: int
    types: slice = field(init=False, compare=False)
    messages: slice = field(init=False, compare=False)
    counterfactual: slice = field(init=False, compare=False)
    strategies: slice = field(init=False, compare=False)
    size: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        n, types, messages = self.n_followers, self.max_types, self.max_messages
        widths = {
            "types": n * types,
            "messages": n * messages,
            "counterfactual": self.plays_per_iteration,
            "strategies": n * types * messages,
        }
        start = self.progress + 1
        for name, width in widths.items():
            object.__setattr__(self, name, slice(start, start + width))
            start += width
        object.__setattr__(self, "size", start)

    def type_profile(self, state: NDArray[np.float32]) -> NDArray[np.intp]:
        """The current play's type of every follower, (..., n_followers), from states
        (..., size)."""
        return self._one_hot_index(state[..., self.types], self.max_types)

    def message_profile(self, state: NDArray[np.float32]) -> NDArray[np.intp]:
        """The current play's message of every follower, (..., n_followers), from states
        (..., size)."""
        return self._one_hot_index(state[..., self.messages], self.max_messages)

    def follower_strategies(self, state: NDArray[np.float32]) -> NDArray[np.float32]:
        """Every follower's mixed strategy, (..., n_followers, max_types, max_messages), from
        states (..., size)."""
        shape = (self.n_followers, self.max_types, self.max_messages)
        return state[..., self.strategies].reshape(*state.shape[:-1], *shape)

    def _one_hot_index(self, block: NDArray[np.float32], width: int) -> NDArray[np.intp]:
        return block.reshape(*block.shape[:-1], self.n_followers, width).argmax(axis=-1)
