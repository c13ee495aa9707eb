"""Leaderboard submissions: every bad submission is rejected with a clear message and writes
nothing; good ones built by the helpers round-trip."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econ_envs.published import optimal_mspm_table
from leaderboards import (
    SubmissionError,
    load_submission,
    save_submission,
    submit,
    table_submission,
)
from leaderboards.cli import main
from leaderboards.convert import from_mappo, read_converted

MSG = "econ_envs/MessageAllocation-v0"


def good() -> dict:
    """A valid MessageAllocation submission."""
    return table_submission(MSG, [0, 1, 2], method="identity", training_seeds=[0], steps=10)


def with_(**changes) -> dict:
    return {**good(), **changes}


def without(key: str) -> dict:
    return {k: v for k, v in good().items() if k != key}


BAD = {
    "wrong shape (rows)": (with_(table=[0, 1]), "3 rows"),
    "wrong shape (action)": (with_(table=[[0, 1], [1, 0], [2, 2]]), "shape"),
    "ragged": (with_(table=[[0], [1, 2], [2]]), "same length"),
    "out of range": (with_(table=[0, 1, 3]), "[0, 2]"),
    "negative": (with_(table=[0, -1, 2]), "[0, 2]"),
    "not integer": (with_(table=[0, 1.5, 2]), "integers"),
    "string action": (with_(table=["0", 1, 2]), "schema"),
    "bool action": (with_(table=[True, 1, 2]), "schema"),
    "unknown env": (with_(env_id="econ_envs/Nope-v0"), "not an econ_envs id"),
    "not an id": (with_(env_id="os:system"), "schema"),
    "unknown preset": (with_(env_kwargs={"n_messages": 7}), "is not a board"),
    "kwargs code name": (with_(env_kwargs={"game": "os:system"}), "schema"),
    "kwargs object": (with_(env_kwargs={"n_items": {"a": 1}}), "schema"),
    "claimed score": (with_(score=1.0), "Additional properties"),
    "missing method": (without("method"), "'method' is a required property"),
    "missing table": (without("table"), "schema"),
    "both payloads": (with_(params={"weights": [1.0], "boosts": [[0.0]]}), "schema"),
    "params on a Stackelberg env": (
        {**without("table"), "params": {"weights": [1.0], "boosts": [[0.0]]}},
        "submit a 'table'",
    ),
    "table on an AMA env": (with_(env_id="econ_envs/SequentialSales-v0"), "submit 'params'"),
    "bad method name": (with_(method="../../etc/passwd\n"), "schema"),
    "intractable board": (
        with_(env_id="econ_envs/LaneCoordination-v0", table=[[0.0, 0.0, 0.0]]),
        "takes no submissions",
    ),
    "not an object": ([1, 2, 3], "schema"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_submission_is_rejected_and_writes_nothing(name: str, tmp_path: Path) -> None:
    data, message = BAD[name]
    results = tmp_path / "results"
    with pytest.raises(SubmissionError, match=message.replace("[", r"\[").replace("]", r"\]")):
        submit(data, results_dir=results, wandb_dir=tmp_path)
    assert not results.exists()
    assert not (tmp_path / "wandb").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"env_id": "econ_envs/MessageAllocation-v0", "table": [0, NaN, 2]}', "NaN"),
        ('{"table": [Infinity]}', "Infinity"),
        ('{"env_id": 1, "env_id": 2}', "repeats the key"),
        ('{"env_id": "econ_envs/MessageAllocation-v0", ', "not valid JSON"),
        ("\xff\xfe", "byte-order mark"),
    ],
)
def test_malformed_json_file_is_rejected_by_the_cli(
    text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "policy.json"
    path.write_text(text, encoding="latin-1")
    results = tmp_path / "results"
    status = main(
        [
            "--results",
            str(results),
            "submit",
            "--env",
            MSG,
            "--file",
            str(path),
            "--method",
            "x",
            "--no-track",
        ]
    )
    assert status == 2
    assert message in capsys.readouterr().err
    assert not results.exists()


def test_nan_in_python_data_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(SubmissionError, match="finite"):
        submit(with_(table=[0.0, float("nan"), 2.0]), results_dir=tmp_path, wandb_dir=None)
    with pytest.raises(SubmissionError):
        table_submission("econ_envs/MSPM-v0", np.full((32, 3), np.nan), method="nan")
    assert not any(tmp_path.iterdir())


def test_env_guard_and_method_override(tmp_path: Path) -> None:
    path = save_submission(good(), tmp_path / "policy.json")
    with pytest.raises(SubmissionError, match="not 'econ_envs/MSPM-v0'"):
        load_submission(path, env_id="econ_envs/MSPM-v0")
    checked = load_submission(path, env_id=MSG, method="renamed")
    assert checked.data["method"] == "renamed"
    assert checked.board.key == "MessageAllocation-v0/default"


def test_table_submission_round_trips_and_matches_the_schema(tmp_path: Path) -> None:
    data = table_submission(
        "econ_envs/MSPM-v0",
        optimal_mspm_table(4),
        method="published",
        env_kwargs={"n_types": 4},
        authors=["A. Author"],
        training_seeds=[1, 2],
        steps=1000,
        wall_clock_s=1.5,
        curve=[(0, -0.2), (1000, 0.0)],
        links=["https://example.org/run"],
    )
    path = save_submission(data, tmp_path / "sub.json")
    again = load_submission(path)
    assert again.data == data
    assert again.board.key == "MSPM-v0/n_types-4"
    assert json.loads(path.read_text())["training"]["curve"] == [[0.0, -0.2], [1000.0, 0.0]]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(kwargs=st.dictionaries(st.text(max_size=10), JSON, max_size=3), table=JSON)
def test_arbitrary_json_never_crashes_the_validator(kwargs: dict, table: object) -> None:
    data = {**good(), "env_kwargs": kwargs, "table": table}
    try:
        load_submission(data)
    except SubmissionError as error:
        assert str(error)


@pytest.mark.parametrize(
    ("fmt", "data", "message"),
    [
        ("mappo", {"env_id": MSG, "table": [0, 1, 2]}, "not a valid mappo result file"),
        (
            "mappo",
            {"env_id": MSG, "method": "m", "training_seed": 0, "table": [[0], [1, 2]]},
            "same length",
        ),
        ("bilevel", [1, 2], "not a valid bilevel result file"),
        ("pickle", {}, "unknown"),
    ],
)
def test_bad_baseline_result_files_are_rejected(fmt: str, data: object, message: str) -> None:
    from leaderboards.convert import convert

    with pytest.raises(SubmissionError, match=message):
        convert(data, fmt)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")


@pytest.mark.parametrize(
    ("make", "fmt", "message"),
    [
        (_fifo, "submission", "it is not a regular file (a FIFO or device)"),
        (_device, "submission", "it is not a regular file (a FIFO or device)"),
        (_device, "mappo", "it is not a regular file (a FIFO or device)"),
        (
            lambda p: p.write_text(
                json.dumps(good()).replace("[0, 1, 2]", "[0, 1, 1" + "0" * 400 + "]")
            ),
            "submission",
            "an integer of 401 digits: numbers must be in float range",
        ),
    ],
    ids=["FIFO", "link to /dev/zero", "link to /dev/zero as a mappo file", "a 401-digit entry"],
)
def test_a_file_that_is_no_submission_is_one_line_and_read_with_a_bound(
    make, fmt: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "policy.json"
    make(path)
    results = tmp_path / "results"
    args = ["--results", str(results), "submit", "--env", MSG, "--file", str(path)]
    assert main([*args, "--format", fmt, "--no-track"]) == 2  # returns: no blocking, no 3 GB read
    err = capsys.readouterr().err
    assert err.startswith("econ-leaderboard: rejected: ") and err.count("\n") == 1
    assert message in err and not results.exists()


def test_a_fractional_training_seed_is_refused_not_rounded(tmp_path: Path) -> None:
    result = {"env_id": MSG, "table": [0, 1, 2], "method": "mappo", "training_seed": 1.7}
    path = tmp_path / "policy_table.json"
    path.write_text(json.dumps(result))
    with pytest.raises(SubmissionError, match=r"training_seeds must be integers, got 1\.7"):
        read_converted(path, "mappo")
    assert load_submission(from_mappo({**result, "training_seed": np.int64(2)})).data["training"][
        "seeds"
    ] == [2]
