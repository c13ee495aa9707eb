"""Fuzz of every registered id through every adapter (issue 12).

Bad keyword values (wrong types, extremes, unknown names) and bad actions (wrong shape, dtype,
NaN, out of bounds, wrong batch, wrong moment) must get a ``ValueError``/``TypeError`` naming the
keyword (or the action), or build an env that works; never another exception, more than
``fuzz_judge.LIMIT_CALLS`` function calls or more than ``fuzz_judge.LIMIT_MB`` MiB (the rules
are in ``fuzz_judge``: counts, not seconds). Hypothesis draws from the fixed catalog of
``fuzz_cases`` and from generated values; the ``ci`` profile of ``conftest.py`` derandomizes it.
``bench/fuzz.py`` runs a larger fixed sample and counts.
"""

from __future__ import annotations

import functools
import inspect
import math
import resource
import signal
import sys
from types import MappingProxyType
from typing import Any

import gymnasium as gym
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from econ_envs.registry import ids
from tests.envs import fuzz_judge
from tests.envs.fuzz_actions import (
    AFTER_END,
    BEFORE_RESET,
    UNWRAPPED_BEFORE_RESET,
    StepCase,
    step_cases,
)
from tests.envs.fuzz_cases import (
    MAKE,
    MAKE_VEC,
    PZ_AEC,
    PZ_PARALLEL,
    ConstructorCase,
    all_pairs,
    constructor_cases,
    keyword_kinds,
    make_case,
)
from tests.envs.fuzz_judge import (
    ACCEPTED,
    CLEAR_ERROR,
    MEMORY,
    OTHER,
    TIMEOUT,
    UNCLEAR,
    VALID,
    WORK,
    judge,
)
from tests.envs.fuzz_values import BOOL, CHOICE, FLOAT, INT, PAIR, Draw

PAIRS = all_pairs()
#: examples per (id, adapter): 43 pairs, a few ms per example, the whole file well under 60 s
CONSTRUCTOR_EXAMPLES = 40
STEP_EXAMPLES = 25
#: the cases are single bad keywords or actions already: no shrinking (a case over the work
#: budget would be retried for many times its bound)
FUZZ_SETTINGS = settings(
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: keywords the adapters themselves take (``gym.make``'s, ``gym.make_vec``'s, the id argument)
ADAPTER_KEYWORDS = frozenset(
    [*inspect.signature(gym.make).parameters, *inspect.signature(gym.make_vec).parameters]
) | {"env_id"}


def _assert_clean(case: ConstructorCase | StepCase) -> None:
    outcome = judge(case)
    assert outcome.clean, f"{case} -> {outcome.verdict}: {outcome.detail}"


def _generated(env_id: str, adapter: str, name: str, kind: str) -> st.SearchStrategy[Any]:
    """Generated values for keyword ``name``: any int (negative ones must be rejected), any
    float (non-finite ones must be), any text ending in ``?`` (never a choice), any int for a
    flag."""

    def case(value: Any, must_reject: bool) -> ConstructorCase:
        draw = Draw(value, repr(value), f"generated {kind}", must_reject)
        return make_case(env_id, adapter, {name: value}, (name,), draw, name)

    if kind == INT:
        return st.integers(-(2**70), 2**70).map(lambda v: case(v, v < 0))
    if kind == FLOAT:
        return st.floats().map(lambda v: case(v, not math.isfinite(v)))
    if kind == CHOICE:
        # no quotes: a message quoting the value must not look like a doubled-quote list
        text = st.text(st.characters(exclude_characters="'\"\\"), max_size=8)
        return text.map(lambda v: case(v + "?", True))
    if kind == BOOL:
        return st.integers(-3, 3).map(lambda v: case(v, True))
    return st.nothing()


@functools.cache
def constructor_strategy(env_id: str, adapter: str) -> st.SearchStrategy[ConstructorCase]:
    """The catalog's constructor cases, generated values and generated unknown keyword names."""
    kinds = keyword_kinds(env_id, adapter)
    unknown = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True).filter(
        lambda n: n not in kinds and n not in ADAPTER_KEYWORDS
    )
    stranger = unknown.map(
        lambda n: make_case(
            env_id, adapter, {n: 1}, (n,), Draw(1, "1", "generated unknown name", True), n
        )
    )
    generated = [_generated(env_id, adapter, name, kind) for name, kind in kinds.items()]
    return st.one_of(st.sampled_from(constructor_cases(env_id, adapter)), stranger, *generated)


