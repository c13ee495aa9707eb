"""Argument checks shared by every constructor: clear errors naming the parameter.

A value of the wrong kind (a string for a number, ``2`` for a flag, ``True`` for a count) raises
:class:`KeywordTypeError`; a value of the right kind outside its range raises ``ValueError``.
Nothing is coerced: ``"3"`` is not 3 and ``"False"`` is not false. Sizes that keywords imply are
checked with :func:`check_size` before anything is allocated or enumerated.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Collection, Mapping, Sequence
from numbers import Real
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

T = TypeVar("T")

#: the most entries (numbers) one array built from a constructor's keywords may hold: 2**26,
#: 512 MiB of float64 (a vector env of 1024 episodes of MSPM with 5 types and 3 messages uses
#: about 10**5); see :func:`check_size`
MAX_ENTRIES = 2**26
#: the largest float32: the bound of a number that becomes (or scales) a float32 action
FLOAT32_MAX = float(np.finfo(np.float32).max)


class KeywordTypeError(TypeError, ValueError):
    """A keyword of the wrong type. A ``TypeError``, and a ``ValueError`` too, so that callers
    that report bad keyword values (``except ValueError``) report it as well."""


def _kind(value: Any) -> str:
    return type(value).__name__


def check_bool(name: str, value: Any) -> bool:
    """``value`` if it is a bool (``numpy.bool_`` too), else :class:`KeywordTypeError`."""
    if not isinstance(value, bool | np.bool_):
        raise KeywordTypeError(f"{name} must be True or False, got {value!r} ({_kind(value)})")
    return bool(value)


def check_int(name: str, value: Any, minimum: int) -> int:
    """``value`` as an int if it is an integer (not a bool) >= ``minimum``.

    Raises:
        KeywordTypeError: for a non-integer (a float, a string, a bool).
        ValueError: for an integer below ``minimum``.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise KeywordTypeError(
            f"{name} must be an integer >= {minimum}, got {value!r} ({_kind(value)})"
        )
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_positive_int(name: str, value: Any) -> int:
    """``value`` as an int if it is an integer >= 1 (see :func:`check_int`)."""
    return check_int(name, value, 1)


def check_choice(name: str, value: T, allowed: Collection[T]) -> T:
    """``value`` if it is one of ``allowed``.

    Raises:
        KeywordTypeError: if ``value`` is of none of the allowed values' types (a list for a
            name), listing the allowed values.
        ValueError: if it is of the right type but not allowed, listing the allowed values.
    """
    listed = ", ".join(sorted(map(repr, allowed)))
    if not isinstance(value, tuple({type(a) for a in allowed})):
        raise KeywordTypeError(f"{name} must be one of {listed}, got {value!r} ({_kind(value)})")
    if value not in allowed:
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


#: an id's version mark (``-v0``)
_VERSION = re.compile(r"-v\d+")


def _bare(name: str) -> str:
    """``name`` without its namespace (``econ_envs/``) and version marks, in lower case: what
    a user who mistypes an id most likely still got right."""
    head, _, tail = name.partition("/")
    if tail and not _VERSION.search(head):
        name = tail
    return _VERSION.sub("", name).lower()


def closest_id(given: Any, known: Sequence[str]) -> str | None:
    """The one of ``known`` (env ids, env names or board keys) that ``given`` most likely means,
    or ``None``: the closest by :func:`difflib.get_close_matches` once namespace, version and
    case are set aside (``MSPM-v0``, ``mspm`` and ``econ_envs/MSPM-v1`` mean
    ``econ_envs/MSPM-v0``); of several with the same bare name, the first."""
    if not isinstance(given, str):
        return None
    by_bare: dict[str, str] = {}
    for name in known:
        by_bare.setdefault(_bare(name), name)
    close = difflib.get_close_matches(_bare(given), by_bare, n=1)
    return by_bare[close[0]] if close else None


def did_you_mean(given: Any, known: Sequence[str]) -> str:
    """`` (did you mean 'econ_envs/MSPM-v0'?)`` for the :func:`closest_id` of ``given`` among
    ``known``, or ``""`` when none is close: the hint every command adds to an unknown id."""
    closest = closest_id(given, known)
    return "" if closest is None else f" (did you mean {closest!r}?)"


def check_id(name: str, value: Any, allowed: Sequence[str]) -> str:
    """``value`` if it is one of the ids ``allowed``; else :func:`check_choice`'s error with
    :func:`did_you_mean`'s hint."""
    try:
        return check_choice(name, value, allowed)
    except ValueError as error:
        raise type(error)(f"{error}{did_you_mean(value, allowed)}") from None


