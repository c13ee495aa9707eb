"""Turn the result files of the baselines into submissions (read as data, scores ignored).

``econ-baselines train`` (PPO/MAPPO) writes :data:`TABLE_NAME` (format ``mappo``) with the
submission :data:`SUBMISSION_NAME` beside it; ``econ-baselines bilevel`` writes a result JSON.
Both carry their own evaluation, which is dropped: the official evaluator recomputes every
score. The formats are declared here, so the baselines write what the leaderboards read without
the leaderboards importing the baselines. :data:`FORMATS` maps a format name to its converter;
:func:`format_hint` tells a user who submits such a file as a submission which ``--format`` it
is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from leaderboards.submission import (
    SubmissionError,
    params_submission,
    parse_submission,
    read_submission_file,
    table_submission,
)

#: the file name of a ``mappo`` result: the exported table with its exact score
TABLE_NAME = "policy_table.json"
#: the same table as a submission, written beside it (``econ-leaderboard submit`` reads it)
SUBMISSION_NAME = "submission.json"


def from_mappo(result: Mapping[str, Any]) -> dict[str, Any]:
    """The submission of a ``policy_table.json`` written by ``econ-baselines train``."""
    return table_submission(
        result["env_id"],
        result["table"],
        method=result["method"],
        env_kwargs=result.get("env_kwargs", {}),
        training_seeds=[result["training_seed"]],
        steps=result.get("training_steps"),
        wall_clock_s=result.get("wall_clock_s"),
    )


def from_bilevel(result: Mapping[str, Any]) -> dict[str, Any]:
    """The submission of a result JSON written by ``econ-baselines bilevel``."""
    config = dict(result["domain_config"])
    domain = config.pop("domain")
    env = str(result["env"])
    env_id = env if env.startswith("econ_envs/") else f"econ_envs/{domain}-v0"
    method_config = result.get("method_config", {})
    return params_submission(
        env_id,
        result["params"],
        method=f"bilevel {result['method']}",
        env_kwargs=config,
        training_seeds=[result["seed"]],
        steps=method_config.get("steps", method_config.get("n_points")),
        wall_clock_s=result.get("wall_clock_s"),
    )


#: format name -> converter of the parsed file
FORMATS: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "mappo": from_mappo,
    "bilevel": from_bilevel,
}
#: format name -> the command that writes its result files
WRITERS = {"mappo": "econ-baselines train", "bilevel": "econ-baselines bilevel"}


def convert(data: Any, fmt: str) -> dict[str, Any]:
    """Convert parsed result data of format ``fmt``; :class:`SubmissionError` if it is not one."""
    if fmt not in FORMATS:
        raise SubmissionError(f"format={fmt!r} is unknown; known formats: {', '.join(FORMATS)}")
    try:
        return FORMATS[fmt](data)
    except SubmissionError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise SubmissionError(f"not a valid {fmt} result file: {error!r}") from None


def read_converted(path: Path | str, fmt: str) -> dict[str, Any]:
    """Read a baseline's result file (strict JSON) and convert it to a submission."""
    return convert(parse_submission(read_submission_file(path)), fmt)


def result_format(path: Path | str) -> str | None:
    """The format of the baseline's result file at ``path`` (a :data:`FORMATS` name), or
    ``None`` for a file that is none (a submission, or no valid file at all)."""
    try:
        data = parse_submission(read_submission_file(path))
    except SubmissionError:
        return None
    for fmt in FORMATS:
        try:
            convert(data, fmt)
        except SubmissionError:
            continue
        return fmt
    return None


def format_hint(path: Path | str) -> str | None:
    """Why ``path`` is refused as a submission when it is a baseline's result file, and what to
    do instead: ``"runs/RUN/policy_table.json is a result file of `econ-baselines train`, not a
    submission: submit it with --format mappo, or use runs/RUN/submission.json (the submission
    beside it)"`` (the last part where that file exists); ``None`` for any other file."""
    fmt = result_format(path)
    if fmt is None:
        return None
    beside = Path(path).with_name(SUBMISSION_NAME)
    alternative = (
        f", or use {beside} (the submission beside it)"
        if beside.is_file() and beside != Path(path)
        else ""
    )
    return (
        f"{path} is a result file of `{WRITERS[fmt]}`, not a submission: submit it with "
        f"--format {fmt}{alternative}"
    )