@functools.cache
def step_strategy(env_id: str, adapter: str) -> st.SearchStrategy[StepCase]:
    """The catalog's step cases of ``env_id`` through ``adapter``."""
    return st.sampled_from(step_cases(env_id, adapter))


@pytest.mark.parametrize(("env_id", "adapter"), PAIRS)
@settings(FUZZ_SETTINGS, max_examples=CONSTRUCTOR_EXAMPLES)
@given(data=st.data())
def test_bad_keywords_get_a_clear_error_or_a_working_env(env_id, adapter, data):
    _assert_clean(data.draw(constructor_strategy(env_id, adapter), label="case"))


@pytest.mark.parametrize(("env_id", "adapter"), PAIRS)
@settings(FUZZ_SETTINGS, max_examples=STEP_EXAMPLES)
@given(data=st.data())
def test_bad_actions_get_a_clear_error(env_id, adapter, data):
    _assert_clean(data.draw(step_strategy(env_id, adapter), label="case"))


# ----------------------------------------------------------------------------------------------
# the examples of issue 12, through the same judge


def _keyword(adapter: str, env_id: str, must_reject: bool, **kwargs: Any) -> ConstructorCase:
    draw = Draw(None, "issue 12", "issue example", must_reject)
    return make_case(env_id, adapter, kwargs, tuple(kwargs), draw, ", ".join(kwargs))


def _step(adapter: str, env_id: str, mutation: str, agent: str | None = None) -> StepCase:
    return StepCase(adapter, env_id, MappingProxyType({}), mutation, agent)


MSPM, AGRAWAL, SALES = (
    "econ_envs/MSPM-v0",
    "econ_envs/MSPM-Agrawal-v0",
    "econ_envs/SequentialSales-v0",
)
ISSUE_EXAMPLES = [
    _keyword(MAKE, "econ_envs/Maintain-v0", True, mixed="False"),
    _keyword(MAKE, MSPM, True, privileged_state=2),
    _keyword(MAKE_VEC, MSPM, True, privileged_state=2),
    _keyword(MAKE, MSPM, True, max_price="1.0"),
    _keyword(MAKE, MSPM, True, max_price=True),
    _keyword(MAKE, MSPM, False, max_price=1e39),  # accepted only with finite action bounds
    _keyword(MAKE, AGRAWAL, True, n_agents=-1),
    _keyword(MAKE, AGRAWAL, True, n_messages="x"),
    _keyword(PZ_AEC, AGRAWAL, True, n_agents=-1),
    _keyword(MAKE, MSPM, True, game="NormalForm"),
    _keyword(PZ_PARALLEL, MSPM, True, game="NormalForm"),
    _keyword(MAKE, SALES, True, domain="TaskScheduling"),
    _keyword(MAKE, MSPM, False, n_messages=10**5),
    _keyword(MAKE, MSPM, False, n_agents=25),
    _keyword(MAKE, SALES, False, n_items=10**9),
    _keyword(MAKE, MSPM, True, render_mode=5),
    _keyword(MAKE, MSPM, True, dynamics=["mw"]),
    _keyword(MAKE, MSPM, True, dynamics="fictitious"),  # and the allowed names without "'mw'"
    _keyword(MAKE, MSPM, True, dynamics_kwargs=["eps", 0.1]),
    _keyword(MAKE, "econ_envs/LaneCoordination-v0", False, dynamics_kwargs={"rationality": 1e308}),
]
ISSUE_STEPS = [
    _step(MAKE_VEC, MSPM, "a batch of 1"),
    _step(MAKE_VEC, MSPM, "a batch of 2"),
    *(_step(adapter, MSPM, BEFORE_RESET) for adapter in (MAKE, MAKE_VEC, PZ_AEC, PZ_PARALLEL)),
    _step(MAKE, MSPM, UNWRAPPED_BEFORE_RESET),
    _step(MAKE, SALES, AFTER_END),
    _step(MAKE, SALES, "bool"),
    _step(MAKE, SALES, "complex"),
    _step(MAKE, MSPM, "one entry long"),  # the message shows (4,), not (1, 4)
]


@pytest.mark.parametrize("case", ISSUE_EXAMPLES + ISSUE_STEPS, ids=str)
def test_issue_examples(case):
    _assert_clean(case)


# ----------------------------------------------------------------------------------------------
# the judge itself: known outcomes of made-up constructors


def _fake_case(must_reject: bool = True) -> ConstructorCase:
    draw = Draw(-1, "-1", "negative", must_reject)
    return make_case(MSPM, MAKE, {"n_agents": -1}, ("n_agents",), draw, "n_agents")


