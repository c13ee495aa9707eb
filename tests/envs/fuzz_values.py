"""The bad values of the fuzz catalog: per kind of keyword (int, float, bool, choice, array,
mapping, pair), the draws a correct constructor must reject or may accept (see
:mod:`tests.envs.fuzz_cases`, which finds each keyword's kind from its annotation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

INT, FLOAT, BOOL, CHOICE, ARRAY, MAPPING, PAIR = (
    "int",
    "float",
    "bool",
    "choice",
    "array",
    "mapping",
    "pair",
)
#: annotation (without ``| None``) -> kind of keyword
KINDS = {
    "int": INT,
    "float": FLOAT,
    "bool": BOOL,
    "str": CHOICE,
    "ArrayLike": ARRAY,
    "dict[str, Any]": MAPPING,
    "tuple[float, float]": PAIR,
}
#: a valid value of each array keyword under its id's defaults (bad variants are derived)
_ARRAY_TEMPLATES: dict[str, Any] = {
    "payoffs": [
        [(15, 15), (10, 10), (0, 0)],
        [(10, 10), (10, 10), (0, 0)],
        [(0, 0), (0, 0), (3, 3)],
    ],
    "type_values": [[0.0, 0.5, 1.0], [0.0, 0.5, 1.0]],
    "type_probs": [[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]],
    "joint_type_probs": np.full((3, 3), 1 / 9),
    "prior": [1.0],
}


@dataclass(frozen=True)
class Draw:
    """One value for a keyword: what it is (``label``, ``category``) and whether a correct
    suite must reject it."""

    value: Any
    label: str
    category: str
    must_reject: bool


def _int_draws(default: Any) -> list[Draw]:
    return [
        Draw(-1, "-1", "negative", True),
        Draw(0, "0", "extreme", False),
        Draw(1.5, "1.5", "wrong type", True),
        Draw(3.0, "3.0", "integral float", False),
        Draw("3", "'3'", "numeric string", True),
        Draw(True, "True", "bool for a number", True),
        Draw(None, "None", "none", default is not None),
        Draw(float("nan"), "nan", "non-finite", True),
        Draw(float("inf"), "inf", "non-finite", True),
        Draw(25, "25", "extreme", False),
        Draw(10**5, "10**5", "extreme", False),
        Draw(10**9, "10**9", "extreme", False),
        Draw(2**64, "2**64", "extreme", False),
        Draw(np.int64(2), "np.int64(2)", "numpy scalar", False),
        Draw([2], "[2]", "wrong type", True),
        Draw(2 + 0j, "2+0j", "wrong type", True),
    ]


def _float_draws(default: Any) -> list[Draw]:
    return [
        Draw(float("nan"), "nan", "non-finite", True),
        Draw(float("inf"), "inf", "non-finite", True),
        Draw(float("-inf"), "-inf", "non-finite", True),
        Draw("1.0", "'1.0'", "numeric string", True),
        Draw(True, "True", "bool for a number", True),
        Draw(None, "None", "none", default is not None),
        Draw(1e39, "1e39", "extreme", False),
        Draw(1e308, "1e308", "extreme", False),
        Draw(-1.0, "-1.0", "extreme", False),
        Draw(0.0, "0.0", "extreme", False),
        Draw(1.0, "1.0", "extreme", False),
        Draw(5e-324, "5e-324", "extreme", False),
        Draw(2, "2", "int for a float", False),
        Draw(np.float32(0.5), "np.float32(0.5)", "numpy scalar", False),
        Draw(1 + 0j, "1+0j", "wrong type", True),
        Draw([1.0], "[1.0]", "wrong type", True),
    ]


def _bool_draws(default: Any) -> list[Draw]:
    return [
        Draw("False", "'False'", "wrong type", True),
        Draw("True", "'True'", "wrong type", True),
        Draw(2, "2", "int for a bool", True),
        Draw(0, "0", "int for a bool", True),
        Draw(1, "1", "int for a bool", True),
        Draw(None, "None", "none", default is not None),
        Draw(float("nan"), "nan", "wrong type", True),
        Draw([True], "[True]", "wrong type", True),
        Draw(np.True_, "np.True_", "numpy scalar", False),
        Draw(True, "True", "control", False),
    ]


def _choice_draws(default: Any) -> list[Draw]:
    draws = [
        Draw("nope", "'nope'", "bad choice", True),
        Draw("", "''", "bad choice", True),
        Draw("50%", "'50%'", "bad choice", True),  # a message built with % must not choke on it
        Draw(3, "3", "wrong type", True),
        Draw(["x"], "['x']", "wrong type", True),
        Draw(b"x", "b'x'", "wrong type", True),
        Draw(None, "None", "none", default is not None),
    ]
    if isinstance(default, str) and default.upper() != default:
        draws.append(Draw(default.upper(), repr(default.upper()), "bad choice", True))
    return draws


def _array_draws(name: str) -> list[Draw]:
    draws = [
        Draw("abc", "'abc'", "wrong type", True),
        Draw([], "[]", "bad array", True),
        Draw([[1.0, 2.0], [3.0]], "ragged", "bad array", True),
        Draw(float("nan"), "nan", "non-finite", True),
        Draw({"a": 1}, "{'a': 1}", "wrong type", True),
    ]
    if name not in _ARRAY_TEMPLATES:
        return draws
    template = np.asarray(_ARRAY_TEMPLATES[name], np.float64)

    def with_first(value: float) -> np.ndarray:
        out = template.copy()
        out.flat[0] = value
        return out

    return [
        *draws,
        Draw(template, "valid", "control", False),
        Draw(with_first(np.nan), "valid with a nan", "non-finite", True),
        Draw(with_first(np.inf), "valid with an inf", "non-finite", True),
        Draw(with_first(-0.1), "valid with a -0.1", "extreme", False),
        Draw(template.astype(str), "as strings", "wrong type", True),
        Draw(template.astype(complex), "as complex", "wrong type", True),
        Draw(np.full(template.size + 7, 0.5), "a flat array of the wrong size", "bad array", True),
    ]


def _pair_draws() -> list[Draw]:
    return [
        Draw((1.0, 0.5), "(1.0, 0.5)", "bad pair", True),
        Draw((0.0, 1.0), "(0.0, 1.0)", "bad pair", True),
        Draw((float("nan"), 1.0), "(nan, 1.0)", "non-finite", True),
        Draw((1e-3, float("inf")), "(1e-3, inf)", "non-finite", True),
        Draw(("0.1", 1.0), "('0.1', 1.0)", "numeric string", True),
        Draw((True, 10.0), "(True, 10.0)", "bool for a number", True),
        Draw(5.0, "5.0", "wrong type", True),
        Draw((1e-3,), "(1e-3,)", "bad pair", True),
        Draw((1e-3, 1.0, 2.0), "(1e-3, 1.0, 2.0)", "bad pair", True),
        Draw([1e-3, 10.0], "[1e-3, 10.0]", "control", False),
        Draw((1e-300, 1e300), "(1e-300, 1e300)", "extreme", False),
    ]


def _mapping_draws() -> list[Draw]:
    return [
        Draw("eps=0.1", "'eps=0.1'", "wrong type", True),
        Draw(["eps"], "['eps']", "wrong type", True),
        Draw(3, "3", "wrong type", True),
        Draw({1: 2}, "{1: 2}", "wrong type", True),
        Draw({}, "{}", "control", False),
        Draw(None, "None", "control", False),
    ]


def value_draws(kind: str, name: str, default: Any) -> list[Draw]:
    """The fixed values the fuzz tries for keyword ``name`` of kind ``kind``."""
    if kind == INT:
        return _int_draws(default)
    if kind == FLOAT:
        return _float_draws(default)
    if kind == BOOL:
        return _bool_draws(default)
    if kind == CHOICE:
        return _choice_draws(default)
    if kind == ARRAY:
        return _array_draws(name)
    if kind == PAIR:
        return _pair_draws()
    return _mapping_draws()
