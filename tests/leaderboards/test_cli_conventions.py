"""The two command lines feel like one tool: every flag has plain help, one W&B switch
(``--track/--no-track``) and one name per idea everywhere, renamed flags still work with a
warning, ``--help`` imports no torch, and every W&B run lands in the one documented folder."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from baselines.cli import DESCRIPTION, SUBCOMMANDS
from leaderboards.cli import _parser as leaderboard_parser
from leaderboards.cli import main as leaderboard_main
from leaderboards.submission import table_submission
from tests import ROOT
from tests.wandb_files import offline_history

MSG = "econ_envs/MessageAllocation-v0"
SALES = "econ_envs/SequentialSales-v0"
#: reST / Sphinx markup, which a terminal shows verbatim: ``literal``, :role:`target`
MARKUP = re.compile(r"``|:\w+:`")
#: the commands that log W&B runs
LOGGING = {
    "econ-baselines train",
    "econ-baselines bilevel",
    "econ-leaderboard submit",
    "econ-leaderboard seed",
}
#: W&B's own end-of-run summary, printed unless quiet
WANDB_SUMMARY = ("Run history:", "Run summary:")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommand parsers of ``parser`` by name (none if it has no subcommands)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _all_parsers() -> dict[str, argparse.ArgumentParser]:
    """Every parser of both command lines, by the command that reaches it."""
    parsers = {}
    for name, (module, _) in SUBCOMMANDS.items():
        parser = argparse.ArgumentParser(prog=f"econ-baselines {name}")
        importlib.import_module(module).add_arguments(parser)
        parsers[parser.prog] = parser
    top = leaderboard_parser()
    parsers[top.prog] = top
    for sub in _subparsers(top).values():
        parsers[sub.prog] = sub
    return parsers


PARSERS = _all_parsers()


def _visible(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The actions ``--help`` lists (not ``-h`` itself, not hidden deprecated aliases)."""
    return [
        action
        for action in parser._actions
        if action.help != argparse.SUPPRESS and not isinstance(action, argparse._HelpAction)
    ]


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {flag for action in _visible(parser) for flag in action.option_strings}


def test_the_walk_reaches_every_command():
    assert set(PARSERS) == {
        "econ-baselines train",
        "econ-baselines bilevel",
        "econ-baselines sweep",
        "econ-leaderboard",
        *(f"econ-leaderboard {c}" for c in _subparsers(leaderboard_parser())),
    }
    assert {"econ-leaderboard submit", "econ-leaderboard validate"} <= set(PARSERS)


@pytest.mark.parametrize("command", sorted(PARSERS))
def test_every_flag_has_plain_help(command):
    parser = PARSERS[command]
    for action in _visible(parser):
        name = "/".join(action.option_strings) or action.dest
        assert action.help and action.help.strip(), f"{command} {name} has no help"
        assert not MARKUP.search(action.help), f"{command} {name}: {action.help!r}"
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                assert choice.help and not MARKUP.search(choice.help), choice.dest
    hidden = [a for a in parser._actions if a.help == argparse.SUPPRESS]
    assert all(type(a).__name__ == "_DeprecatedAlias" for a in hidden), command
    assert not MARKUP.search(parser.description or ""), command
    assert not MARKUP.search(parser.format_help()), command


def test_the_top_level_help_is_for_users():
    assert not MARKUP.search(DESCRIPTION) and "add_arguments" not in DESCRIPTION
    assert all(not MARKUP.search(text) for _, text in SUBCOMMANDS.values())


def test_one_wandb_switch_named_track_in_every_command_that_logs():
    switched = set()
    for command, parser in PARSERS.items():
        switches = {f for f in _options(parser) if re.fullmatch(r"--(no-)?(track|wandb)", f)}
        if switches:
            assert switches == {"--track", "--no-track"}, command
            switched.add(command)
    assert switched == LOGGING


def test_one_name_per_idea():
    every = set().union(*(_options(p) for p in PARSERS.values()))
    rates = {f for f in every if re.fullmatch(r"--(lr|learning[-_]rate)", f)}
    assert rates == {"--learning-rate"}
    assert "--learning-rate" in _options(PARSERS["econ-baselines train"])
    assert "--learning-rate" in _options(PARSERS["econ-baselines bilevel"])
    assert not {"--env-id", "--lr", "--wandb", "--no-wandb"} & every


def test_show_and_validate_take_what_they_act_on_as_a_positional():
    for command, dest in (("show", "board"), ("validate", "file")):
        parser = PARSERS[f"econ-leaderboard {command}"]
        positionals = [a.dest for a in _visible(parser) if not a.option_strings]
        assert positionals == [dest]
        assert not [a for a in _visible(parser) if a.option_strings and a.required]
    args = leaderboard_parser().parse_args(["validate", "policy.json"])
    assert args.file == Path("policy.json")