def check_real(name: str, value: Any) -> float:
    """``value`` as a float if it is a real number (an int or a float, not a bool or a string).

    Raises:
        KeywordTypeError: for anything else. NaN and infinities pass (see
            :func:`check_finite`).
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
        raise KeywordTypeError(f"{name} must be a real number, got {value!r} ({_kind(value)})")
    return float(value)


def check_finite(name: str, value: Any) -> float:
    """``value`` as a float if it is a finite real number (see :func:`check_real`), else
    ``ValueError`` (NaN, infinity, or a value beyond the float range)."""
    try:
        out = check_real(name, value)
    except OverflowError:  # an int beyond the float range
        out = math.inf
    if not math.isfinite(out):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return out


def check_real_array(name: str, value: Any) -> NDArray[np.float64]:
    """``value`` as a float64 array if it holds real numbers (ints or floats; NaN and
    infinities pass), else :class:`KeywordTypeError` (strings, bools, objects) or
    ``ValueError`` (ragged nesting)."""
    try:
        array = np.asarray(value)
    except ValueError:
        raise ValueError(f"{name} must be a rectangular array of numbers, got {value!r}") from None
    if array.dtype.kind not in "iuf":
        raise KeywordTypeError(
            f"{name} must be an array of real numbers, got {value!r} (dtype {array.dtype})"
        )
    return array.astype(np.float64)


def check_sequence(name: str, value: Any, items: str) -> list[Any]:
    """``value`` as a list if it is a sequence (a list, a tuple, an array with at least one
    axis), else :class:`KeywordTypeError` saying it must be a sequence of ``items`` (a string,
    a mapping, a number is not)."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return list(value)
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        raise KeywordTypeError(
            f"{name} must be a sequence (a list or tuple) of {items}, got {value!r} "
            f"({_kind(value)})"
        )
    return list(value)


def check_keywords(name: str, value: Any) -> dict[str, Any]:
    """``value`` (a mapping of keyword names to values, or ``None`` for none) as a dict, else
    :class:`KeywordTypeError`."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(key, str) for key in value):
        raise KeywordTypeError(
            f"{name} must be a dict of keyword arguments (e.g. {{'eps': 0.01}}) or None, "
            f"got {value!r} ({_kind(value)})"
        )
    return dict(value)


def power(base: float, exponent: float) -> float:
    """``base ** exponent`` as a float, ``inf`` where that overflows: a size for
    :func:`check_size`, computed in constant time however large the exponent."""
    try:
        return float(base) ** exponent
    except OverflowError:
        return math.inf


def check_size(what: str, size: float, limit: float, /, **keywords: Any) -> None:
    """Refuse a setting whose ``size`` (of ``what``: entries, profiles, plays) exceeds ``limit``.

    Call it before allocating or enumerating anything of that size. ``keywords`` are the
    settings that imply the size, named in the message (any name, ``size`` included: the
    first three parameters are positional-only).

    Raises:
        ValueError: naming the keywords, the size they imply and the limit.
    """
    if size <= limit:
        return
    shown = ", ".join(f"{key}={value!r}" for key, value in keywords.items())
    amount = f"{size:,.0f}" if size < 1e15 else f"{size:.3g}" if size < 1e308 else None
    if amount is None:  # too large to count (see power), or an int beyond the float range
        amount = "more than 1e+308"
    raise ValueError(f"{shown} implies {amount} {what}; the limit is {limit:,.0f}")


def check_render_mode(value: Any, modes: Collection[str]) -> str | None:
    """``value`` if it is ``None`` or one of ``modes``.

    Raises:
        KeywordTypeError: for a value that is neither ``None`` nor a string.
        ValueError: for a string not in ``modes``.
    """
    listed = ", ".join(["None", *map(repr, modes)])
    if value is not None and not isinstance(value, str):
        raise KeywordTypeError(
            f"render_mode must be one of {listed}, got {value!r} ({_kind(value)})"
        )
    if value is not None and value not in tuple(modes):  # a plain tuple: see RenderModes
        raise ValueError(f"render_mode must be one of {listed}, got {value!r}")
    return value


class RenderModes(tuple[str, ...]):
    """An env's ``metadata["render_modes"]`` that refuses, when asked whether it holds it, a
    mode ``gymnasium.make`` cannot handle: ``gymnasium.make`` asks before it builds the env, and
    would otherwise fail inside gymnasium on a non-string (``'int' object has no attribute
    'endswith'``) or on an unknown mode holding ``%`` (its warning is formatted with ``%``:
    ``not enough arguments for format string``). Other modes answer ``True`` or ``False``."""

    def __contains__(self, mode: object) -> bool:
        if not isinstance(mode, str) or ("%" in mode and not super().__contains__(mode)):
            check_render_mode(mode, self)
        return super().__contains__(mode)


def check_keys(name: str, keys: Collection[str], allowed: Collection[str]) -> None:
    """``ValueError`` naming ``name`` if any of ``keys`` is not in ``allowed`` (listed)."""
    unknown = sorted(set(keys) - set(allowed))
    if unknown:
        raise ValueError(
            f"{name}: unknown field(s) {unknown}; allowed: {', '.join(sorted(allowed))}"
        )
