"""Running one command of the probe in a sandbox, and judging what it did.

A command runs in its own session (so whatever it starts can be found and killed), with its
address space capped (``RLIMIT_AS``) and no input, in the case's temp folder: its working
directory, and ``HOME`` and ``TMPDIR`` inside it (so Ray's session folder and W&B's fallback
folder would land there too). The environment's ``WANDB_*``, ``RAY_*`` and
``ECON_LEADERBOARD_RESULTS`` are dropped.

:func:`judge` applies the rules every case shares: an expected exit status, within the time
limit, no ``MemoryError``; for a refusal exactly one stderr line, an error line
(:data:`ERRORS`), and no ``Traceback`` anywhere; for an accepted input no error line.
:func:`run_case` adds two more: no new name in the repository (its top level, ``runs/`` and
``leaderboard/``, the folders the commands default to), and the case's ``unchanged`` folders
exactly as they were (names, sizes, modes, mtimes). The machine's ``/tmp`` is shared with other
sessions, so it is not watched; ``TMPDIR`` points into the sandbox, where Ray and W&B would
write, and the categories look there.
"""

from __future__ import annotations

import functools
import os
import resource
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[2]
ENV_ID = "econ_envs/MessageAllocation-v0"
#: the lines a refusal prints (one)
ERRORS = (
    "econ-baselines: error:",
    "econ-leaderboard: rejected:",
    "econ-leaderboard: storage error:",
)
#: the line a skipped file prints (one per file)
WARNING = "econ-leaderboard: warning:"
#: seconds a command may run
LIMIT_S = 60.0
#: bytes of address space a command may map
MEMORY_CAP = 4 * 2**30

Check = Callable[["Outcome"], "str | None"]


@dataclass
class Outcome:
    """What a finished command did.

    Attributes:
        status: its exit status (negative: killed by that signal), None if killed at the limit.
        stdout, stderr: what it printed.
        seconds: wall clock from start to exit.
        peak_mib: its peak resident memory (the command's own process).
        left: pids of its session still alive when it had exited (killed then).
    """

    status: int | None
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float
    left: list[int]


@dataclass
class Case:
    """One hostile input and what a clean answer to it is.

    Attributes:
        category, name: where it is counted and how it is printed.
        argv: the command line (console scripts of this Python's environment).
        sandbox: the case's temp folder.
        statuses: the exit statuses of a clean answer.
        unchanged: folders that must stay exactly as they are ("nothing written").
        expect: text the output must hold.
        warns: whether a warning line must be printed.
        checks: further rules, each a reason for BAD or None.
        env: variables added to the command's environment.
        memory_cap: ``RLIMIT_AS`` of the command.
        messages: whether the one-line message rules apply (False for a ``python -c`` script).
    """

    category: str
    name: str
    argv: list[str]
    sandbox: Path
    statuses: tuple[int, ...] = (2, 3)
    unchanged: tuple[Path, ...] = ()
    expect: str = ""
    warns: bool = False
    checks: tuple[Check, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    memory_cap: int = MEMORY_CAP
    messages: bool = True


@dataclass
class Result:
    """The verdict on one case: clean when there is no reason for BAD."""

    category: str
    name: str
    status: str
    seconds: float
    peak_mib: float
    reasons: list[str]
    command: str
    head: list[str]

    @property
    def clean(self) -> bool:
        """No rule was broken."""
        return not self.reasons

    def report(self) -> str:
        """One line; a BAD case adds why, the command and the head of its output."""
        verdict = "CLEAN" if self.clean else "BAD"
        line = (
            f"{self.category:<12} {self.name:<46} {verdict:<5} exit {self.status:<5} "
            f"{self.seconds:6.1f} s  peak {self.peak_mib:5.0f} MiB"
        )
        if self.clean:
            return line
        more = [f"why: {'; '.join(self.reasons)}", f"$ {self.command}"]
        return "\n    ".join([line, *more, *(f"| {text}" for text in self.head)])


class Command:
    """A command started in ``sandbox`` at construction; :meth:`finish` waits for it."""

    def __init__(
        self,
        argv: list[str],
        sandbox: Path,
        env: dict[str, str] | None = None,
        memory_cap: int = MEMORY_CAP,
    ) -> None:
        self.argv = argv
        # stdout and stderr, closed by finish
        self.streams = (tempfile.TemporaryFile(), tempfile.TemporaryFile())  # noqa: SIM115
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            argv,
            cwd=sandbox,
            env=sandbox_env(sandbox, env or {}),
            stdin=subprocess.DEVNULL,
            stdout=self.streams[0],
            stderr=self.streams[1],
            start_new_session=True,
            preexec_fn=functools.partial(_cap_memory, memory_cap),
        )

    @property
    def pid(self) -> int:
        """The command's process id (also its session's and process group's)."""
        return self.process.pid

    def finish(self, limit: float = LIMIT_S) -> Outcome:
        """Wait until it exits, or kill its process group at ``limit`` seconds."""
        killed = False
        while True:
            done, status, usage = os.wait4(self.pid, os.WNOHANG)
            if done:
                break
            if not killed and time.monotonic() - self.started > limit:
                os.killpg(self.pid, signal.SIGKILL)
                killed = True
            time.sleep(0.05)
        seconds = time.monotonic() - self.started
        self.process.returncode = os.waitstatus_to_exitcode(status)
        code = None if killed else self.process.returncode
        left = session_members(self.pid)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        out, err = (_read(stream) for stream in self.streams)
        return Outcome(code, out, err, seconds, usage.ru_maxrss / 1024, left)

    def stop(self) -> Outcome:
        """Kill its process group now and reap it."""
        os.killpg(self.pid, signal.SIGKILL)
        return self.finish()


