"""Options shared by the ``econ-leaderboard`` and ``econ-baselines`` command lines (here, since
the baselines may import the leaderboards, never the reverse).

One W&B switch everywhere, ``--track/--no-track`` (CleanRL's name, the ``track`` field of a
training config and of a sweep file), and hidden, deprecated aliases for renamed options: an
old spelling still works, with a one-line warning naming its replacement.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

TRACK_HELP = (
    "log a W&B run (offline unless W&B is configured) under runs/wandb/, or $WANDB_DIR/wandb/ "
    "if WANDB_DIR is set (default: on)"
)


class _DeprecatedAlias(argparse.Action):
    """An old spelling of an option, hidden from ``--help``: stores what ``replacement`` would
    store (``const`` for a switch, else the parsed value), after a warning on stderr."""

    def __init__(
        self,
        option_strings: Sequence[str],
        dest: str,
        replacement: str,
        **kwargs: Any,
    ) -> None:
        self.replacement = replacement
        super().__init__(option_strings, dest, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        print(
            f"{parser.prog}: warning: {option_string} is deprecated, use {self.replacement}",
            file=sys.stderr,
        )
        setattr(namespace, self.dest, self.const if self.nargs == 0 else values)


def add_deprecated_alias(
    parser: argparse.ArgumentParser,
    old: str,
    replacement: str,
    *,
    dest: str,
    const: Any = None,
    type: Callable[[str], Any] | None = None,
) -> None:
    """Accept ``old`` as a hidden, deprecated spelling of ``replacement`` (which stores into
    ``dest``): a switch storing ``const`` when ``type`` is ``None``, else an option taking one
    value parsed by ``type``."""
    kind: dict[str, Any] = {"nargs": 0, "const": const} if type is None else {"type": type}
    parser.add_argument(
        old,
        dest=dest,
        action=_DeprecatedAlias,
        replacement=replacement,
        help=argparse.SUPPRESS,
        **kind,
    )


def add_track_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--track/--no-track`` (into ``args.track``), and the deprecated ``--wandb`` and
    ``--no-wandb`` spellings of it."""
    parser.add_argument(
        "--track", action=argparse.BooleanOptionalAction, default=True, help=TRACK_HELP
    )
    add_deprecated_alias(parser, "--wandb", "--track", dest="track", const=True)
    add_deprecated_alias(parser, "--no-wandb", "--no-track", dest="track", const=False)
