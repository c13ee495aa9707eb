"""Reading the files that users hand us (submissions, result files, records, sweep files,
checkpoint configs): regular files only, a bounded read, UTF-8 text. It lives in the core, like
:mod:`econ_envs.provenance`, so that the baselines and the leaderboards share it without
importing each other.

A FIFO would block a reader and a device (``/dev/zero``) would feed it without end, so the file
is opened without blocking and must be a regular file before a byte is read; at most the limit
plus one byte is ever read (a file that grows while it is read cannot get past it). Text must be
UTF-8 without a byte-order mark: a UTF-16 file, which ``json.loads`` of bytes would silently
accept, is refused. Every refusal is a :class:`UserFileError` (a ``ValueError``) naming the file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class UserFileError(ValueError):
    """A file a user handed us cannot be read as what it should be; the message names it."""


def read_bytes(path: Path | str, max_bytes: int, *, follow_links: bool = True) -> bytes:
    """The content of the regular file ``path``, at most ``max_bytes`` long.

    ``follow_links=False`` refuses a symbolic link too (a record must lie where it is listed).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_links else os.O_NOFOLLOW)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        linked = error.errno == errno.ELOOP and Path(path).is_symlink()
        reason = "it is a symbolic link" if linked else error.strerror
        raise UserFileError(f"{path}: cannot be read: {reason}") from None
    mode = os.fstat(handle).st_mode
    if not stat.S_ISREG(mode):
        os.close(handle)
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a FIFO or device)"
        raise UserFileError(f"{path}: cannot be read: it is {kind}")
    with os.fdopen(handle, "rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UserFileError(f"{path} is larger than {max_bytes} bytes")
    return data


def read_text(path: Path | str, max_bytes: int, *, follow_links: bool = True) -> str:
    """:func:`read_bytes`, decoded as UTF-8 without a byte-order mark."""
    data = read_bytes(path, max_bytes, follow_links=follow_links)
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        raise UserFileError(f"{path} starts with a byte-order mark: it must be UTF-8 without one")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"{path} is not UTF-8 text ({error.reason} at byte {error.start})"
        raise UserFileError(message) from None
