"""Run one fuzz case of :mod:`tests.envs.fuzz_cases` within a time and memory bound and judge it
(issue 12).

A constructor case is **clean** when it builds an env that resets and steps with sampled valid
actions (finite observations, rewards and privileged state, finite ``Box`` bounds), or raises a
``ValueError``/``TypeError`` whose message names the offending keyword. A step case is clean when
the env raises a ``ValueError``/``TypeError`` that speaks of the action (``action``/``actions``,
or the agent concerned) and not of the internal batch shape, or (for actions that may be
accepted) steps to finite outputs; a step at the wrong time must raise an error that says to call
``reset``. Everything else is **bad**: a must-reject value silently accepted, an unclear message,
another exception, a ``MemoryError``, more work than the budget, or a hang.

The bound is in-process and counts, not times, so a verdict does not depend on how busy the
machine is: the address space may grow by :data:`LIMIT_MB` at most (``RLIMIT_AS``, restored
afterwards), and the case may make :data:`LIMIT_CALLS` Python and C function calls at most
(counted by a profile hook, :func:`sys.setprofile`). Each call does a bounded amount of work on
a bounded amount of memory, so together they bound the work of a case that an accepted size
makes too large (what a size guard must refuse). A ``SIGALRM`` after :data:`HANG_SECONDS` only
stops a hang that makes no calls (Linux, main thread only); no case comes near it.
"""

from __future__ import annotations

import re
import resource
import signal
import sys
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np

from econ_envs import pettingzoo as pz
from econ_envs.registry import AMA, entry
from tests.envs.fuzz_actions import (
    AFTER_END,
    BATCH_MUTATIONS,
    BEFORE_RESET,
    DICT_MUTATIONS,
    MOMENTS,
    MUTATIONS,
    ROW_MUTATIONS,
    UNWRAPPED_BEFORE_RESET,
    StepCase,
)
from tests.envs.fuzz_cases import MAKE, MAKE_VEC, NUM_ENVS, PZ_AEC, PZ_PARALLEL, ConstructorCase
from tests.envs.fuzz_exercise import exercise, nonfinite, outputs, valid_dict

#: the most a case may use: MiB of new address space, and function calls (Python and C, as the
#: profile hook sees them). Most drawn examples of ``test_fuzz.py`` make at most about 54,000
#: building an env and stepping it; a vector env makes a few calls per env (its random streams),
#: so ``make_vec(MessageAllocation, num_envs=418577)``, an accepted size, makes 3.8 million to
#: build and reset
LIMIT_MB = 512
LIMIT_CALLS = 20_000_000
#: a case still running after this many seconds of wall clock is hung (a bound on a hang only)
HANG_SECONDS = 300.0

VALID, CLEAR_ERROR = "valid env", "clear error"
ACCEPTED, UNCLEAR, OTHER = "silently accepted", "unclear message", "other exception"
MEMORY, TIMEOUT, BROKEN = "MemoryError", "timeout", "accepted but broken"
WORK = "too much work"
CLEAN = (VALID, CLEAR_ERROR)
#: a name quoted twice, as ``sorted(map(repr, names))`` prints it: ``["'mw'", "'logit'"]``
DOUBLED_QUOTES = re.compile(r"\"'[^'\"]*'\"")


class FuzzTimeout(BaseException):
    """Raised by the alarm when a case runs past :data:`HANG_SECONDS` (a ``BaseException``,
    so the code under test cannot turn it into one of its own errors)."""


class FuzzOverBudget(BaseException):
    """Raised by the profile hook at call :data:`LIMIT_CALLS` + 1 (a ``BaseException``, like
    :class:`FuzzTimeout`)."""


@dataclass(frozen=True)
class Outcome:
    """The judged result of one case: a verdict and what happened."""

    verdict: str
    detail: str = ""

    @property
    def clean(self) -> bool:
        """Whether the suite behaved as issue 12 requires."""
        return self.verdict in CLEAN


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _alarm(signum: int, frame: Any) -> None:
    raise FuzzTimeout


