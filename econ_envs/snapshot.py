"""Restoring an env from a pickled copy, in place.

:func:`load_state` writes a pickled copy's contents into a freshly built env of the same
configuration, array by array, so the env object (which a rollout or a wrapper holds) stays the
same and any array that is a view of another keeps seeing its base. Today's engine and games
hold no such views (a plain unpickled copy also continues bit for bit; the tests check both),
so this is the safe way to resume, not the only one. A killed training run resumes its envs
mid-episode with it, bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_IMMUTABLE = (int, float, complex, str, bytes, bool, type(None), np.generic)


def load_state(target: Any, source: Any) -> None:
    """Make ``target`` equal to ``source``, an object of the same structure (typically an
    unpickled copy of an object built like ``target``).

    Arrays are written in place where their shapes and dtypes agree (views stay views);
    numpy random generators take the source's state; objects, dicts, lists and tuples are
    walked; other attributes are replaced by the source's.
    """
    _load(target, source, set())


def _load(target: Any, source: Any, seen: set[int]) -> Any:
    """Load ``source`` into ``target``; return the value the owner should hold afterwards."""
    if isinstance(source, _IMMUTABLE) or type(target) is not type(source):
        return source
    if id(target) in seen:
        return target
    seen.add(id(target))
    if isinstance(target, np.ndarray):
        if target.shape == source.shape and target.dtype == source.dtype:
            if target.flags.writeable:
                np.copyto(target, source)
            return target if np.array_equal(target, source, equal_nan=True) else source
        return source
    if isinstance(target, np.random.Generator):
        target.bit_generator.state = source.bit_generator.state
        return target
    if isinstance(target, dict):
        for key, value in source.items():
            target[key] = _load(target[key], value, seen) if key in target else value
        return target
    if isinstance(target, list) and len(target) == len(source):
        target[:] = [_load(t, s, seen) for t, s in zip(target, source, strict=True)]
        return target
    if isinstance(target, tuple) and len(target) == len(source):
        loaded = [_load(t, s, seen) for t, s in zip(target, source, strict=True)]
        if all(a is b for a, b in zip(loaded, target, strict=True)):
            return target
        return type(target)(*loaded) if hasattr(target, "_fields") else type(target)(loaded)
    state = getattr(source, "__dict__", None)
    if state is None or not hasattr(target, "__dict__"):
        return source
    for name, value in state.items():
        current = target.__dict__.get(name, _MISSING)
        loaded = value if current is _MISSING else _load(current, value, seen)
        if loaded is not current:
            object.__setattr__(target, name, loaded)
    return target


_MISSING = object()
