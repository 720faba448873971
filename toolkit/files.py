"""Reading the user's text files and writing outputs without ever leaving half a file.

Reads decode UTF-8 (BOM optional) or BOM-marked UTF-16/UTF-32 and refuse anything
else, and any character no output format can carry, with a `UserError` naming
file, line and fix. Writes go to a temporary file in the target folder, created
with the user's umask, and are renamed over the target, so an interrupted run
leaves the old file or the new one, never a mix; stale temporaries are removed.

Every read is bounded, for readers of any format: `read_limited(path, max_bytes)` gives
the bytes of a regular file (devices, FIFOs, sockets refused without blocking; size counted
while reading), `read_text(path, max_bytes)` the checked text, `read_stream(stream,
max_bytes)` at most that much of standard input. Each refuses with one `UserError` line.

Files of a hostile folder (an output folder's `.toolkit/` state received from someone
else) are opened with `open_state_file` and checked with `refuse_links`: a symbolic link
or a device there is refused with one line, never followed to a file outside.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import secrets
import socket
import stat
import time
from pathlib import Path
from typing import BinaryIO

from toolkit.errors import UserError

# Longest BOM first: the UTF-32-LE BOM begins with the UTF-16-LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# What XML 1.0 cannot hold (C0 controls but tab and newline, U+FFFE, U+FFFF), plus a
# carriage return left inside a text (files have theirs normalised on reading): no
# output format can carry these, so they are refused where text enters the toolkit.
UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")
CONTROL_NAMES = {
    0x00: "NUL",
    0x08: "BACKSPACE",
    0x09: "TAB",
    0x0B: "VERTICAL TAB",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x1C: "FILE SEPARATOR",
    0x1D: "GROUP SEPARATOR",
    0x1E: "RECORD SEPARATOR",
    0x1F: "UNIT SEPARATOR",
}
STALE_SECONDS = 3600  # a temporary file this old is an orphan whoever wrote it
_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"
# `.NAME.HOST.PID.RANDOM.tmp`: HOST and PID say whether its writer is still alive.
TEMP_NAME = re.compile(
    r"\A\.(?P<name>.+)\.(?P<host>[A-Za-z0-9-]+)\.(?P<pid>\d+)\.[0-9a-f]{12}\.tmp\Z", re.DOTALL
)
_swept: set[Path] = set()  # folders already cleaned by this process: once is enough


def describe_character(character: str) -> str:
    """`U+000C (FORM FEED)`: how an error message names a character."""
    code = ord(character)
    return f"U+{code:04X} ({CONTROL_NAMES.get(code, 'control character')})"


def check_characters(text: str, path: object, first_line: int = 1) -> None:
    """Refuse `text` if it holds a character no output format can carry (see UNSAFE_CHARACTER)."""
    found = UNSAFE_CHARACTER.search(text)
    if found is None:
        return
    character = found.group()
    line = first_line + text.count("\n", 0, found.start())
    if character == "\x00":
        raise UserError(
            "looks like a binary file (NUL byte); give a UTF-8 text file", path=path, line=line
        )
    how = f" (e.g. tr '\\{ord(character):03o}' ' ')" if ord(character) < 0x20 else ""
    raise UserError(
        f"holds {describe_character(character)}, which PO, XLIFF and TMX cannot all carry; "
        f"delete it or replace it with a space{how}",
        path=path,
        line=line,
    )


def decode_text(data: bytes, path: object) -> str:
    """Decode file bytes: UTF-8 (BOM optional), or UTF-16/UTF-32 with a BOM."""
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as err:
                raise UserError(
                    f"starts with a {label} byte order mark but is not valid {label} "
                    f"(bad data at byte offset {err.start + len(bom)}); save it again as UTF-8",
                    path=path,
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        if b"\x00" in data:
            raise UserError(
                "looks like a binary file or UTF-16 without a byte order mark (NUL bytes, "
                "not UTF-8); give a UTF-8 text file, e.g. iconv -f utf-16le -t utf-8",
                path=path,
                line=line,
            ) from None
        raise UserError(
            f"not valid UTF-8 (bad byte 0x{data[err.start]:02x} at byte offset {err.start}; "
            "Windows-1252 or Latin-1 text?); convert it, e.g. iconv -f cp1252 -t utf-8",
            path=path,
            line=line,
        ) from None


# Any file the toolkit reads whole (glossaries, review files, memories, configurations) is
# at most this big: far above a real one, far below what exhausts memory.
MAX_READ_BYTES = 64 << 20


def read_limited(path: Path, max_bytes: int = MAX_READ_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; a `UserError` for anything else.

    Devices (/dev/zero, /dev/urandom), FIFOs and sockets are refused before a byte is read
    (opened non-blocking, so a FIFO without a writer cannot hang the run), and the size is
    counted while reading, so a file that grows meanwhile is refused too.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UserError("no such file; check the path", path=path) from None
    except IsADirectoryError:
        raise UserError("is a directory, expected a text file", path=path) from None
    except OSError as err:
        raise UserError(f"cannot read: {err.strerror}", path=path) from None
    with os.fdopen(fd, "rb") as file:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UserError("is a directory, expected a text file", path=path)
        if not stat.S_ISREG(mode):
            raise UserError(
                "is not a regular file (a device, FIFO or socket); give a text file", path=path
            )
        os.set_blocking(fd, True)
        try:
            data = file.read(max_bytes + 1)
        except OSError as err:
            raise UserError(f"cannot read: {err.strerror}", path=path) from None
    if len(data) > max_bytes:
        raise UserError(
            f"is over the limit of {max_bytes:,} bytes; split it, or check that it is the "
            "right file",
            path=path,
        )
    return data


def read_stream(stream: BinaryIO, max_bytes: int, name: str = "-") -> bytes:
    """At most `max_bytes` from a stream (standard input), refused with one line beyond."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UserError(
            f"is over the limit of {max_bytes:,} bytes; split the text, or raise the limit "
            "with --max-document-bytes",
            path=name,
        )
    return data


