"""Two-timescale bilevel baseline for ``econ_envs/LaneCoordination-v0``: boundedly rational
followers learn fast, the designer's transfer coefficients move slowly along one-point gradient
estimates (:mod:`.two_timescale`)."""

from baselines.lane.two_timescale import (
    ENV_ID,
    TwoTimescaleConfig,
    TwoTimescaleResult,
    train,
    welfare,
)

__all__ = ["ENV_ID", "TwoTimescaleConfig", "TwoTimescaleResult", "train", "welfare"]
