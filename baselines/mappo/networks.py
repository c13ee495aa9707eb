"""Actor and critic networks that read named entries of a dict observation.

The actor reads ``obs.observation`` only (decentralized execution). The critic reads
``observation`` (PPO) or ``observation`` and the privileged ``state`` together (MAPPO).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import gymnasium as gym
import numpy as np
import torch
from torch import nn
from torch.distributions import Categorical, Distribution, Independent, Normal


def mlp(inputs: int, hidden_sizes: Sequence[int], outputs: int, out_gain: float) -> nn.Sequential:
    """ReLU MLP with orthogonal initialization (CleanRL's PPO recipe, with ReLU instead of tanh:
    the CPU build of torch evaluates tanh about 30x slower, and it dominated the update)."""
    layers: list[nn.Module] = []
    sizes = [inputs, *hidden_sizes]
    for a, b in itertools.pairwise(sizes):
        layers += [_init(nn.Linear(a, b), np.sqrt(2)), nn.ReLU()]
    layers.append(_init(nn.Linear(sizes[-1], outputs), out_gain))
    return nn.Sequential(*layers)


def _init(layer: nn.Linear, gain: float) -> nn.Linear:
    nn.init.orthogonal_(layer.weight, gain)
    nn.init.zeros_(layer.bias)
    return layer


def _features(obs: Any, keys: Sequence[str], device: torch.device) -> torch.Tensor:
    parts = [torch.as_tensor(np.asarray(obs[k]), dtype=torch.float32) for k in keys]
    return torch.cat(parts, dim=-1).to(device)


class Actor(nn.Module):
    """Policy network on ``obs.observation``: logits (discrete) or a Gaussian's mean and std
    (``Box``, in tianshou's raw range [-1, 1] before ``map_action`` scales it).

    Args:
        obs_dim: length of the leader's observation vector.
        action_space: ``Discrete`` or ``Box``.
        hidden_sizes: hidden layer widths.
    """

    def __init__(self, obs_dim: int, action_space: gym.Space, hidden_sizes: Sequence[int]):
        super().__init__()
        self.discrete = isinstance(action_space, gym.spaces.Discrete)
        outputs = action_space.n if self.discrete else int(np.prod(action_space.shape))
        self.net = mlp(obs_dim, hidden_sizes, outputs, 0.01)
        if not self.discrete:
            self.log_std = nn.Parameter(torch.full((outputs,), -0.5))

    def forward(self, obs: Any, state: Any = None, info: Any = None) -> tuple[Any, None]:
        """``(logits or (mean, std), None)`` for a batch of dict observations."""
        out = self.net(_features(obs, ("observation",), self.device))
        if self.discrete:
            return out, None
        return (out, self.log_std.exp().expand_as(out)), None

    @property
    def device(self) -> torch.device:
        """Where the parameters live."""
        return next(self.parameters()).device


def distribution(params: Any) -> Distribution:
    """The action distribution of :class:`Actor` outputs (tianshou's ``dist_fn``); argument
    validation is off (the actor's outputs are valid by construction, and it costs time)."""
    if isinstance(params, tuple):
        mean, std = params
        return Independent(Normal(mean, std, validate_args=False), 1, validate_args=False)
    return Categorical(logits=params, validate_args=False)


class Critic(nn.Module):
    """State-value network on the concatenation of the dict observation's ``keys``.

    Args:
        input_dim: total length of the entries read.
        keys: ``("observation",)`` for PPO, ``("observation", "state")`` for MAPPO.
        hidden_sizes: hidden layer widths.
    """

    def __init__(self, input_dim: int, keys: Sequence[str], hidden_sizes: Sequence[int]):
        super().__init__()
        self.keys = tuple(keys)
        self.net = mlp(input_dim, hidden_sizes, 1, 1.0)

    def forward(self, obs: Any, **kwargs: Any) -> torch.Tensor:
        """Values (batch, 1)."""
        return self.net(_features(obs, self.keys, next(self.parameters()).device))
