"""Loading a checkpoint without running the code a pickle can carry.

``torch.load(weights_only=True)`` rebuilds tensors and plain containers only; the other globals
a pickle names must be allowed explicitly. A checkpoint of ``econ-baselines train`` holds the
run's envs mid-episode, so it names the classes of the suite (``econ_envs``, ``baselines``), a
few of gymnasium's (spaces, the env spec, the autoreset mode), numpy's array, dtype and random
generator rebuilders, and ``slice``. :func:`load_checkpoint_data` lists the globals a file names
(without unpickling it), allows exactly those of that kind, and refuses a file that names any
other (``os.system``, ``builtins.eval``, ``subprocess.Popen``, a class from another package)
before a byte of it is unpickled. Objects of allowed classes are rebuilt without calling their
constructors (pickle's ``NEWOBJ``), so loading runs none of their code either.
"""

from __future__ import annotations

import importlib
import os
import stat
from pathlib import Path
from typing import Any

import torch

#: the largest checkpoint read, in bytes
MAX_CHECKPOINT_BYTES = 2**31
#: functions a checkpoint may name: numpy's rebuilders (numpy 1 and 2 spellings) and builtins
_FUNCTIONS = frozenset(
    {
        f"numpy.{core}.multiarray.{name}"
        for core in ("core", "_core")
        for name in ("_reconstruct", "scalar")
    }
    | {
        "numpy.dtype",
        "numpy.ndarray",
        "numpy.random._pickle.__bit_generator_ctor",
        "numpy.random._pickle.__generator_ctor",
        "numpy.random.bit_generator.__pyx_unpickle_SeedSequence",
        *(
            f"builtins.{name}"
            for name in ("slice", "set", "frozenset", "complex", "bytes", "bytearray", "range")
        ),
        "collections.OrderedDict",
    }
)
#: modules whose classes a checkpoint may name (classes only, not functions or module attributes)
_CLASS_MODULES = (
    "econ_envs",
    "baselines",
    "gymnasium.spaces",
    "gymnasium.envs.registration",
    "gymnasium.vector.vector_env",
    "numpy.random",
)


class CheckpointError(ValueError):
    """A checkpoint that cannot be loaded (damaged, not a checkpoint, or naming code it must not
    hold); the message names the file and what is wrong."""


def _allowed(name: str) -> Any | None:
    """The object ``name`` (``module.qualname``) stands for, if a checkpoint may name it."""
    module, _, qualname = name.rpartition(".")
    in_class_module = any(module == m or module.startswith(m + ".") for m in _CLASS_MODULES)
    if name not in _FUNCTIONS and not in_class_module:
        return None  # never imported: naming a module must not run it
    try:
        found = getattr(importlib.import_module(module), qualname)
    except (ImportError, AttributeError):
        return None
    if name in _FUNCTIONS or (isinstance(found, type) and found.__module__ == module):
        return found
    return None


def load_checkpoint_data(path: Path) -> Any:
    """The data ``torch.save`` wrote to ``path``, loaded with ``weights_only=True`` and the
    globals a checkpoint holds; :class:`CheckpointError` for anything else."""
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise CheckpointError(f"{path} is not a regular file")
        if os.stat(path).st_size > MAX_CHECKPOINT_BYTES:
            raise CheckpointError(f"{path} is larger than {MAX_CHECKPOINT_BYTES} bytes")
        names = torch.serialization.get_unsafe_globals_in_checkpoint(path)
    except CheckpointError:
        raise
    except Exception as error:
        raise CheckpointError(f"{path} is not a checkpoint: {_reason(error)}") from None
    allowed = {name: _allowed(name) for name in names}
    refused = sorted(name for name, found in allowed.items() if found is None)
    if refused:
        raise CheckpointError(
            f"{path} names {', '.join(refused[:3])}, which a checkpoint never holds: refused "
            "without loading it (a pickle can run such code)"
        )
    try:
        named = [(found, name) for name, found in allowed.items()]
        with torch.serialization.safe_globals([*named, *_unnamed_classes()]):
            return torch.load(path, weights_only=True)
    except Exception as error:
        raise CheckpointError(f"{path} is not a checkpoint: {_reason(error)}") from None


def _unnamed_classes() -> list[type]:
    """Classes whose objects a pickle rebuilds without naming them (a rebuilder makes the object,
    then it is given its state): numpy's dtype classes and random generators."""
    import numpy as np

    dtypes = {type(np.dtype(code)) for code in np.typecodes["All"]}
    generators = {np.random.Generator, np.random.RandomState, np.random.SeedSequence}
    bit_generators = {np.random.PCG64, np.random.PCG64DXSM, np.random.MT19937, np.random.Philox}
    return sorted(dtypes | generators | bit_generators | {np.random.SFC64}, key=str)


def _reason(error: Exception) -> str:
    """The gist of ``error`` on one short line (torch's refusals end with the reason)."""
    text = " ".join(str(error).split()) or type(error).__name__
    _, marker, reason = text.partition("WeightsUnpickler error:")
    text = reason.strip() if marker else text
    return text if len(text) <= 300 else text[:300] + " ..."