def _call_counter(limit: int) -> Any:
    """A profile hook that raises :class:`FuzzOverBudget` at call ``limit + 1`` (it counts
    calls of Python and C functions, not their returns)."""
    calls = 0

    def hook(frame: Any, event: str, arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1
            if calls > limit:
                raise FuzzOverBudget

    return hook


@contextmanager
def bounded() -> Iterator[None]:
    """Run the block with at most :data:`LIMIT_MB` MiB of new address space (a larger
    allocation raises ``MemoryError``) and :data:`LIMIT_CALLS` function calls (then
    :class:`FuzzOverBudget`); after :data:`HANG_SECONDS` of wall clock, :class:`FuzzTimeout`."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + LIMIT_MB * 2**20
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    previous = signal.signal(signal.SIGALRM, _alarm)
    profile = sys.getprofile()
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    sys.setprofile(_call_counter(LIMIT_CALLS))
    try:
        yield
    finally:
        sys.setprofile(profile)
        signal.setitimer(signal.ITIMER_REAL, 0)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.signal(signal.SIGALRM, previous)


def build(adapter: str, env_id: str, kwargs: Mapping[str, Any]) -> Any:
    """``env_id`` with ``kwargs`` through ``adapter`` (vector envs: :data:`NUM_ENVS` wide
    unless ``kwargs`` says)."""
    if adapter == MAKE:
        return gym.make(env_id, **kwargs)
    if adapter == MAKE_VEC:
        return gym.make_vec(env_id, **{"num_envs": NUM_ENVS, **kwargs})
    if adapter == PZ_AEC:
        return pz.env(env_id, **kwargs)
    return pz.parallel_env(env_id, **kwargs)


# ----------------------------------------------------------------------------------------------
# messages


def names_any(message: str, names: tuple[str, ...]) -> bool:
    """Whether ``message`` names one of ``names`` as a whole word."""
    return any(re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", message) for n in names)


def _failure(error: BaseException) -> Outcome | None:
    """The verdict of an error that is bad whatever the case (work, hang, memory, other type)."""
    if isinstance(error, FuzzOverBudget):
        return Outcome(WORK, f"more than {LIMIT_CALLS:,} function calls")
    if isinstance(error, FuzzTimeout):
        return Outcome(TIMEOUT, f"hung: more than {HANG_SECONDS:g} s")
    if isinstance(error, MemoryError):
        return Outcome(MEMORY, f"more than {LIMIT_MB} MiB: {error}"[:300])
    if not isinstance(error, ValueError | TypeError):
        return Outcome(OTHER, f"{type(error).__name__}: {error}"[:300])
    return None


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def judge_error(error: BaseException, names: tuple[str, ...]) -> Outcome:
    """A constructor's error: clean if a ``ValueError``/``TypeError`` names one of ``names``
    and lists allowed values once (no doubled quotes such as ``"'mw'"``)."""
    failure = _failure(error)
    if failure is not None:
        return failure
    message = str(error)
    if not names_any(message, names):
        return Outcome(UNCLEAR, f"does not name {' or '.join(names)}: {_describe(error)}")
    if DOUBLED_QUOTES.search(message):
        return Outcome(UNCLEAR, f"doubled quotes: {_describe(error)}")
    return Outcome(CLEAR_ERROR, _describe(error))


# ----------------------------------------------------------------------------------------------
# constructor cases


def judge_constructor(case: ConstructorCase) -> Outcome:
    """Build ``case`` within the bound and judge what happened."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with bounded():
                env = build(case.adapter, case.env_id, case.kwargs)
        except BaseException as error:  # judged: every exception is an outcome
            if isinstance(error, KeyboardInterrupt):
                raise
            return judge_error(error, case.names)
        if case.must_reject:
            return Outcome(ACCEPTED, f"built {env}")
        try:
            with bounded():
                problem = exercise(case.adapter, env)
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt):
                raise
            if isinstance(error, FuzzTimeout | FuzzOverBudget | MemoryError):
                return _failure(error)
            return Outcome(BROKEN, f"then failed: {_describe(error)}")
        return Outcome(BROKEN, problem) if problem else Outcome(VALID)


# ----------------------------------------------------------------------------------------------
# step cases


@dataclass
class _Prepared:
    env: Any
    action: Any
    #: the shape of the action as the user passes it, for a single-agent action (else None)
    shape: tuple[int, ...] | None


def _element(space: gym.Space[Any], mutation: str, seed: int = 0) -> Any:
    space.seed(seed)
    return MUTATIONS[mutation].make(space, space.sample())


def _batch(env: Any, mutation: str) -> Any:
    env.action_space.seed(0)
    batch = env.action_space.sample()
    if mutation in BATCH_MUTATIONS:
        return BATCH_MUTATIONS[mutation].make(env.action_space, batch)
    space, make = env.single_action_space, MUTATIONS[mutation].make
    if mutation in ROW_MUTATIONS:  # spoil row 1 only
        out = np.array(batch, np.float64)
        out[1] = make(space, batch[1])
        return out
    if mutation in ("None", "as a list"):
        return make(env.action_space, batch)
    return np.stack([np.asarray(make(space, row)) for row in batch])


def _play_to(env: Any, agent: str) -> None:
    """Step the AEC env with valid actions until ``agent`` is selected."""
    for seed in range(100):
        if env.agent_selection == agent:
            return
        space = env.action_space(env.agent_selection)
        space.seed(seed)
        env.step(space.sample())
    raise RuntimeError(f"{agent} was never selected")


