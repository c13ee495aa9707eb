"""The one "did you mean" of every command (:func:`econ_envs.validation.closest_id`): an id
without its ``econ_envs/`` namespace, in another case, with another version or mistyped is
matched to the id it most likely means; anything else is not matched. The registry's own error
names it too. gymnasium's ``gym.make`` offers no hook for the hint (see the README)."""

from __future__ import annotations

import pytest

from econ_envs import entry, ids
from econ_envs.validation import check_id, closest_id, did_you_mean


@pytest.mark.parametrize(
    ("given", "meant"),
    [
        ("MSPM-v0", "econ_envs/MSPM-v0"),
        ("mspm", "econ_envs/MSPM-v0"),
        ("econ_envs/MSPM", "econ_envs/MSPM-v0"),
        ("econ_envs/MSPM-v1", "econ_envs/MSPM-v0"),
        ("econ_env/MSPM-v0", "econ_envs/MSPM-v0"),
        ("MSPM-Agrawal", "econ_envs/MSPM-Agrawal-v0"),
        ("econ_envs/MesageAllocation-v0", "econ_envs/MessageAllocation-v0"),
        ("gridworld", "econ_envs/GridworldAMA-v0"),
        ("Nope-v0", None),
        ("econ_envs/Nope-v0", None),
        ("", None),
        (3, None),
    ],
)
def test_the_closest_id(given: object, meant: str | None) -> None:
    assert closest_id(given, ids()) == meant


def test_board_keys_are_matched_by_their_whole_key() -> None:
    keys = ("MSPM-v0/default", "MSPM-v0/n_types-4", "MSPM-v0/n_types-5")
    assert closest_id("mspm-v0/n_types4", keys) == "MSPM-v0/n_types-4"


def test_the_hint_and_the_checked_id() -> None:
    assert did_you_mean("MSPM-v0", ids()) == " (did you mean 'econ_envs/MSPM-v0'?)"
    assert did_you_mean("Nope-v0", ids()) == ""
    assert check_id("env_id", "econ_envs/MSPM-v0", ids()) == "econ_envs/MSPM-v0"
    with pytest.raises(ValueError, match=r"got 'MSPM-v0' \(did you mean 'econ_envs/MSPM-v0'\?\)$"):
        check_id("env_id", "MSPM-v0", ids())


def test_the_registry_names_the_id_meant() -> None:
    with pytest.raises(ValueError) as error:
        entry("MSPM-v0")
    assert str(error.value) == (
        "env_id='MSPM-v0' is not an econ_envs id (did you mean 'econ_envs/MSPM-v0'?); "
        f"known ids: {', '.join(ids())}"
    )