def _cap_memory(cap: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _read(stream: IO[bytes]) -> str:
    stream.seek(0)
    text = stream.read().decode(errors="replace")
    stream.close()
    return text


def sandbox_env(sandbox: Path, extra: dict[str, str]) -> dict[str, str]:
    """This environment without W&B, Ray and leaderboard settings, ``HOME`` and ``TMPDIR`` in
    the sandbox, this Python's console scripts first on ``PATH``, plus ``extra``."""
    dropped = ("WANDB_", "RAY_", "ECON_LEADERBOARD_RESULTS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    home, tmp = sandbox / ".home", sandbox / ".tmp"
    home.mkdir(exist_ok=True)
    tmp.mkdir(exist_ok=True)
    path = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(HOME=str(home), TMPDIR=str(tmp), PATH=path, PYTHONDONTWRITEBYTECODE="1")
    return {**env, **extra}


def session_members(session: int) -> list[int]:
    """Live processes whose session id is ``session``."""
    members = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path("/proc", entry, "stat").read_text()
        except OSError:  # it ended meanwhile
            continue
        state, _, _, sid = stat.rpartition(")")[2].split()[:4]
        if int(sid) == session and state != "Z":
            members.append(int(entry))
    return members


@contextmanager
def sandbox(category: str) -> Iterator[Path]:
    """A fresh temp folder for one case, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"hostile-{category}-") as folder:
        yield Path(folder)


def outside() -> set[str]:
    """The names a command writing outside its sandbox would add (see the module docstring)."""
    names = set()
    for folder in (REPO, REPO / "runs", REPO / "leaderboard"):
        if folder.is_dir():
            names |= {str(folder / name) for name in os.listdir(folder)}
    return names


def tree(folder: Path) -> dict[str, tuple[int, int, int]]:
    """(mode, size, mtime) of everything under ``folder`` (symbolic links not followed)."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            info = path.lstat()
            found[str(path.relative_to(folder))] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def judge(case: Case, outcome: Outcome, limit: float) -> list[str]:
    """The reasons for BAD that the outcome itself shows (empty: clean)."""
    reasons = []
    if outcome.status is None:
        reasons.append(f"still running at {limit:.0f} s (killed)")
    elif outcome.status not in case.statuses:
        reasons.append(f"exit status {outcome.status} (clean: {case.statuses})")
    text = outcome.stdout + outcome.stderr
    if "MemoryError" in text:
        reasons.append("MemoryError")
    if case.messages:
        reasons += _message_rules(case, outcome)
    if case.expect and case.expect not in text:
        reasons.append(f"does not print {case.expect!r}")
    if outcome.left:
        reasons.append(f"left {len(outcome.left)} processes running (killed)")
    return reasons + [reason for check in case.checks if (reason := check(outcome))]


def _message_rules(case: Case, outcome: Outcome) -> list[str]:
    reasons = []
    if "Traceback" in outcome.stdout + outcome.stderr:
        reasons.append("Traceback")
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(ERRORS)]
    if outcome.status not in (None, 0) and (len(lines) != 1 or len(errors) != 1):
        reasons.append(f"{len(lines)} stderr lines, {len(errors)} error lines (clean: one)")
    if outcome.status == 0 and errors:
        reasons.append("an error line, yet exit status 0")
    if case.warns and not any(line.startswith(WARNING) for line in lines):
        reasons.append("no warning line")
    return reasons


def run_case(case: Case, limit: float) -> Result:
    """Run ``case`` and judge it."""
    names, before = outside(), {folder: tree(folder) for folder in case.unchanged}
    outcome = Command(case.argv, case.sandbox, case.env, case.memory_cap).finish(limit)
    reasons = judge(case, outcome, limit)
    written = sorted(outside() - names)
    if written:
        reasons.append(f"wrote outside its sandbox: {', '.join(written[:3])}")
    for folder in case.unchanged:
        old, new = before[folder], tree(folder)
        changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        if changed:
            reasons.append(f"changed {folder.name}/: {', '.join(changed[:3])}")
    return result(case, outcome, reasons)


def result(case: Case, outcome: Outcome, reasons: list[str]) -> Result:
    """The :class:`Result` of one command of ``case``."""
    return Result(
        case.category,
        case.name,
        status_text(outcome),
        outcome.seconds,
        outcome.peak_mib,
        reasons,
        shorten(case.argv, case.sandbox),
        head(outcome),
    )


def status_text(outcome: Outcome) -> str:
    """The exit status as printed ("limit": killed at the time limit)."""
    return "limit" if outcome.status is None else str(outcome.status)


def shorten(argv: list[str], sandbox: Path) -> str:
    """The command line as a shell would take it, the sandbox written ``$TMP``."""
    return shlex.join(argv).replace(str(sandbox), "$TMP")


def head(outcome: Outcome, lines: int = 4) -> list[str]:
    """The first lines of stderr (else stdout), each cut to 200 characters."""
    text = outcome.stderr.strip() or outcome.stdout.strip()
    return [line[:200] for line in text.splitlines()[:lines]]


class Fixtures:
    """What several categories start from, made on first use in the probe's own temp folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @functools.cached_property
    def run(self) -> Path:
        """The folder of a finished tiny training run, made with the real command line."""
        argv = ["econ-baselines", "train", "--env", ENV_ID, "--steps", "2000", "--no-track"]
        argv += ["--no-progress", "--run-dir", str(self.folder / "runs")]
        outcome = Command(argv, self.folder).finish(limit=600)
        if outcome.status != 0:
            raise RuntimeError(f"the tiny run failed: {' '.join(head(outcome))}")
        (folder,) = (self.folder / "runs").iterdir()
        return folder
