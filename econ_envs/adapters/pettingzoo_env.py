"""PettingZoo AEC and parallel views of one play of a Stackelberg base game (SPEC §3).

This is the base game without the response phase, so multi-agent learners can train the
followers too. Agents are ``"leader"``, ``"follower_0"``, ..., ``"follower_{n-1}"``.

- **Types** are drawn from the game's type distribution at ``reset`` with the env's own
  counter-based stream (:class:`econ_envs.random.StreamBatch`): ``reset(seed=s)`` restarts the
  stream of seed ``s``, ``reset()`` continues it, so a sequence of plays is reproducible from
  the first seed.
- **Followers** observe their own type, one-hot (``Box(0, 1, (K_i,))``), and send one message
  (``Discrete(M_i)``) at the first step. They act only then.
- **The leader** observes the game's leader observation (before the messages are in, the lower
  bound of its observation space, zeros for every game) and then acts for up to the game's
  ``horizon`` steps with the game's leader action.
- **Rewards** arrive when the play ends: the leader gets its utility, follower ``i`` its own;
  then every agent is terminated. There is no truncation (every game ends within its horizon).
- ``state()`` is the full state: every follower's one-hot type, every follower's one-hot message
  (zeros before the messages are sent) and the leader's observation.
- Invalid actions raise ``ValueError`` naming the agent and the allowed values.

The play itself lives in :class:`OnePlay`, a batch of one of the game (as PettingZoo's tictactoe
``board.py``); :class:`StackelbergAECEnv` and :class:`StackelbergParallelEnv` only adapt it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import gymnasium as gym
import numpy as np
from numpy.typing import NDArray
from pettingzoo import AECEnv, ParallelEnv

from econ_envs.adapters.reset_needed import reset_needed
from econ_envs.games import StackelbergGame, make_game
from econ_envs.games.base import one_hot
from econ_envs.random import StreamBatch, key_from_seed
from econ_envs.registry import pettingzoo_name
from econ_envs.validation import KeywordTypeError, check_render_mode

LEADER = "leader"
_ROW = np.zeros(1, np.intp)


def follower_name(i: int) -> str:
    """The agent name of follower ``i``."""
    return f"follower_{i}"


class OnePlay:
    """One play of ``game`` (a batch of one), driven agent by agent.

    Args:
        game: the base game.

    Attributes:
        agents: every agent name, the leader first.
        observation_spaces, action_spaces: per agent.
        state_space: the space of :meth:`state`.
        types: the current type profile, shape (n,).
        messages: the messages sent so far, shape (n,) (``-1`` where not sent yet).
    """

    def __init__(self, game: StackelbergGame):
        self.game = game
        spec = game.spec
        self.n = spec.n_followers
        self.followers = [follower_name(i) for i in range(self.n)]
        self.agents = [LEADER, *self.followers]
        leader_obs = spec.observation_space
        self.observation_spaces: dict[str, gym.Space[Any]] = {LEADER: leader_obs}
        self.action_spaces: dict[str, gym.Space[Any]] = {LEADER: spec.action_space}
        for name, k, m in zip(self.followers, spec.n_types, spec.n_messages, strict=True):
            self.observation_spaces[name] = gym.spaces.Box(0.0, 1.0, (k,), np.float32)
            self.action_spaces[name] = gym.spaces.Discrete(m)
        one_hots = sum(spec.n_types) + sum(spec.n_messages)
        self.state_space = gym.spaces.Box(
            np.concatenate([np.zeros(one_hots, np.float32), leader_obs.low]),
            np.concatenate([np.ones(one_hots, np.float32), leader_obs.high]),
            dtype=np.float32,
        )
        self.rng = StreamBatch(1)
        self.plays = game.new_plays(1)
        self.types = np.zeros(self.n, np.intp)
        self.messages = np.full(self.n, -1, np.intp)
        self.started = False

    def reset(self, seed: int | None, seeded: bool) -> None:
        """Draw a new type profile: from the stream of ``seed`` if given; else continue the
        stream if it was ever ``seeded``, or seed it from fresh OS entropy."""
        if seed is not None or not seeded:
            if seed is None:
                seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0])
            self.rng.seed(_ROW, np.array([key_from_seed(seed)], np.uint64))
        self.types = self.game.types.sample(self.rng.uniform(_ROW, 1)[:, 0])[0]
        self.messages = np.full(self.n, -1, np.intp)
        self.started = False

    def send(self, i: int, message: Any) -> None:
        """Follower ``i`` sends ``message``; the play starts once every follower has sent."""
        self.messages[i] = self.check_message(i, message)
        if (self.messages >= 0).all():
            self.game.start(self.plays, _ROW, self.types[None], self.messages[None])
            self.started = True

    def check_message(self, i: int, message: Any) -> int:
        """``message`` as an int if it is a valid message of follower ``i``, else ValueError."""
        m = self.game.spec.n_messages[i]
        a = np.asarray(message)
        if a.shape != () or a.dtype.kind not in "iu" or not 0 <= int(a) < m:
            raise ValueError(
                f"agent {follower_name(i)!r}: action must be an integer message in "
                f"[0, {m - 1}] (Discrete({m})), got {message!r}"
            )
        return int(a)

    def lead(self, action: Any) -> bool:
        """One leader step with ``action``; return whether the play is over."""
        try:
            batch_action = self.game.check_action(self.game.spec.action_check.as_batch(action))
        except ValueError as error:  # every message names the action space
            raise ValueError(f"agent {LEADER!r}: {error}") from None
        return bool(self.game.step(self.plays, batch_action)[0])

    def rewards(self) -> dict[str, float]:
        """Every agent's utility of the finished play."""
        leader, followers = self.game.utilities(self.plays, _ROW)
        out = {LEADER: float(leader[0])}
        out.update({name: float(u) for name, u in zip(self.followers, followers[0], strict=True)})
        return out

    def observe(self, agent: str) -> NDArray[np.float32]:
        """``agent``'s observation: its one-hot type, or the leader's observation."""
        if agent == LEADER:
            if not self.started:
                return self.observation_spaces[LEADER].low.copy()
            return self.game.observe(self.plays)[0].astype(np.float32)
        i = self.followers.index(agent)
        return one_hot(self.types[i], self.game.spec.n_types[i])

    def state(self) -> NDArray[np.float32]:
        """Types (one-hot), messages (one-hot, zeros until sent), the leader's observation."""
        spec = self.game.spec
        parts = [one_hot(t, k) for t, k in zip(self.types, spec.n_types, strict=True)]
        parts += [one_hot(m, k) for m, k in zip(self.messages, spec.n_messages, strict=True)]
        return np.concatenate([*parts, self.observe(LEADER)])

    def render(self) -> str:
        """A one-line text picture of the play."""
        return (
            f"{self.game.spec.name} | types={self.types.tolist()} "
            f"messages={self.messages.tolist()} | leader observation={self.observe(LEADER)}"
        )


