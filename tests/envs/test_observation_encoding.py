"""The leader's observation is declared once per game (``ObservationEncoding``); ``observe``,
``observation_index`` and ``observation_vectors`` agree, and the conformance check proves it.
Every game also says what each observation and action entry means, every AMA domain what each
state and action is (the documentation's space tables read them)."""

from __future__ import annotations

import dataclasses

import gymnasium as gym
import numpy as np
import pytest

from econ_envs.games import make_game
from econ_envs.games.base import action_size
from econ_envs.games.message_allocation import MessageAllocation
from econ_envs.games.mspm import MSPM
from econ_envs.games.observation import (
    ObservationEncoding,
    ObservedField,
    flag_column,
    one_hot_columns,
)
from econ_envs.registry import AMA, ENTRIES, STACKELBERG
from econ_envs.testing import check_env_id, check_observations

STACKELBERG_IDS = [e.id for e in ENTRIES if e.family == STACKELBERG]


@pytest.mark.parametrize("env_id", STACKELBERG_IDS)
def test_every_game_round_trips(env_id):
    check_observations(env_id, seed=1)


@pytest.mark.parametrize(
    ("env_id", "kwargs"),
    [
        ("econ_envs/MSPM-v0", {"n_agents": 3, "n_items": 2, "n_messages": 3}),
        ("econ_envs/MSPM-v0", {"n_items": 3, "n_types": 2, "max_price": 2.0}),
        ("econ_envs/MessageAllocation-v0", {"n_messages": 2}),
    ],
)
def test_other_sizes_round_trip(env_id, kwargs):
    check_observations(env_id, seed=2, **kwargs)


def test_shifted_index_fails_the_conformance_check(monkeypatch):
    """The issue's mutation: MessageAllocation's index (message + 1) % M passed every env test."""

    def shifted(self, plays):
        return (plays.message + 1) % self.n_messages

    monkeypatch.setattr(MessageAllocation, "observation_index", shifted)
    with pytest.raises(AssertionError, match=r"observe shows \[1.0, 0.0, 0.0\] but observation_"):
        check_env_id("econ_envs/MessageAllocation-v0")


def test_wrong_observe_fails(monkeypatch):
    """An MSPM observation that hides whether agent 1 was visited is not the table's row at its
    index (after the first leader step)."""
    original = MSPM.observe

    def hides_visit(self, plays):
        vectors = original(self, plays)
        vectors[:, -2] = 0.0  # agent 1's visited flag (then the one item's sold flag)
        return vectors

    monkeypatch.setattr(MSPM, "observe", hides_visit)
    with pytest.raises(AssertionError, match="leader step 1: observe shows"):
        check_observations("econ_envs/MSPM-v0")


def test_ambiguous_table_fails(monkeypatch):
    """Two table rows with one observation vector: a policy table could not tell them apart."""
    monkeypatch.setattr(
        MessageAllocation, "observation_vectors", lambda self: np.zeros((3, 3), np.float32)
    )
    with pytest.raises(AssertionError, match="repeated rows"):
        check_observations("econ_envs/MessageAllocation-v0")


def test_index_out_of_range_fails(monkeypatch):
    monkeypatch.setattr(
        MessageAllocation, "observation_index", lambda self, plays: plays.message + 3
    )
    with pytest.raises(AssertionError, match=r"observation_index 3..5 outside \[0, 3\)"):
        check_observations("econ_envs/MessageAllocation-v0")


def test_mspm_state_reads_as_the_documented_row():
    """Messages (1, 0), agent 0 visited, nothing sold: row (1 * 2 + 0) * 2**3 + 0b010 = 18, and
    the vector is the one-hot messages, the visited flags, the sold flag."""
    game = MSPM()
    plays = game.new_plays(1)
    game.start(plays, np.arange(1), np.array([[0, 2]]), np.array([[1, 0]]))
    game.step(plays, np.array([[1.0, 0.0, 1.0]], np.float32))  # agent 0 values 0 < price 1
    assert not plays.finished[0] and plays.visited.tolist() == [[True, False]]
    assert game.observation_index(plays).tolist() == [18]
    assert game.observe(plays).tolist() == [[0, 1, 1, 0, 1, 0, 0]]
    assert game.observation_vectors()[18].tolist() == [0, 1, 1, 0, 1, 0, 0]
    assert game.describe_observation(18) == {
        "index": 18,
        "messages": [1, 0],
        "visited": [True, False],
        "sold": [False],
        "reachable": True,
    }


