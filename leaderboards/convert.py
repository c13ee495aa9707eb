"""Turn the result files of the baselines into submissions (read as data, scores ignored).

``econ-baselines train`` (PPO/MAPPO) writes ``policy_table.json``; ``econ-baselines bilevel``
writes a result JSON. Both carry their own evaluation, which is dropped: the official evaluator
recomputes every score. :data:`FORMATS` maps a format name to its converter.
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
