"""Reading a sweep file: a bounded read of plain YAML (no anchors or aliases), then
:func:`~baselines.sweep.schema.parse_sweep`. Every failure is a one-line
:class:`~baselines.sweep.schema.SweepError` naming the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from baselines.sweep.schema import SweepConfig, SweepError, parse_sweep
from econ_envs.files import read_text

#: the largest sweep file read, in bytes
MAX_SWEEP_BYTES = 2**20
#: the longest error message (a bad value is shown cut)
MAX_MESSAGE = 800


def load_sweep(path: Path | str) -> SweepConfig:
    """Read and validate a sweep file; :class:`SweepError` naming the field if it is bad.

    The file must be a regular UTF-8 file of at most :data:`MAX_SWEEP_BYTES` (read with a
    bound), plain YAML without anchors and aliases (an alias bomb expands a few lines into
    gigabytes), nested at most as deep as Python's parser goes; the sweep at most
    :data:`~baselines.sweep.schema.MAX_TRIALS` trials of at most
    :data:`~baselines.sweep.schema.MAX_CPUS_PER_TRIAL` CPUs each.
    """
    import yaml

    path = Path(path)
    try:
        data = yaml.load(read_text(path, MAX_SWEEP_BYTES), Loader=_plain_loader())
    except ValueError as error:  # not a regular file, too large, not UTF-8
        raise SweepError(f"cannot read the sweep file: {error}") from None
    except yaml.YAMLError as error:
        raise SweepError(f"{path}: not a valid sweep file: {_short(str(error))}") from None
    except RecursionError:
        raise SweepError(f"{path}: not a valid sweep file: nested too deeply") from None
    try:
        return parse_sweep(data)
    except (ValueError, TypeError) as error:
        raise SweepError(f"{path}: {_short(str(error))}") from None


def _short(message: str) -> str:
    """One line of at most :data:`MAX_MESSAGE` characters."""
    line = " ".join(message.split())
    return line if len(line) <= MAX_MESSAGE else line[:MAX_MESSAGE] + " ..."


def _plain_loader() -> type:
    import yaml

    class PlainLoader(yaml.SafeLoader):
        """YAML's safe loader without anchors and aliases."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent) or getattr(self.peek_event(), "anchor", None):
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(f"anchors and aliases are not allowed (line {mark.line + 1})")
            return super().compose_node(parent, index)

    return PlainLoader