def test_mspm_row_order_is_unchanged():
    """Stored policy tables keep their meaning: row bits are sold items (item 0 lowest), then
    visited agents (agent 0 lowest), then the messages as a mixed-radix number."""
    n, m = 2, 2
    game = MSPM(n_agents=n, n_items=m, n_messages=3)
    table = game.observation_vectors()
    assert table.shape == (3**2 * 2**4, 3 * n + n + m)
    for index in range(len(table)):
        messages = np.unravel_index(index >> (n + m), (3, 3))
        visited = [index >> (m + i) & 1 for i in range(n)]
        sold = [index >> j & 1 for j in range(m)]
        expected = [*np.eye(3)[messages[0]], *np.eye(3)[messages[1]], *visited, *sold]
        assert table[index].tolist() == expected
        described = game.describe_observation(index)
        assert described["messages"] == [int(x) for x in messages]
        assert described["visited"] == [bool(x) for x in visited]
        assert described["sold"] == [bool(x) for x in sold]


@pytest.mark.parametrize(
    ("prices", "steps", "sold"),
    [([0.0, 0.0], 1, [True, True]), ([1.5, 1.5], 2, [False, False])],
)
def test_mspm_ends_when_all_sold_or_all_visited(prices, steps, sold):
    """Price 0: the first agent buys both items, the play ends with agent 1 unvisited; a price
    above every value: nobody buys, the play ends when both agents are visited."""
    game = MSPM(n_items=2, max_price=2.0)
    plays = game.new_plays(1)
    game.start(plays, np.arange(1), np.array([[4, 8]]), np.array([[0, 0]]))
    action = np.array([[0.0, 1.0, *prices]], np.float32)  # visit agent 1 first
    finished = [bool(game.step(plays, action)[0]) for _ in range(steps)]
    assert finished == [False] * (steps - 1) + [True]
    assert plays.sold.tolist() == [sold]
    assert plays.visited.tolist() == [[steps == 2, True]]


def test_encoding_reads_fields_both_ways():
    encoding = ObservationEncoding((3, 2), (*one_hot_columns(0, 3), *flag_column(1)))
    fields = encoding.fields_of(np.arange(6))
    assert fields.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1]]
    assert encoding.index(fields).tolist() == list(range(6))
    assert encoding.table().tolist() == [
        [1, 0, 0, 0],
        [1, 0, 0, 1],
        [0, 1, 0, 0],
        [0, 1, 0, 1],
        [0, 0, 1, 0],
        [0, 0, 1, 1],
    ]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("NormalForm", {}),
        ("FollowerGame", {"payoffs": np.ones((2, 2, 2))}),
        ("LaneCoordination", {}),
    ],
)
def test_a_leader_who_sees_nothing_has_one_row(name, kwargs):
    game = make_game(name, **kwargs)
    assert game.observation_encoding == ObservationEncoding.constant()
    assert game.spec.n_observations == 1
    assert game.observation_vectors().tolist() == [[0.0]]


@pytest.mark.parametrize("env_id", STACKELBERG_IDS)
def test_every_game_says_what_each_observation_and_action_entry_means(env_id):
    """The documentation's space tables read these; one meaning per entry, none left blank."""
    env = gym.make(env_id)
    game = env.unwrapped.game
    meanings = game.observation_encoding.column_meanings()
    assert len(meanings) == env.observation_space.shape[0] and all(meanings)
    assert len(game.spec.action_meanings) == action_size(env.action_space)
    assert all(game.spec.action_meanings)


@pytest.mark.parametrize("env_id", [e.id for e in ENTRIES if e.family == AMA])
def test_every_ama_domain_names_its_states_and_actions(env_id):
    domain = gym.make(env_id).unwrapped.domain
    assert len(domain.action_names) == domain.mdp.n_actions and all(domain.action_names)
    names = [domain.state_name(s) for s in range(domain.mdp.n_states)]
    assert all(names) and len(set(names)) == len(names)  # every state named, and told apart


def test_column_meanings_name_one_hot_values_and_flags():
    field = ObservedField("state", ("bad", "good"))
    encoding = ObservationEncoding(
        (2, 2), (*one_hot_columns(0, 2), *flag_column(1)), (field, ObservedField("sold"))
    )
    assert encoding.column_meanings() == ("state = bad", "state = good", "sold")
    with pytest.raises(ValueError, match="one ObservedField per field"):
        ObservationEncoding((2, 2), flag_column(0), (field,))
    with pytest.raises(ValueError, match="declares no ObservedField"):
        ObservationEncoding((2,), flag_column(0)).column_meanings()


def test_a_game_spec_refuses_a_meaning_too_few():
    spec = make_game("MessageAllocation").spec
    with pytest.raises(ValueError, match="action_meanings has 2 entries"):
        dataclasses.replace(spec, action_meanings=("allocate item 0", "allocate item 1"))
