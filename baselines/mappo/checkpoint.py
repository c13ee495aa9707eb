"""Resumable checkpoints: networks, optimizer, step counters and random streams."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from baselines.mappo.config import TrainConfig

CHECKPOINT_NAME = "checkpoint.pt"


@dataclass
class Checkpoint:
    """What a training run needs to continue where it stopped.

    Attributes:
        config: the run's configuration (as a dict).
        algorithm: tianshou's ``state_dict`` of the algorithm (networks and optimizer).
        global_step: env steps trained so far.
        updates: PPO updates done so far.
        wall_clock: seconds of training so far.
        torch_rng: torch's random state.
        explore_rng: the exploration stream's numpy bit-generator state.
        numpy_rng: numpy's global random state (tianshou shuffles minibatches with it).
        run_name: the run's name, kept when it resumes.
        wandb_run_id: the id of its W&B run, which a resumed run continues.
    """

    config: dict[str, Any]
    algorithm: dict[str, Any]
    global_step: int
    updates: int
    wall_clock: float
    torch_rng: torch.Tensor
    explore_rng: dict[str, Any]
    numpy_rng: dict[str, Any]
    run_name: str
    wandb_run_id: str | None = None

    def save(self, directory: Path) -> Path:
        """Write to ``directory/checkpoint.pt`` atomically; return the path."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / CHECKPOINT_NAME
        tmp = path.with_suffix(".tmp")
        torch.save(self.__dict__, tmp)
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: Path | str) -> Checkpoint:
        """Read a checkpoint file (or ``checkpoint.pt`` inside a run directory)."""
        path = Path(path)
        if path.is_dir():
            path = path / CHECKPOINT_NAME
        return cls(**torch.load(path, weights_only=False))

    def train_config(self) -> TrainConfig:
        """The stored configuration as a :class:`TrainConfig`."""
        return TrainConfig(**self.config)