def _judged(monkeypatch: pytest.MonkeyPatch, build, must_reject: bool = True):
    monkeypatch.setattr(fuzz_judge, "build", build)
    return judge(_fake_case(must_reject))


def _raise(error: BaseException):
    def build(*args: Any) -> Any:
        raise error

    return build


def test_judge_accepts_an_error_naming_the_keyword(monkeypatch):
    outcome = _judged(monkeypatch, _raise(ValueError("n_agents must be >= 1, got -1")))
    assert outcome.verdict == CLEAR_ERROR


@pytest.mark.parametrize(
    "message",
    ["must be >= 1, got -1", "n_agents_total must be >= 1", """n_agents must be one of ["'a'"]"""],
)
def test_judge_flags_unclear_messages(monkeypatch, message):
    assert _judged(monkeypatch, _raise(TypeError(message))).verdict == UNCLEAR


def test_judge_flags_other_exceptions(monkeypatch):
    outcome = _judged(monkeypatch, _raise(KeyError("n_agents")))
    assert (outcome.verdict, outcome.detail) == (OTHER, "KeyError: 'n_agents'")


def test_judge_flags_a_silently_accepted_value(monkeypatch):
    env = gym.make(MSPM)
    assert _judged(monkeypatch, lambda *args: env).verdict == ACCEPTED
    assert _judged(monkeypatch, lambda *args: env, must_reject=False).verdict == VALID


def test_judge_bounds_memory_and_restores_the_limit(monkeypatch):
    before = resource.getrlimit(resource.RLIMIT_AS)
    too_big = (fuzz_judge.LIMIT_MB + 64) * 2**20
    outcome = _judged(monkeypatch, lambda *args: np.ones(too_big, np.uint8))
    assert outcome.verdict == MEMORY
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert _judged(monkeypatch, lambda *args: np.ones(2**20, np.uint8)).verdict == ACCEPTED


def test_judge_bounds_work_by_counting_calls_and_restores_the_profiler(monkeypatch):
    monkeypatch.setattr(fuzz_judge, "LIMIT_CALLS", 1000)
    profile = sys.getprofile()

    def calls(n: int) -> Any:
        def build(*args: Any) -> Any:
            for _ in range(n):
                abs(-1)

        return build

    outcome = _judged(monkeypatch, calls(1001))
    assert (outcome.verdict, outcome.detail) == (WORK, "more than 1,000 function calls")
    assert sys.getprofile() is profile
    assert _judged(monkeypatch, calls(990)).verdict == ACCEPTED  # 990 + the judge's own calls
    assert sys.getprofile() is profile


def test_judge_stops_a_hang_and_restores_the_alarm(monkeypatch):
    # a loop that makes no calls is not counted: the alarm (long in the fuzz) stops it
    monkeypatch.setattr(fuzz_judge, "HANG_SECONDS", 0.05)
    handler = signal.getsignal(signal.SIGALRM)

    def spin(*args: Any) -> None:
        while True:
            pass

    assert _judged(monkeypatch, spin).verdict == TIMEOUT
    assert signal.getsignal(signal.SIGALRM) == handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_every_keyword_has_a_known_kind():
    """The catalog reads each constructor's signature: a keyword of a new kind must be added to
    the fuzz, not skipped."""
    for env_id, adapter in PAIRS:
        assert keyword_kinds(env_id, adapter)  # raises KeyError for an unknown annotation
    kinds = keyword_kinds(MSPM, MAKE_VEC)
    assert (kinds["n_agents"], kinds["max_price"], kinds["privileged_state"]) == (INT, FLOAT, BOOL)
    assert (kinds["num_envs"], kinds["objective"], kinds["dynamics"]) == (INT, CHOICE, CHOICE)
    assert keyword_kinds(SALES, MAKE)["weight_bounds"] == PAIR
    assert "dynamics" not in keyword_kinds(MSPM, PZ_AEC)


def test_every_id_and_adapter_has_cases():
    assert {env_id for env_id, _ in PAIRS} == set(ids())
    assert [a for env_id, a in PAIRS if env_id == MSPM] == [MAKE, MAKE_VEC, PZ_AEC, PZ_PARALLEL]
    assert [a for env_id, a in PAIRS if env_id == SALES] == [MAKE]
    for env_id, adapter in PAIRS:
        cases = constructor_cases(env_id, adapter)
        assert any(c.must_reject for c in cases) and any(not c.must_reject for c in cases)
        assert {c.category for c in step_cases(env_id, adapter)} >= {"value", "dtype", "order"}
