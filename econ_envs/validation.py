"""Argument checks shared by every constructor: clear ``ValueError``s naming the parameter."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")


def check_positive_int(name: str, value: Any) -> int:
    """``value`` as an int if it is an integer >= 1, else ``ValueError`` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def check_choice(name: str, value: T, allowed: Collection[T]) -> T:
    """``value`` if it is one of ``allowed``, else ``ValueError`` listing the allowed values."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {sorted(map(repr, allowed))}, got {value!r}")
    return value


def check_finite(name: str, value: Any) -> float:
    """``value`` as a float if finite, else ``ValueError``."""
    out = float(value)
    if not np.isfinite(out):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return out
