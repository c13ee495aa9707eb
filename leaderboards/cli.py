"""``econ-leaderboard``: submit, show, render, list, validate and seed the boards.

Examples::

    econ-leaderboard submit --env econ_envs/MSPM-v0 --file policy.json --method "MAPPO (ours)"
    econ-leaderboard submit --env econ_envs/MSPM-v0 --file runs/RUN/policy_table.json --format mappo
    econ-leaderboard show econ_envs/MSPM-v0
    econ-leaderboard validate policy.json
    econ-leaderboard render
    econ-leaderboard seed reference zero vcg --mappo runs/mappo --bilevel runs/bilevel
    econ-leaderboard sync
    econ-leaderboard reevaluate

New records go to your results folder (``--results DIR``, else ``$ECON_LEADERBOARD_RESULTS``, else
``leaderboard/`` in the working directory); every board shows them with the official records
shipped with the package, and nothing is written inside the package.
W&B runs are written offline (unless ``WANDB_MODE`` says otherwise) under ``runs/wandb/``, the
folder of every W&B run of the suite (``$WANDB_DIR/wandb/`` if set; ``--wandb-dir`` moves it).
A rejected submission exits with status 2 and writes nothing; a result file of
``econ-baselines train`` or ``bilevel`` given as a submission is rejected naming its ``--format``,
and an unknown id or board naming the one it most likely means. ``show`` prints each board,
then how to read their scores, once. A failure to write a record, a
W&B run or a rendered board (read-only folder, disk full) exits with status 3 and a message
naming the path (``storage error``). A submission identical to an entry already on its board
(same method and table or params) is not recorded again: ``submit`` prints ``already on the
board`` with the earlier record and exits with status 0. A file in the results that is not a
valid record of its board is skipped with a ``warning`` naming it. ``sync`` re-logs the W&B run
of every record whose offline run is missing or truncated (a submit killed while logging).
A record scored by an older evaluator is skipped with a warning until ``reevaluate`` scores its
submission again.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from leaderboards.boards import Board, boards, select
from leaderboards.cli_options import add_track_option
from leaderboards.convert import FORMATS, TABLE_NAME, format_hint, read_converted
from leaderboards.extras import missing_module_hint, version
from leaderboards.families import board_family
from leaderboards.records import (
    DEFAULT_RESULTS_DIR,
    RESULTS_ENV,
    RecordWarning,
    StorageError,
    load_records,
)
from leaderboards.render import (
    HEADER,
    board_rows,
    describe,
    fmt,
    score_notes,
    standings,
)
from leaderboards.submission import SubmissionError, load_submission
from leaderboards.tracking import wandb_dir

PROG = "econ-leaderboard"
DESCRIPTION = (
    "Submit, show, render, list, validate and seed the leaderboards of econ_envs. Run "
    "`econ-leaderboard COMMAND --help` for the options of a command."
)
_WANDB_DIR_HELP = "folder whose wandb/ holds the W&B runs (default: runs, or $WANDB_DIR)"
_STATUS_REJECTED = 2
_STATUS_STORAGE = 3
#: rows of the board printed after a submit
_SUBMIT_TOP = 10
#: the columns ``show`` prints even when empty
_ALWAYS_SHOWN = ("#", "method", "score")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"{PROG} {version()}")
    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help="your results folder: new records are written there, and boards show them with the "
        f"official records shipped with the package (default: ${RESULTS_ENV}, else "
        f"./{DEFAULT_RESULTS_DIR})",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="the command to run"
    )

    sub = commands.add_parser("submit", help="evaluate a submission officially and record it")
    sub.add_argument("--env", required=True, help="env id, e.g. econ_envs/MSPM-v0")
    sub.add_argument("--file", required=True, type=Path, help="submission JSON")
    sub.add_argument("--method", help="method name (replaces the file's)")
    sub.add_argument(
        "--format",
        choices=["submission", *FORMATS],
        default="submission",
        help="the file is a submission (default), or a result file of econ-baselines train "
        "(mappo: policy_table.json) or bilevel, converted to one (its own score is ignored)",
    )
    sub.add_argument(
        "--force", action="store_true", help="record it even if the same entry is on the board"
    )
    _wandb_options(sub)

    show = commands.add_parser("show", help="print the ranked board(s) of an id in the terminal")
    show.add_argument("board", help="env id, env name (MSPM-v0) or board key (MSPM-v0/n_types-4)")
    show.add_argument("--top", type=int, default=20, help="rows to print (default: 20)")

    render = commands.add_parser("render", help="write README.md and the plots of every board")
    render.add_argument(
        "--out", type=Path, default=None, help="output folder (default: the results folder)"
    )

    commands.add_parser("boards", help="list the boards")

    check = commands.add_parser("validate", help="check a submission without evaluating it")
    check.add_argument("file", type=Path, help="submission JSON")

    seed = commands.add_parser("seed", help="seed the boards with the suite's own entries")
    seed.add_argument(
        "sources",
        nargs="*",
        default=["reference", "zero", "vcg"],
        help="built-in sources: reference, zero, vcg, bilevel (runs the bilevel baselines; "
        "default: reference zero vcg)",
    )
    seed.add_argument(
        "--files",
        nargs="*",
        default=[],
        type=Path,
        help="submission JSON files, or folders of them",
    )
    seed.add_argument(
        "--mappo",
        nargs="*",
        default=[],
        type=Path,
        help="policy_table.json files written by econ-baselines train, or folders of them",
    )
    seed.add_argument(
        "--bilevel",
        nargs="*",
        default=[],
        type=Path,
        help="result JSON files written by econ-baselines bilevel, or folders of them",
    )
    seed.add_argument("--force", action="store_true", help="resubmit entries already recorded")
    _wandb_options(seed)

    sync = commands.add_parser(
        "sync", help="re-log the W&B runs that are missing or truncated (offline W&B)"
    )
    sync.add_argument("--wandb-dir", type=Path, default=wandb_dir(), help=_WANDB_DIR_HELP)
    commands.add_parser(
        "reevaluate",
        help="score the records that an older evaluator scored again (then `sync` logs their "
        "W&B runs)",
    )
    return parser


def _wandb_options(parser: argparse.ArgumentParser) -> None:
    add_track_option(parser)
    parser.add_argument("--wandb-dir", type=Path, default=wandb_dir(), help=_WANDB_DIR_HELP)


#: the columns ``show`` leaves out on a terminal narrower than :data:`_WIDE` characters
_NARROW_DROPPED = ("authors", "date", "run")
_WIDE = 120


def _show(query: str, results: Path, top: int) -> None:
    """Print the boards ``query`` selects, then how to read their scores, once."""
    notes: list[str] = []
    for board in select(query):
        records = load_records(board, results)
        if _show_board(board, records, top, notes=False):
            notes += [note for note in score_notes(board) if note not in notes]
    _print_notes(notes)


def _show_board(board: Board, records: list[dict], top: int, *, notes: bool = True) -> bool:
    """Print one ranked board (its first ``top`` records) and, if ``notes``, how to read its
    scores; return whether it has scores to read (open, with records)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    rows = board_rows(records)[:top]
    # empty columns (no authors, no steps anywhere) are left out to fit narrow terminals
    keep = [i for i, h in enumerate(HEADER) if h in _ALWAYS_SHOWN or any(r[i] != "–" for r in rows)]
    if console.width < _WIDE:  # and provenance, to keep the scores readable
        keep = [i for i in keep if HEADER[i] not in _NARROW_DROPPED]
    # at least as wide as its title, which would wrap above an empty board's narrow table
    table = Table(
        title=board.key, caption=describe(board).replace("`", ""), min_width=len(board.key)
    )
    for i in keep:
        justify = "right" if HEADER[i] in ("#", "score") else "left"
        table.add_column(HEADER[i], justify=justify, no_wrap=HEADER[i] == "score")
    for row in rows:
        table.add_row(*(row[i] for i in keep))
    console.print(table)
    if not board.open:
        console.print(f"  closed: {board.closed_because}")
    elif not records:
        console.print("  no submissions yet")
    elif notes:
        _print_notes(score_notes(board))
    return board.open and bool(records)


