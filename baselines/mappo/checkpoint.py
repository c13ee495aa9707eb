"""Resumable checkpoints: networks, optimizer, the envs mid-episode, counters and random
streams, written atomically.

The file holds tensors and plain data only (read back without running code, see
:mod:`baselines.mappo.safe_load`) and the SHA-256 of the run's configuration as canonical JSON:
a configuration edited inside the file no longer matches it and is refused (a guard against
edits, not a signature; a resumed run changes a setting with an option, see
:mod:`baselines.mappo.cli`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from baselines.mappo.config import TrainConfig
from baselines.mappo.safe_load import CheckpointError, load_checkpoint_data

CHECKPOINT_NAME = "checkpoint.pt"
#: the key of the configuration's hash in the file
CONFIG_HASH = "config_sha256"


def config_hash(config: dict[str, Any]) -> str:
    """SHA-256 of ``config`` as canonical JSON (sorted keys, no spaces, tuples as lists)."""
    text = json.dumps(config, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


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
        """Write to ``directory/checkpoint.pt`` atomically, with the configuration's hash;
        return the path."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / CHECKPOINT_NAME
        tmp = path.with_suffix(".tmp")
        torch.save({**self.__dict__, CONFIG_HASH: config_hash(self.config)}, tmp)
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
        unknown = sorted(set(data) - fields - {CONFIG_HASH})
        if unknown:
            raise CheckpointError(f"{path} holds unknown fields {unknown}")
        _check_config_hash(path, data["config"], data.get(CONFIG_HASH))
        expected = {f.name for f in dataclasses.fields(TrainConfig)}
        missing, extra = (
            sorted(expected - set(data["config"])),
            sorted(set(data["config"]) - expected),
        )
        if missing or extra:
            raise CheckpointError(
                f"the configuration in {path} does not fit this version's settings (missing "
                f"{missing}, unknown {extra}); start a new run"
            )
        del data[CONFIG_HASH]
        try:
            return cls(**data)
        except TypeError as error:
            raise CheckpointError(f"{path} is not a complete checkpoint: {error}") from None

    def train_config(self) -> TrainConfig:
        """The stored configuration as a :class:`TrainConfig`."""
        return TrainConfig(**self.config)


def _check_config_hash(path: Path, config: dict[str, Any], stored: Any) -> None:
    """Refuse a configuration that is not the one the run wrote."""
    if stored is None:
        raise CheckpointError(
            f"{path} holds no hash of its configuration (it was written before econ-baselines "
            "0.2.0, or edited); start a new run"
        )
    try:
        matches = config_hash(config) == stored
    except (TypeError, ValueError):
        matches = False
    if not matches:
        raise CheckpointError(
            f"the configuration in {path} was changed after the run wrote it; to resume with "
            "a different setting, give it as an option (e.g. --resume RUN --learning-rate 1e-4)"
        )
