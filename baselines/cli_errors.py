"""User errors of the ``econ-baselines`` command line, and the checks of ``--env`` they come from.

A :class:`UsageError` is what a subcommand raises for a bad command-line value: ``econ-baselines``
prints it as one line, ``econ-baselines: error: <message>`` (argparse's style, no traceback),
and exits with status 2. Nothing here imports torch: the checks run before anything heavy.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import gymnasium as gym

import econ_envs
from econ_envs import AMA, STACKELBERG
from econ_envs.ama import DOMAINS, resolve_domain
from econ_envs.validation import closest_id, did_you_mean


class UsageError(Exception):
    """A bad command-line value; its message names the option (``--env``, ``--n-agents``, ...)."""


def usage_error(error: Exception, options: Mapping[str, str], option: str) -> UsageError:
    """``error`` (a ``ValueError``/``TypeError`` of a check) on one line, naming its option: a
    message that starts with a keyword of ``options`` (keyword -> option) starts with that
    option instead; any other message is prefixed by ``option``."""
    message = " ".join(str(error).split())
    for keyword, name in options.items():
        if message.startswith(keyword) and message[len(keyword) : len(keyword) + 1] in " =[:":
            return UsageError(name + message[len(keyword) :])
    return UsageError(f"{option}: {message}")


def check_env_family(option: str, env_id: Any, family: str, command: str) -> None:
    """``UsageError`` unless ``env_id`` is a registered id of ``family`` (``"stackelberg"`` or
    ``"ama"``); the message lists that family's ids, names the subcommand that takes the other
    family, and the id an unknown ``env_id`` most likely means (``MSPM-v0``:
    ``econ_envs/MSPM-v0``)."""
    allowed = econ_envs.ids(family)
    if env_id in allowed:
        return
    known = econ_envs.ids()
    meant = env_id if env_id in known else closest_id(env_id, known)
    hints = [] if meant == env_id else [f"got {env_id!r}{did_you_mean(env_id, known)}"]
    if meant is not None and meant not in allowed:
        other = {STACKELBERG: ("an AMA", "bilevel"), AMA: ("a Stackelberg POMDP", "train")}[family]
        hints.append(f"{meant} is {other[0]} env: use `econ-baselines {other[1]} {option} {meant}`")
    raise UsageError(
        f"{option} of `econ-baselines {command}` must be one of {allowed}; {'; '.join(hints)}"
    )


def check_stackelberg_env(env_id: str, env_kwargs: dict[str, Any]) -> None:
    """``--env`` is a Stackelberg POMDP id and ``--env-kwargs`` build it (``gym.make``): a
    ``UsageError`` naming the option otherwise."""
    check_env_family("--env", env_id, STACKELBERG, "train")
    try:
        gym.make(env_id, **env_kwargs).close()
    except (ValueError, TypeError) as error:
        # gymnasium re-raises a creator's TypeError with the kwargs appended: report the cause
        cause = error.__cause__
        original = cause if isinstance(cause, ValueError | TypeError) else error
        raise usage_error(original, {}, "--env-kwargs") from None


def check_ama_env(env_id: str, domain_kwargs: dict[str, Any]) -> None:
    """``--env`` is an AMA id and the domain options given (``--n-agents`` for ``n_agents``, ...)
    are keywords of its domain that build it: a ``UsageError`` naming the option otherwise."""
    check_env_family("--env", env_id, AMA, "bilevel")
    options = {keyword: flag(keyword) for keyword in domain_kwargs}
    builder = DOMAINS[econ_envs.entry(env_id).kwargs["domain"]]
    allowed = inspect.signature(builder).parameters
    unknown = [options[keyword] for keyword in domain_kwargs if keyword not in allowed]
    if unknown:
        raise UsageError(
            f"{', '.join(unknown)}: not an option of {env_id} (its options: "
            f"{', '.join(map(flag, allowed))})"
        )
    try:
        resolve_domain(env_id, **domain_kwargs)
    except (ValueError, TypeError) as error:
        raise usage_error(error, options, "--env") from None


def flag(keyword: str) -> str:
    """The command-line option of a keyword: ``n_agents`` -> ``--n-agents``."""
    return "--" + keyword.replace("_", "-")