def _finish(adapter: str, env: Any) -> None:
    """Play ``env`` (reset) with valid actions until its episode or play is over."""
    for seed in range(10_000):
        if adapter == PZ_PARALLEL:
            if not env.agents:
                return
            env.step(valid_dict(env, env.agents, seed))
        else:
            _, _, terminated, truncated, _ = env.step(env.action_space.sample())
            if terminated or truncated:
                return
    raise RuntimeError("the episode did not end")


def prepare(case: StepCase) -> _Prepared:
    """Build the env of ``case``, bring it to the moment of the step and make the action."""
    adapter, mutation = case.adapter, case.mutation
    kwargs = dict(case.env_kwargs)
    if mutation == AFTER_END and adapter == MAKE and entry(case.env_id).family != AMA:
        kwargs.update(response_iterations=0, reward_plays=1)  # a short episode
    env = build(adapter, case.env_id, kwargs)
    if mutation in (BEFORE_RESET, UNWRAPPED_BEFORE_RESET):
        if adapter == PZ_PARALLEL:
            return _Prepared(env, valid_dict(env, env.possible_agents, 0), None)
        if adapter == PZ_AEC:
            return _Prepared(env, env.action_space(env.possible_agents[-1]).sample(), None)
        target = env.unwrapped if mutation == UNWRAPPED_BEFORE_RESET else env
        return _Prepared(target, env.action_space.sample(), None)
    env.reset(seed=0)
    if adapter in (MAKE, MAKE_VEC):
        env.action_space.seed(0)
    if mutation == AFTER_END:
        _finish(adapter, env)
        if adapter == PZ_PARALLEL:
            return _Prepared(env, valid_dict(env, env.possible_agents, 0), None)
        return _Prepared(env, env.action_space.sample(), None)
    if adapter == MAKE:
        action = _element(env.action_space, mutation)
        return _Prepared(env, action, np.shape(action))
    if adapter == MAKE_VEC:
        return _Prepared(env, _batch(env, mutation), None)
    if adapter == PZ_AEC:
        _play_to(env, case.agent)
        action = _element(env.action_space(case.agent), mutation)
        return _Prepared(env, action, np.shape(action))
    actions = valid_dict(env, env.agents, 0)
    if mutation in DICT_MUTATIONS:
        return _Prepared(env, DICT_MUTATIONS[mutation].make(None, actions), None)
    if case.agent == "leader":  # the leader acts from step 1 (its step-0 action is ignored)
        env.step(actions)
        actions = valid_dict(env, env.agents, 1)
    actions[case.agent] = _element(env.action_space(case.agent), mutation)
    return _Prepared(env, actions, None)


def _step(adapter: str, env: Any, action: Any) -> Any:
    result = env.step(action)
    return env.last() if adapter == PZ_AEC and env.agents else result


def judge_step_error(case: StepCase, error: BaseException, shape: tuple[int, ...] | None):
    """A step's error: see the module docstring."""
    if case.mutation in MOMENTS:
        if isinstance(error, FuzzTimeout | FuzzOverBudget | MemoryError | AttributeError):
            return _failure(error) or Outcome(OTHER, _describe(error))
        if "reset" in str(error).lower():
            return Outcome(CLEAR_ERROR, _describe(error))
        return Outcome(UNCLEAR, f"does not say to reset: {_describe(error)}")
    failure = _failure(error)
    if failure is not None:
        return failure
    message = str(error)
    names = ("action", "actions", *((case.agent,) if case.agent else ()))
    if case.mutation in DICT_MUTATIONS:
        names += ("follower_0",)
    if not names_any(message.lower(), names):
        return Outcome(UNCLEAR, f"does not speak of the action: {_describe(error)}")
    if shape is not None and str((1, *shape)) in message:
        return Outcome(UNCLEAR, f"internal batch shape {(1, *shape)}: {_describe(error)}")
    return Outcome(CLEAR_ERROR, _describe(error))


def judge_step(case: StepCase) -> Outcome:
    """Run the step of ``case`` within the bound and judge what happened."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with bounded():
                prepared = prepare(case)
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt):
                raise
            return Outcome(BROKEN, f"could not set up the step: {_describe(error)}")
        try:
            with bounded():
                result = _step(case.adapter, prepared.env, prepared.action)
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt):
                raise
            return judge_step_error(case, error, prepared.shape)
    if case.must_reject:
        return Outcome(ACCEPTED, f"stepped with {prepared.action!r}"[:300])
    if nonfinite(outputs(case.adapter, prepared.env, result)):
        return Outcome(BROKEN, "non-finite outputs")
    return Outcome(VALID)


def judge(case: ConstructorCase | StepCase) -> Outcome:
    """The outcome of any fuzz case."""
    if isinstance(case, ConstructorCase):
        return judge_constructor(case)
    return judge_step(case)
