"""The designer's gymnasium env of an AMA domain (SPEC §2.3): one-step episodes.

The action is a flat ``Box``: the ``S * A`` boosts (row-major, in ``[-boost_bound, boost_bound]``)
then the ``n`` weights (in ``weight_bounds``, bounded below by a small positive number). An
action outside the box, of the wrong shape or with a NaN raises ``ValueError`` (nothing is
clipped: RL libraries that sample unbounded actions should rescale or clip themselves). The
observation is the constant ``[0.0]``. The reward is the objective (revenue, or minus the
makespan) of the AMA averaged over ``n_samples`` type profiles drawn fresh from the env's
``np_random``; ``info`` holds revenue, welfare, makespan (where defined) and VCG's values on the
same profiles. Every step ends the episode.

The box is not ``[-1, 1]``: Gaussian policies (PPO, SAC, ...) act around ``[-1, 1]`` and should
see the env through gymnasium's wrappers, an affine map onto the box and explicit clips::

    box = env.action_space
    env = gymnasium.wrappers.TransformAction(env, lambda a: np.clip(a, box.low, box.high), box)
    env = gymnasium.wrappers.ClipAction(gymnasium.wrappers.RescaleAction(env, -1.0, 1.0))

``RescaleAction`` maps ``-1`` to the lowest boost or weight, ``1`` to the highest and the
policy's 0 to the middle of the box; ``ClipAction`` brings an unbounded sample into ``[-1, 1]``;
the inner clip absorbs the affine map's rounding (``1`` lands up to about ``1e-15`` above the
highest weight, which this env refuses). The clips are the user's choice, never the env's.
"""

from __future__ import annotations

from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces

from econ_envs.adapters.reset_needed import reset_needed
from econ_envs.ama.domains import make_domain
from econ_envs.ama.evaluation import ProfileScores, score_profiles
from econ_envs.ama.mechanism import AMAParams
from econ_envs.games.action_check import BatchActionCheck
from econ_envs.registry import check_made
from econ_envs.validation import (
    FLOAT32_MAX,
    KeywordTypeError,
    RenderModes,
    check_finite,
    check_render_mode,
)

DEFAULT_WEIGHT_BOUNDS = (1e-3, 10.0)


class DesignerEnv(gymnasium.Env):
    """Choose AMA boosts and weights for ``domain``; be paid the objective on fresh profiles.

    Args:
        domain: ``"SequentialSales"``, ``"TaskScheduling"`` or ``"GridworldAMA"``.
        n_samples: type profiles per step.
        boost_bound: boosts lie in ``[-boost_bound, boost_bound]`` (default: the domain's scale,
            1 for values in [0, 1], 3 for costs in [0, 3]); at most the largest float32.
        weight_bounds: ``(low, high)`` with ``0 < low < high``.
        render_mode: ``None`` only (the env does not render), accepted for the gymnasium API.
        env_id: the registered id (``gym.make`` passes it): another id, or a ``domain`` other
            than the id's own, raises ``ValueError`` (:func:`econ_envs.registry.check_made`).
        **domain_kwargs: the domain's keywords (``n_agents``, ``n_items``, ``n_tasks``,
            ``distribution``, ``makespan_rule``, ``size``, ``gamma``).
    """

    metadata: dict[str, Any] = {"render_modes": RenderModes()}
    #: what each entry of the observation means
    observation_meanings: tuple[str, ...] = (
        "always 0.0: the designer sees nothing (one-step episodes)",
    )

    def __init__(
        self,
        domain: str = "SequentialSales",
        n_samples: int = 20,
        boost_bound: float | None = None,
        weight_bounds: tuple[float, float] = DEFAULT_WEIGHT_BOUNDS,
        render_mode: str | None = None,
        env_id: str | None = None,
        **domain_kwargs: Any,
    ) -> None:
        check_made({"env_id": env_id, "domain": domain, **domain_kwargs})
        self.render_mode = check_render_mode(render_mode, self.metadata["render_modes"])
        bound = None if boost_bound is None else check_finite("boost_bound", boost_bound)
        if bound is not None and not 0 < bound <= FLOAT32_MAX:
            raise ValueError(
                f"boost_bound must be > 0 and at most {FLOAT32_MAX:.8g} (the largest float32, "
                f"as max_price: boosts are sampled and summed over the path), got {boost_bound!r}"
            )
        low_w, high_w = _weight_bounds(weight_bounds)
        self.domain = make_domain(domain, **domain_kwargs)
        self.n_samples = self.domain.check_profiles("n_samples", n_samples)
        bound = self.domain.boost_scale if bound is None else bound
        mdp = self.domain.mdp
        n_boosts = mdp.n_states * mdp.n_actions
        low = np.concatenate([np.full(n_boosts, -bound), np.full(mdp.n_agents, low_w)])
        high = np.concatenate([np.full(n_boosts, bound), np.full(mdp.n_agents, high_w)])
        self.action_space = spaces.Box(low, high, dtype=np.float64)
        self._check_action = BatchActionCheck(self.action_space)
        self.observation_space = spaces.Box(0.0, 1.0, shape=(1,), dtype=np.float32)
        self._vcg = AMAParams.vcg(mdp)
        self._reset_done = self._episode_over = False

    def params_from_action(self, action: np.ndarray) -> AMAParams:
        """The AMA parameters an action stands for; ``ValueError`` if it is not a real array of
        the action space's shape or is outside the box."""
        vector = self._check_action(self._check_action.as_batch(action))[0]
        return AMAParams.from_flat(vector, self.domain.mdp)

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Start an episode (seeding ``np_random``, which draws every later type profile)."""
        super().reset(seed=seed)
        self._reset_done, self._episode_over = True, False
        return np.zeros(1, dtype=np.float32), {}

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        """Run the AMA given by ``action`` and VCG on ``n_samples`` fresh profiles (the episode
        then ends: a step before ``reset`` or after the end raises ``ResetNeeded``)."""
        if self._episode_over or not self._reset_done:
            raise reset_needed(self, self._reset_done)
        params = self.params_from_action(action)
        self._episode_over = True
        types = self.domain.sample_types(self.np_random, self.n_samples)
        ama = score_profiles(self.domain, params, types)
        vcg = score_profiles(self.domain, self._vcg, types)
        sign = 1.0 if self.domain.higher_is_better else -1.0
        info = {**_summary(ama, ""), **_summary(vcg, "vcg_")}
        return np.zeros(1, dtype=np.float32), sign * info["objective"], True, False, info


def _weight_bounds(weight_bounds: Any) -> tuple[float, float]:
    """``(low, high)`` from a pair of real numbers with ``0 < low < high`` (finite)."""
    if not isinstance(weight_bounds, tuple | list) or len(weight_bounds) != 2:
        raise KeywordTypeError(
            "weight_bounds must be a pair (low, high) of numbers with 0 < low < high, got "
            f"{weight_bounds!r}"
        )
    low, high = (check_finite("weight_bounds", x) for x in weight_bounds)
    if not 0 < low < high:
        raise ValueError(f"weight_bounds must satisfy 0 < low < high, got {weight_bounds!r}")
    return low, high


def _summary(scores: ProfileScores, prefix: str) -> dict[str, float]:
    summary = {
        f"{prefix}objective": float(scores.objective.mean()),
        f"{prefix}revenue": float(scores.outcome.revenue.mean()),
        f"{prefix}welfare": float(scores.outcome.welfare.mean()),
    }
    if scores.makespan is not None:
        summary[f"{prefix}makespan"] = float(scores.makespan.mean())
    return summary