class _Views:
    """What the AEC and the parallel adapter share: construction, spaces, state, rendering."""

    #: not ``is_parallelizable``: the AEC turn order is not a cycle (use the native parallel env)
    metadata: dict[str, Any] = {"render_modes": ["ansi"], "is_parallelizable": False}

    def _build(self, game: str, name: str, render_mode: str | None, params: dict[str, Any]):
        self.render_mode = check_render_mode(render_mode, type(self).metadata["render_modes"])
        self.name = name
        self.metadata = {**type(self).metadata, "name": pettingzoo_name(name)}
        self.play = OnePlay(make_game(game, **params))
        self.possible_agents = list(self.play.agents)
        self.observation_spaces = self.play.observation_spaces
        self.action_spaces = self.play.action_spaces
        self.state_space = self.play.state_space
        self._seeded = False

    def _new_play(self, seed: int | None) -> None:
        self.play.reset(seed, self._seeded)
        self._seeded = True
        self.agents = list(self.possible_agents)

    def observation_space(self, agent: str) -> gym.Space[Any]:
        """The observation space of ``agent``."""
        return self.observation_spaces[agent]

    def action_space(self, agent: str) -> gym.Space[Any]:
        """The action space of ``agent``."""
        return self.action_spaces[agent]

    def state(self) -> NDArray[np.float32]:
        """The full state (see :meth:`OnePlay.state`)."""
        return self.play.state()

    def render(self) -> str | None:
        """With ``render_mode="ansi"``, a text picture of the play."""
        return self.play.render() if self.render_mode == "ansi" else None

    def close(self) -> None:
        """Nothing to release."""

    def __str__(self) -> str:
        """The registry id (``metadata["name"]`` holds it in PettingZoo's form)."""
        return self.name