def test_renamed_flags_still_work_with_a_warning_naming_the_new_one(capsys):
    train = PARSERS["econ-baselines train"].parse_args(["--lr", "1e-3"])
    assert train.learning_rate == 1e-3
    assert capsys.readouterr().err == (
        "econ-baselines train: warning: --lr is deprecated, use --learning-rate\n"
    )
    bilevel = PARSERS["econ-baselines bilevel"]
    assert bilevel.parse_args(["--env", SALES]).track is True
    assert bilevel.parse_args(["--env", SALES, "--no-wandb"]).track is False
    assert capsys.readouterr().err == (
        "econ-baselines bilevel: warning: --no-wandb is deprecated, use --no-track\n"
    )
    assert bilevel.parse_args(["--env", SALES, "--no-track", "--wandb"]).track is True
    assert "--wandb is deprecated, use --track\n" in capsys.readouterr().err
    submit = ["submit", "--env", MSG, "--file", "p.json"]
    assert leaderboard_parser().parse_args(submit).track is True
    assert leaderboard_parser().parse_args([*submit, "--no-wandb"]).track is False
    assert capsys.readouterr().err == (
        "econ-leaderboard submit: warning: --no-wandb is deprecated, use --no-track\n"
    )


@pytest.mark.parametrize("command", ["bilevel", "train", "sweep"])
def test_help_imports_no_torch(command):
    code = (
        "import sys\n"
        "from baselines.cli import main\n"
        "try:\n"
        f"    main([{command!r}, '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted({'torch', 'tianshou', 'wandb'} & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "--help" in done.stdout and done.stdout.splitlines()[-1] == "[]"


def test_the_bilevel_package_imports_torch_only_when_an_optimizer_is_used():
    code = (
        "import sys\n"
        "import baselines.bilevel as bilevel\n"
        "assert bilevel.GridConfig().n_points == 1024\n"
        "print('torch' in sys.modules)\n"
        "bilevel.optimize\n"
        "print('torch' in sys.modules)\n"
        "try:\n"
        "    bilevel.nothing\n"
        "except AttributeError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.splitlines() == [
        "False",
        "True",
        "module 'baselines.bilevel' has no attribute 'nothing'",
    ]


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """A working directory, W&B offline, and no W&B variable of the user's set."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WANDB_MODE", "offline")
    for name in ("WANDB_DIR", "WANDB_SILENT", "WANDB_QUIET"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _bilevel(cwd: Path) -> subprocess.CompletedProcess[str]:
    """``econ-baselines bilevel`` on a tiny SequentialSales, in its own process (W&B keeps
    process-wide state that other tests' runs would share)."""
    command = [sys.executable, "-m", "baselines.cli", "bilevel", "--env", SALES]
    command += ["--n-agents", "2", "--n-items", "1", "--method", "grid", "--n-points", "4"]
    command += ["--eval-profiles", "50", "--no-progress"]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=True, env=_pythonpath()
    )


def _pythonpath() -> dict[str, str]:
    """The test process's environment, with the repository importable from any directory."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}


def test_a_bilevel_run_lands_in_runs_wandb_and_wandb_is_quiet(offline):
    done = _bilevel(offline)
    (run,) = (offline / "runs" / "wandb").glob("offline-run-*")
    history, config = offline_history(next(run.glob("run-*.wandb")))
    assert config["env_id"] == SALES and any("train/best_score" in row for row in history)
    assert sorted(p.name for p in offline.iterdir()) == ["runs"]  # no ./wandb/
    assert not [line for line in WANDB_SUMMARY if line in done.stderr + done.stdout]


def test_wandb_speaks_when_asked_to(offline, monkeypatch):
    monkeypatch.setenv("WANDB_QUIET", "false")
    done = _bilevel(offline)
    assert all(line in done.stderr + done.stdout for line in WANDB_SUMMARY)


def test_a_leaderboard_run_lands_in_the_same_folder_and_wandb_dir_moves_it(offline, monkeypatch):
    policy = offline / "policy.json"
    policy.write_text(json.dumps(table_submission(MSG, [0, 1, 2], method="conventions")))
    submit = ["--results", str(offline / "results"), "submit", "--env", MSG, "--file", str(policy)]
    assert leaderboard_main(submit) == 0
    assert len(list((offline / "runs" / "wandb").glob("offline-run-*"))) == 1
    monkeypatch.setenv("WANDB_DIR", str(offline / "elsewhere"))
    assert leaderboard_main([*submit, "--force"]) == 0
    assert len(list((offline / "elsewhere" / "wandb").glob("offline-run-*"))) == 1
    assert sorted(p.name for p in offline.iterdir()) == [
        "elsewhere",
        "policy.json",
        "results",
        "runs",
    ]


def test_the_license_is_an_spdx_string():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    build = project["build-system"]["requires"]
    assert build == ["setuptools>=77"]  # the first setuptools that reads SPDX strings
