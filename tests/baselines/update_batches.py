"""A PPO update batch of random MSPM-v0 samples, for tests of the update itself."""

from __future__ import annotations

import numpy as np
import torch
from tianshou.data import Batch

#: MSPM-v0's leader observation, privileged state and raw action sizes
OBSERVATION, STATE, ACTION = 7, 28, 3


def random_mspm_batch(n: int, *, explore: float | None = None, returns: bool = True) -> Batch:
    """``n`` seeded random samples: observations, states, raw actions in [-1, 1], zero values,
    normal advantages; normal returns (zeros if not ``returns``); every action explored with
    probability ``explore`` if given."""
    rng = np.random.default_rng(0)
    batch = Batch(
        obs=Batch(
            observation=rng.random((n, OBSERVATION), dtype=np.float32),
            state=rng.random((n, STATE), dtype=np.float32),
        ),
        act=rng.uniform(-1, 1, (n, ACTION)).astype(np.float32),
        v_s=torch.zeros(n),
        returns=torch.as_tensor(
            rng.normal(size=n) if returns else np.zeros(n), dtype=torch.float32
        ),
        adv=torch.as_tensor(rng.normal(size=n), dtype=torch.float32),
    )
    if explore is not None:
        batch.explore = torch.full((n,), explore)
    return batch
