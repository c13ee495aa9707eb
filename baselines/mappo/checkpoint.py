"""Resumable checkpoints: networks, optimizer, the envs mid-episode, counters and random
streams, written atomically."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from baselines.mappo.config import TrainConfig
from baselines.mappo.safe_load import CheckpointError, load_checkpoint_data

CHECKPOINT_NAME = "checkpoint.pt"


@dataclass
class Checkpoint:
    """What a training run needs to continue exactly where it stopped.

    Attributes:
        config: the run's configuration (as a dict).
        algorithm: tianshou's ``state_dict`` of the algorithm (networks and optimizer).
        rollout: the rollout's running state (see :func:`baselines.mappo.rollout.rollout_state`).
        progress: the training loop's counters, best table and learning curve.
        torch_rng: torch's random state.
        numpy_rng: numpy's global random state (tianshou shuffles minibatches with it).
        run_name: the run's name, kept when it resumes.
        wandb_run_id: the id of its W&B run, which a resumed run continues.
    """

    config: dict[str, Any]
    algorithm: dict[str, Any]
    rollout: dict[str, Any]
    progress: dict[str, Any]
    torch_rng: torch.Tensor
    numpy_rng: dict[str, Any]
    run_name: str
    wandb_run_id: str | None = None

    @property
    def global_step(self) -> int:
        """Env steps trained so far."""
        return int(self.progress["global_step"])

    @property
    def updates(self) -> int:
        """PPO updates done so far."""
        return int(self.progress["updates"])

    @property
    def wall_clock(self) -> float:
        """Seconds of training so far."""
        return float(self.progress["wall_clock"])

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
        """Read a checkpoint file (or ``checkpoint.pt`` inside a run directory) without running
        any code it could carry (:mod:`baselines.mappo.safe_load`);
        :class:`~baselines.mappo.safe_load.CheckpointError` names what is wrong."""
        path = Path(path)
        if path.is_dir():
            path = path / CHECKPOINT_NAME
        data = load_checkpoint_data(path)
        fields = {f.name for f in dataclasses.fields(cls)}
        if not isinstance(data, dict) or not {"config", "algorithm", "rollout"} <= set(data):
            raise CheckpointError(f"{path} is not a checkpoint of econ-baselines train")
        if not isinstance(data["config"], dict):
            raise CheckpointError(f"{path} holds no configuration (a dict of TrainConfig fields)")
        unknown = sorted(set(data) - fields)
        if unknown:
            raise CheckpointError(f"{path} holds unknown fields {unknown}")
        try:
            return cls(**data)
        except TypeError as error:
            raise CheckpointError(f"{path} is not a complete checkpoint: {error}") from None

    def train_config(self) -> TrainConfig:
        """The stored configuration as a :class:`TrainConfig`."""
        return TrainConfig(**self.config)
