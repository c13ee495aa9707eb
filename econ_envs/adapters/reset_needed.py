"""The one error every adapter raises for a step without a running episode (or play)."""

from __future__ import annotations

import gymnasium as gym


class ResetNeeded(gym.error.ResetNeeded, RuntimeError):
    """``step()`` before the first ``reset()`` or after the episode (play) ended.

    Both a :class:`gymnasium.error.ResetNeeded` (what gymnasium's order-enforcing wrapper raises
    for a step before reset) and a ``RuntimeError``, so either ``except`` catches it.
    """


def reset_needed(env: object, started: bool, episode: str = "episode") -> ResetNeeded:
    """The error for ``env.step()``: before any ``reset()`` (not ``started``), or after the
    ``episode`` (``"episode"`` or ``"play"``) ended."""
    when = f"after the {episode} ended" if started else "before reset()"
    return ResetNeeded(f"{type(env).__name__}.step() was called {when}: call reset() first")
