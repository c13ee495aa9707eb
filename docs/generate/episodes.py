"""One seeded episode of an environment id, run through ``gymnasium.make`` as a user would.

The pages show what happened in it (its picture, its length, its return and the ``info`` it
ended with), so every number they state about an episode comes from a real one. A Stackelberg
episode is played by a fixed table drawn at random: each observation, the first time it is
seen, gets an action drawn from the action space (seeded), which the leader then always plays.
An AMA episode is one step with VCG's parameters (all weights 1, boosts 0); the type profiles
that step draws are drawn again beside it from a copy of the env's generator, so the picture
shows each profile's objective, and their mean is checked against the reward.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import gymnasium
import numpy as np
from numpy.typing import NDArray

from econ_envs.ama.evaluation import ProfileScores, score_profiles
from econ_envs.ama.mechanism import AMAParams

#: the seed of every episode shown in the documentation
SEED = 0


@dataclass(frozen=True)
class StackelbergEpisode:
    """What one seeded Stackelberg episode did.

    Attributes:
        reset_observation: the observation ``reset`` returned.
        reset_strategies: every follower's mixed strategy at ``reset`` (privileged state).
        steps: leader steps until the episode terminated.
        play_end: the step at which each play ended, (plays,).
        reward_phase: whether each play was a reward-phase play, (plays,).
        leader_utility: the leader's utility in each play, (plays,).
        strategies: every follower's mixed strategy after each step, (steps, n, types,
            messages), from the privileged state.
        final_strategies: ``info["follower_strategies"]`` at the end (follower x type ->
            message).
        episode_return: the sum of the rewards (the mean utility of the reward plays).
        final_info_keys: every key of that ``info``.
    """

    reset_observation: NDArray[np.float32]
    reset_strategies: NDArray[np.float32]
    steps: int
    play_end: NDArray[np.intp]
    reward_phase: NDArray[np.bool_]
    leader_utility: NDArray[np.float64]
    strategies: NDArray[np.float32]
    final_strategies: NDArray[np.intp]
    episode_return: float
    final_info_keys: tuple[str, ...]


@dataclass(frozen=True)
class DesignerEpisode:
    """What one seeded AMA designer episode (one step with VCG's parameters) did.

    Attributes:
        reset_observation: the observation ``reset`` returned.
        scores: VCG's results on each type profile the step drew.
        reward: the step's reward.
        info: the step's ``info``.
    """

    reset_observation: NDArray[np.float32]
    scores: ProfileScores
    reward: float
    info: dict[str, Any]


def stackelberg_episode(env_id: str) -> StackelbergEpisode:
    """Play one episode of ``env_id`` (seed :data:`SEED`) with a fixed random table.

    Raises:
        RuntimeError: if the return is not the mean utility of the reward-phase plays.
    """
    env = gymnasium.make(env_id)
    try:
        layout = env.unwrapped.state_layout
        observation, info = env.reset(seed=SEED)
        reset_observation, reset_strategies = observation, layout.follower_strategies(info["state"])
        env.action_space.seed(SEED)
        table: dict[bytes, Any] = {}
        play_end, reward_phase, utility, strategies = [], [], [], []
        total, terminated, truncated = 0.0, False, False
        while not (terminated or truncated):
            key = observation.tobytes()
            if key not in table:
                table[key] = env.action_space.sample()
            observation, reward, terminated, truncated, info = env.step(table[key])
            total += float(reward)
            strategies.append(layout.follower_strategies(info["state"]))
            if "leader_utility" in info:
                play_end.append(len(strategies))
                reward_phase.append(info["phase"] == "reward")  # the phase of the step's play
                utility.append(info["leader_utility"])
    finally:
        env.close()
    paid = np.array(utility)[np.array(reward_phase)]
    if not np.isclose(total, paid.mean()):
        raise RuntimeError(f"{env_id}: the return {total} is not the reward plays' mean utility")
    return StackelbergEpisode(
        reset_observation=reset_observation,
        reset_strategies=reset_strategies,
        steps=len(strategies),
        play_end=np.array(play_end),
        reward_phase=np.array(reward_phase),
        leader_utility=np.array(utility),
        strategies=np.stack(strategies),
        final_strategies=info["follower_strategies"],
        episode_return=total,
        final_info_keys=tuple(info),
    )


def designer_episode(env_id: str) -> DesignerEpisode:
    """Run one episode of the AMA id ``env_id`` (seed :data:`SEED`) with VCG's parameters.

    Raises:
        RuntimeError: if the reward is not the mean objective of the profiles drawn beside it.
    """
    env = gymnasium.make(env_id)
    try:
        designer = env.unwrapped
        observation, _ = env.reset(seed=SEED)
        generator = copy.deepcopy(designer.np_random)
        types = designer.domain.sample_types(generator, designer.n_samples)
        vcg = AMAParams.vcg(designer.domain.mdp)
        scores = score_profiles(designer.domain, vcg, types)
        _, reward, _, _, info = env.step(vcg.to_flat())
    finally:
        env.close()
    sign = 1.0 if designer.domain.higher_is_better else -1.0
    if not np.isclose(reward, sign * scores.objective.mean()):
        raise RuntimeError(f"{env_id}: the reward {reward} is not the profiles' mean objective")
    return DesignerEpisode(observation, scores, float(reward), info)