def _print_notes(notes: list[str]) -> None:
    """Print how to read the scores, one note a paragraph."""
    from rich.console import Console

    console = Console()
    for note in notes:
        console.print(f"  {note}", highlight=False, markup=False)


def _submit(args: argparse.Namespace) -> None:
    from leaderboards.submit import submit

    source = args.file if args.format == "submission" else read_converted(args.file, args.format)
    try:
        result = submit(
            source,
            env_id=args.env,
            method=args.method,
            results_dir=args.results,
            wandb_dir=args.wandb_dir if args.track else None,
            force=args.force,
        )
    except SubmissionError:
        hint = format_hint(args.file) if args.format == "submission" else None
        if hint is None:
            raise
        raise SubmissionError(hint) from None
    record = result.record
    board = next(b for b in boards() if b.key == record["board"])
    ranked = load_records(board, args.results)
    position = next(
        (f"rank {k}" for k, r in zip(standings(ranked), ranked, strict=True) if r == record),
        "not listed",
    )
    if result.duplicate:
        print(
            f"{record['board']}: {record['method']} is already on the board with this "
            f"{board_family(board.family).payload} (recorded "
            f"{record['timestamp'][:10]}, {board.metric_label} {fmt(record['score'])}; "
            f"{position} of {len(ranked)}); nothing written (--force records it again)"
        )
    else:
        print(
            f"{record['board']}: {record['method']} scored {board.metric_label} "
            f"{fmt(record['score'])} (regret {fmt(record['regret'])}, gap "
            f"{fmt(record['optimality_gap'])}); {position} of {len(ranked)}"
        )
    print(f"record: {result.path}")
    if result.wandb_run is not None:
        print(f"W&B run: {result.wandb_run}")
    _show_board(board, ranked, _SUBMIT_TOP)  # the board submitted to, and no other