def read_text(path: Path, max_bytes: int = MAX_READ_BYTES) -> str:
    """Decode a text file (see `decode_text`), newlines normalised to `\\n`, checked characters.

    Regular files of at most `max_bytes` only (see `read_limited`).
    """
    data = read_limited(path, max_bytes)
    text = decode_text(data, path).replace("\r\n", "\n").replace("\r", "\n")
    check_characters(text, path)
    return text


def refuse_links(root: Path, path: Path) -> None:
    """`UserError` when `path`, or a folder from `root` down to it, is a symbolic link, or
    when `path` exists and is not a regular file; missing parts are fine (created later).

    `root` itself is checked too (`OUTDIR/.toolkit`): the folder above it is the user's.
    """
    try:
        relative = path.relative_to(root)
    except ValueError:
        raise AssertionError(f"{path} is not inside {root}") from None
    current = root
    for part in ("", *relative.parts):
        current = current / part if part else current
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return
        except OSError as err:
            raise UserError(f"cannot inspect: {err.strerror}", path=current) from None
        if stat.S_ISLNK(info.st_mode):
            raise UserError(
                "is a symbolic link inside the toolkit's state folder; refusing to follow it "
                f"(remove it, or delete {root})",
                path=current,
            )
        is_last = current == path
        if is_last and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            raise UserError(f"is not a regular file; remove it or delete {root}", path=current)
        if not is_last and not stat.S_ISDIR(info.st_mode):
            raise UserError(f"is not a folder; remove it or delete {root}", path=current)


def open_state_file(root: Path, path: Path, flags: int, mode: int = 0o644) -> int:
    """`os.open` for a file under `root` that never follows a link nor opens a device.

    `refuse_links` checks the folders; `O_NOFOLLOW` closes the race on the file itself and
    `fstat` refuses a FIFO or device that was there already. Returns the descriptor.
    """
    refuse_links(root, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    refuse_links(root, path)
    nofollow = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags | nofollow | os.O_NONBLOCK, mode)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise UserError(
                f"is a symbolic link; refusing to follow it (remove it, or delete {root})",
                path=path,
            ) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UserError(f"is not a regular file; remove it or delete {root}", path=path)
    os.set_blocking(fd, True)
    return fd


def _writer_gone(match: re.Match[str], age: float) -> bool:
    if age > STALE_SECONDS:
        return True
    if match["host"] != _HOST:
        return False  # another machine's writer (a shared folder): only age tells
    try:
        os.kill(int(match["pid"]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False  # alive under another user, or not a pid we can ask about
    return False


def remove_stale_temporaries(folder: Path) -> None:
    """Delete our own temporary files in `folder` whose writer died (kill -9) or that are old."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            if entry.is_file(follow_symlinks=False) and _writer_gone(
                match, now - entry.stat(follow_symlinks=False).st_mtime
            ):
                os.unlink(entry.path)
        except OSError:
            continue  # gone already, or not ours to delete: never fail a write over it


def write_error(err: OSError, path: object) -> UserError:
    """An output that cannot be written (folder missing, not a folder, read-only, disk full)."""
    return UserError(
        f"cannot write: {err.strerror or err}; check the folder's permissions and free space",
        path=err.filename or path,
    )


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` to `path` via a temporary sibling and a rename; mode follows the umask.

    Raises `OSError` (callers add their own fix); `write_error` makes it one line.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if folder.resolve() not in _swept:
        _swept.add(folder.resolve())
        remove_stale_temporaries(folder)
    data = content.encode("utf-8") if isinstance(content, str) else content
    # A long name is shortened so the temporary name stays within the 255-byte limit.
    stem = path.name.encode("utf-8")[:150].decode("utf-8", "ignore")
    tmp = folder / f".{stem}.{_HOST}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
    # 0o666 filtered by the umask is what open() would give the file: mkstemp's 0600 is not.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
