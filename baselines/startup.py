"""Start-up and exit of the command line, without the garbage collector's walks of torch.

Importing torch, tianshou and ``torch._dynamo`` (which torch's optimizers import when they are
built) creates ~450,000 objects, and the cyclic garbage collector walks them ~1,100 times on the
way: about 1 s of a 4 s start-up on a 2-core machine. At exit the interpreter's final
collections walk them again: another ~1 s. :func:`imports_without_gc` imports with the
collector off (modules live until exit anyway), and :func:`freeze_for_exit` moves every object
alive at the end of a command to the collector's permanent generation (:func:`gc.freeze`), so
the exit skips them. Neither changes what a run computes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def imports_without_gc() -> Iterator[None]:
    """Run the body (heavy imports) with the cyclic garbage collector off, then restore it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze_for_exit() -> None:
    """Exempt every object alive now from the interpreter's collections at exit (call it last,
    once the command's files are written and closed)."""
    gc.freeze()