def _seed(args: argparse.Namespace) -> None:
    from leaderboards import seed

    unknown = sorted(set(args.sources) - set(seed.SOURCES))
    if unknown:
        raise SubmissionError(f"unknown seed source(s) {unknown}; known: {', '.join(seed.SOURCES)}")
    submissions = itertools.chain(
        *(seed.SOURCES[name]() for name in args.sources),
        seed.file_submissions(args.files),
        seed.mappo_submissions(seed.file_submissions(args.mappo, f"**/{TABLE_NAME}")),
        seed.bilevel_submissions(seed.file_submissions(args.bilevel)),
    )
    done = seed.seed_boards(
        submissions,
        results_dir=args.results,
        force=args.force,
        wandb_dir=args.wandb_dir if args.track else None,
        progress=lambda r: print(
            f"{r['board']:<60} {r['method']:<45} {fmt(r['score'])}", flush=True
        ),
    )
    print(f"seeded {len(done)} new records (submissions already recorded were skipped)")


def _sync(args: argparse.Namespace) -> None:
    from leaderboards.sync import sync

    report = sync(
        args.results,
        args.wandb_dir,
        progress=lambda r, state, run: print(
            f"{r['board']:<60} {r['method']:<45} {state} W&B run re-logged: {run}", flush=True
        ),
    )
    print(
        f"checked {report.checked} records: {len(report.relogged)} W&B runs re-logged, "
        f"{len(report.removed)} stale temporary files removed"
    )


def _reevaluate(args: argparse.Namespace) -> None:
    from leaderboards.reevaluate import reevaluate

    done = reevaluate(
        args.results,
        progress=lambda r: print(
            f"{r.record['board']:<60} {r.record['method']:<45} "
            f"{fmt(r.old.record['score'])} -> {fmt(r.record['score'])}: {r.path}",
            flush=True,
        ),
    )
    print(f"scored {len(done)} records again; `{PROG} sync` logs their W&B runs")


def _render(args: argparse.Namespace) -> None:
    from leaderboards.render import render

    changed = 0

    def progress(done: int, total: int, board: Board, saved: dict[Path, bool]) -> None:
        nonlocal changed
        changed += sum(saved.values())
        what = f"{sum(saved.values())} of {len(saved)} plot files changed" if saved else "no plot"
        counter = f"[{done:>{len(str(total))}}/{total}]"
        print(f"{counter} {board.key:<60} {what}", file=sys.stderr, flush=True)

    paths = render(args.results, args.out, progress=progress)
    print(f"wrote {paths[0]} and {len(paths) - 1} plots ({changed} of them changed)")


def _warn(message: Warning | str, *_: object, **__: object) -> None:
    print(f"{PROG}: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 when a submission is rejected, 3 when
    storing a result failed). Skipped result files are reported as warnings on stderr."""
    args = _parser().parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("always", RecordWarning)
        warnings.showwarning = _warn
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "submit":
            _submit(args)
        elif args.command == "show":
            _show(args.board, args.results, args.top)
        elif args.command == "render":
            _render(args)
        elif args.command == "boards":
            for board in boards():
                print(f"{board.key:<60} {board.metric:<12} optimum {fmt(board.optimal_value)}")
        elif args.command == "validate":
            try:
                submission = load_submission(args.file)
            except SubmissionError:
                hint = format_hint(args.file)
                if hint is None:
                    raise
                raise SubmissionError(hint) from None
            print(f"valid submission for board {submission.board.key}")
        elif args.command == "seed":
            _seed(args)
        elif args.command == "sync":
            _sync(args)
        elif args.command == "reevaluate":
            _reevaluate(args)
    except StorageError as error:
        print(f"{PROG}: storage error: {error}", file=sys.stderr)
        return _STATUS_STORAGE
    except (SubmissionError, ValueError, OSError) as error:
        print(f"{PROG}: rejected: {error}", file=sys.stderr)
        return _STATUS_REJECTED
    except ModuleNotFoundError as error:
        hint = missing_module_hint(error, f"{PROG} {args.command}")
        if hint is None:
            raise
        print(f"{PROG}: error: {hint}", file=sys.stderr)
        return _STATUS_REJECTED
    return 0


if __name__ == "__main__":
    sys.exit(main())
