"""``econ-baselines``: one command line for every baseline.

Each subcommand lives in its own module exposing ``add_arguments(parser)`` and ``run(args)``;
modules are imported only when their subcommand is used. A user error (a bad option, or a
:class:`~baselines.cli_errors.UsageError` raised by ``run``) prints one line,
``econ-baselines: error: ...``, and exits with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn

from baselines import __version__
from baselines.cli_errors import UsageError
from baselines.startup import freeze_for_exit
from leaderboards.extras import missing_module_hint
from leaderboards.tracking import WandbDirError

PROG = "econ-baselines"
DESCRIPTION = (
    "Train and optimize the baselines of econ_envs. Run `econ-baselines COMMAND --help` for the "
    "options of a command. W&B runs go to runs/wandb/ (or $WANDB_DIR/wandb/)."
)

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "train": ("baselines.mappo.cli", "train PPO or MAPPO on a Stackelberg POMDP env"),
    "bilevel": (
        "baselines.bilevel.cli",
        "optimize AMA parameters (grid search, zeroth-order, first-order)",
    ),
    "sweep": ("baselines.sweep.cli", "run a sweep file of train/bilevel runs on Ray Tune"),
}


class OneLineParser(argparse.ArgumentParser):
    """An argument parser (and its subcommands' parsers) whose errors are one line,
    ``econ-baselines: error: <message>``, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: error: {' '.join(message.split())}\n")


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``econ-baselines``."""
    argv = sys.argv[1:] if argv is None else argv
    parser = OneLineParser(prog=PROG, description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="the command to run"
    )
    try:
        if argv and argv[0] in SUBCOMMANDS:
            module = importlib.import_module(SUBCOMMANDS[argv[0]][0])
            summary = SUBCOMMANDS[argv[0]][1]
            module.add_arguments(sub.add_parser(argv[0], help=summary, description=summary))
        else:
            for name, (_, help_text) in SUBCOMMANDS.items():
                sub.add_parser(name, help=help_text)
        args = parser.parse_args(argv)
        module = importlib.import_module(SUBCOMMANDS[args.command][0])
        return int(module.run(args) or 0)
    except (UsageError, WandbDirError) as error:
        parser.error(str(error))
    except ModuleNotFoundError as error:
        command = " ".join([PROG, *argv[:1]]) if argv and argv[0] in SUBCOMMANDS else PROG
        hint = missing_module_hint(error, command)
        if hint is None:
            raise
        parser.error(hint)


def console_main() -> int:
    """Entry point of the ``econ-baselines`` script: :func:`main`, then an exit that skips the
    garbage collector's walk of torch (:mod:`baselines.startup`)."""
    try:
        return main()
    finally:
        freeze_for_exit()


if __name__ == "__main__":
    raise SystemExit(console_main())
