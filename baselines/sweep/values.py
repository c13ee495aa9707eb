"""Values in a sweep file: fixed values of a declared type, grid axes and random spaces.

A hyperparameter is a fixed value (checked against its field's type annotation), ``{grid:
[...]}`` (a grid axis), or, in a random search, ``{uniform: [low, high]}``, ``{loguniform: [low,
high]}``, ``{randint: [low, high]}`` or ``{choice: [...]}``. Every error names the field.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

RANDOM_SPACES = ("choice", "uniform", "loguniform", "randint")


def space_of(value: Any) -> str | None:
    """``"grid"`` or a random space's name if ``value`` is one (a one-key mapping), else None."""
    if isinstance(value, Mapping) and len(value) == 1:
        key = next(iter(value))
        return key if key in ("grid", *RANDOM_SPACES) else None
    return None


def check_space(name: str, value: Any, annotation: str, search: str) -> None:
    """A fixed value of type ``annotation``, a grid axis, or (random search) a random space."""
    space = space_of(value)
    if space is None:
        check_type(name, value, annotation)
        return
    options = value[space]
    if not isinstance(options, list) or not options:
        raise ValueError(f"{name}.{space}: must be a non-empty list, got {options!r}")
    if space in ("grid", "choice"):
        if space == "choice" and search != "random":
            raise ValueError(f"{name}: choice needs search: random (grid search: use grid)")
        for k, option in enumerate(options):
            check_type(f"{name}.{space}[{k}]", option, annotation)
        return
    if search != "random":
        raise ValueError(f"{name}: {space} needs search: random")
    if len(options) != 2 or not all(is_number(x) for x in options) or options[0] >= options[1]:
        raise ValueError(f"{name}.{space}: must be [low, high] with low < high, got {options!r}")
    if space == "loguniform" and options[0] <= 0:
        raise ValueError(f"{name}.loguniform: low must be > 0, got {options[0]!r}")
    kind = "int" if space == "randint" else "float"
    for k, option in enumerate(options):
        check_type(f"{name}.{space}[{k}]", option, kind)
    check_type(name, options[0], annotation)


def draw(rng: np.random.Generator, value: Mapping[str, Any]) -> Any:
    """One draw from the random space ``value`` (a one-key mapping)."""
    space, options = next(iter(value.items()))
    if space == "choice":
        return options[int(rng.integers(len(options)))]
    if space == "randint":
        return int(rng.integers(options[0], options[1]))
    if space == "loguniform":
        return float(math.exp(rng.uniform(math.log(options[0]), math.log(options[1]))))
    return float(rng.uniform(options[0], options[1]))


def is_number(value: Any) -> bool:
    """A finite int or float (not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


_TYPES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "int": ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "float": ("a number", is_number),
    "bool": ("true or false", lambda v: isinstance(v, bool)),
    "str": ("a string", lambda v: isinstance(v, str)),
    "tuple": (
        "a list of integers",
        lambda v: isinstance(v, list) and all(isinstance(x, int) for x in v),
    ),
    "dict": ("a mapping", lambda v: isinstance(v, Mapping)),
}


def check_type(name: str, value: Any, annotation: str) -> None:
    """``TypeError`` naming ``name`` unless ``value`` fits ``annotation`` (e.g. ``int | None``)."""
    kinds = [part.strip().split("[")[0] for part in annotation.split("|")]
    if value is None and "None" in kinds:
        return
    described = [_TYPES[k][0] for k in kinds if k in _TYPES]
    if not any(_TYPES[k][1](value) for k in kinds if k in _TYPES):
        allowed = " or ".join(described + (["null"] if "None" in kinds else []))
        raise TypeError(f"{name} must be {allowed}, got {value!r}{_yaml_hint(value)}")


def _yaml_hint(value: Any) -> str:
    """A hint for numbers YAML read as strings (``3e-4``: YAML 1.1 needs a dot)."""
    if not isinstance(value, str):
        return ""
    try:
        float(value)
    except ValueError:
        return ""
    return " (YAML reads 3e-4 as a string: write 0.0003 or 3.0e-4)"