class StackelbergAECEnv(_Views, AECEnv):
    """AEC view of one play: followers send their messages in turn, then the leader acts
    until the play ends (see the module docstring).

    Args:
        game: a key of :data:`econ_envs.games.GAMES`.
        name: the name shown by ``str(env)`` (the registry id); ``metadata["name"]`` is it in
            PettingZoo's form (``econ_envs/MSPM-v0`` -> ``mspm_v0``).
        render_mode: ``None`` or ``"ansi"``.
        **game_params: the game's own keywords.
    """

    def __init__(
        self,
        game: str,
        name: str = "econ_envs",
        render_mode: str | None = None,
        **game_params: Any,
    ):
        super().__init__()
        self._build(game, name, render_mode, game_params)

    def reset(self, seed: int | None = None, options: dict[str, Any] | None = None) -> None:
        """Start a new play with fresh types; the first follower is selected."""
        self._new_play(seed)
        self.rewards = dict.fromkeys(self.agents, 0.0)
        self._cumulative_rewards = dict.fromkeys(self.agents, 0.0)
        self.terminations = dict.fromkeys(self.agents, False)
        self.truncations = dict.fromkeys(self.agents, False)
        self.infos = {agent: {} for agent in self.agents}
        self._skip_agent_selection = None
        self.agent_selection = self.play.followers[0]

    def observe(self, agent: str) -> NDArray[np.float32]:
        """``agent``'s current observation."""
        return self.play.observe(agent)

    def step(self, action: Any) -> None:
        """The selected agent acts: a follower sends its message, the leader takes a step.

        Raises:
            ResetNeeded: (a ``RuntimeError``) before the first :meth:`reset`, or once every
                agent of the finished play is gone.
        """
        if not self._seeded or not self.agents:
            raise reset_needed(self, self._seeded, "play")
        agent = self.agent_selection
        if self.terminations[agent] or self.truncations[agent]:
            self._was_dead_step(action)
            return
        self._cumulative_rewards[agent] = 0.0
        self._clear_rewards()
        if agent == LEADER:
            if self.play.lead(action):
                self.rewards.update(self.play.rewards())
                self.terminations = dict.fromkeys(self.agents, True)
                self._accumulate_rewards()
                self._deads_step_first()
            return
        i = self.play.followers.index(agent)
        self.play.send(i, action)
        self.agent_selection = LEADER if self.play.started else self.play.followers[i + 1]


class StackelbergParallelEnv(_Views, ParallelEnv):
    """Parallel view of one play. Step 0: every follower sends its message (required) and the
    leader's action, if any, is ignored; every later step: the leader acts (required) and the
    followers' actions, if any, are ignored. When the play ends every agent gets its reward and
    is terminated (keywords as :class:`StackelbergAECEnv`)."""

    def __init__(
        self,
        game: str,
        name: str = "econ_envs",
        render_mode: str | None = None,
        **game_params: Any,
    ):
        self._build(game, name, render_mode, game_params)

    def reset(
        self, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, NDArray[np.float32]], dict[str, dict[str, Any]]]:
        """Start a new play with fresh types."""
        self._new_play(seed)
        return self._observations(), {agent: {} for agent in self.agents}

    def step(self, actions: dict[str, Any]) -> tuple[dict[str, Any], ...]:
        """Messages at step 0, then leader steps (see the class docstring).

        Raises:
            TypeError: naming ``actions``, if it is not a dict keyed by agent.
            ResetNeeded: (a ``RuntimeError``) before the first :meth:`reset` or after the play.
        """
        if not isinstance(actions, Mapping):
            agents = ", ".join(map(repr, self.possible_agents))
            raise KeywordTypeError(
                f"actions must be a dict keyed by agent ({agents}), got {type(actions).__name__}"
            )
        if not self._seeded or not self.agents:
            raise reset_needed(self, self._seeded, "play")
        rewards = dict.fromkeys(self.agents, 0.0)
        finished = self._lead(actions) if self.play.started else self._send_messages(actions)
        if finished:
            rewards.update(self.play.rewards())
        observations = self._observations()
        terminations = dict.fromkeys(self.agents, finished)
        truncations = dict.fromkeys(self.agents, False)
        infos: dict[str, dict[str, Any]] = {agent: {} for agent in self.agents}
        if finished:
            self.agents = []
        return observations, rewards, terminations, truncations, infos

    def _send_messages(self, actions: dict[str, Any]) -> bool:
        play = self.play
        missing = [agent for agent in play.followers if agent not in actions]
        if missing:
            raise ValueError(f"step 0 needs a message from every follower; missing {missing}")
        checked = [play.check_message(i, actions[a]) for i, a in enumerate(play.followers)]
        for i, message in enumerate(checked):
            play.send(i, message)
        return False

    def _lead(self, actions: dict[str, Any]) -> bool:
        if LEADER not in actions:
            raise ValueError(f"after step 0 the leader must act; got actions for {list(actions)}")
        return self.play.lead(actions[LEADER])

    def _observations(self) -> dict[str, NDArray[np.float32]]:
        return {agent: self.play.observe(agent) for agent in self.possible_agents}
