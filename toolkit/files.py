"""Reading the user's text files and writing outputs without ever leaving half a file.

Reads fail with a `UserError` that names the file, the encoding tried and the
byte offset; writes go to a temporary file in the target folder and are
renamed over the target, so an interrupted run leaves the old file or the new
one, never a mix.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from toolkit.errors import UserError


def read_text(path: Path) -> str:
    """Decode a UTF-8 text file (BOM allowed), newlines normalised to `\\n`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError("no such file; check the path", path=path) from None
    except IsADirectoryError:
        raise UserError("is a directory, expected a text file", path=path) from None
    except OSError as err:
        raise UserError(f"cannot read: {err.strerror}", path=path) from None
    if b"\x00" in data[:8192]:
        raise UserError("looks like a binary file (NUL bytes); give a UTF-8 text file", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise UserError(
            f"not valid UTF-8 (tried utf-8, bad byte 0x{data[err.start]:02x} at byte offset "
            f"{err.start}); convert it, e.g. iconv -f latin1 -t utf-8",
            path=path,
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` to `path` via a temporary sibling and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
