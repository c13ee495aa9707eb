"""The LaneCoordination baseline's transfer parametrization (``baselines.lane``)."""

from __future__ import annotations

import numpy as np

from baselines.lane.two_timescale import to_action


def test_lane_baseline_parametrizes_transfers_in_the_legendre_basis():
    """theta = (0, -5/6) is -5/6 * P_2(x) = -5x^2 + 5x - 5/6; the constant is dropped and the
    monomials (0, 5, -5) are divided by transfer_scale = 5; larger theta keeps its shape."""
    np.testing.assert_allclose(to_action(np.array([[0.0, -5 / 6]]), 5.0), [[0.0, 1.0, -1.0]])
    np.testing.assert_allclose(to_action(np.array([[0.0, -5.0]]), 5.0), [[0.0, 1.0, -1.0]])
    np.testing.assert_allclose(to_action(np.array([[1.0, 0.0]]), 5.0), [[0.0, 0.4, 0.0]])
