"""PO strings quoted and wrapped exactly as GNU gettext writes them (`msgcat`, Poedit).

gettext breaks lines where Unicode line breaking (UAX #14, libunistring) allows,
never inside an escape, at 79 columns counting both quotes; so does this module,
with the same library when it is installed (it is wherever gettext is). A file we
write is then one a `msgcat` round trip or a save in Poedit leaves byte for byte.
Without libunistring, breaks fall back to translate-toolkit's gettext-like wrapper.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from functools import cache

PAGE_WIDTH = 79
ESCAPES = {
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
    "\v": "\\v", "\\": "\\\\", '"': '\\"',
}  # fmt: skip
# libunistring's break classes (unilbrk.h)
BREAK_UNDEFINED, BREAK_PROHIBITED, BREAK_POSSIBLE = 0, 1, 2
_PROHIBITED = bytes([BREAK_PROHIBITED]) * 4  # a UTF-8 character has at most 4 bytes


@cache
def _unistring() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("unistring")
    if name is None:
        return None
    try:
        library = ctypes.CDLL(name)
        function = library.u8_width_linebreaks
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_int
    function.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
        ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
    ]  # fmt: skip
    return library


def _portions(text: str) -> list[str]:
    """`text` cut after each `\\n`, the way gettext writes one quoted line per portion."""
    portions = text.split("\n")
    pieces = [portion + "\n" for portion in portions[:-1]]
    if portions[-1] or not pieces:
        pieces.append(portions[-1])
    return pieces


_ESCAPE_TABLE = str.maketrans(ESCAPES)
# what makes a character more than one byte of `data`: an escape, or a run of non-ASCII
_WIDE = re.compile("[" + re.escape("".join(ESCAPES)) + "]|[^\x00-\x7f]+")


def _escaped(portion: str) -> tuple[bytes, bytes]:
    """The portion's escaped UTF-8 bytes and, per byte, where a break is forbidden.

    A break may fall before any character but never inside one: every byte after a
    character's first (an escape's letter, a multi-byte character's continuation) is
    prohibited. Plain ASCII is one byte a character, so only the wide ones are walked.
    """
    data = portion.translate(_ESCAPE_TABLE).encode("utf-8")
    overrides = bytearray(len(data))  # BREAK_UNDEFINED (0) everywhere to begin with
    shift = 0  # bytes of `data` before a character beyond its index in `portion`
    for wide in _WIDE.finditer(portion):
        at = wide.start() + shift
        for char in wide.group():
            size = len(ESCAPES.get(char, char).encode("utf-8"))
            overrides[at + 1 : at + size] = _PROHIBITED[: size - 1]
            at += size
            shift += size - 1
    if portion.endswith("\n"):
        overrides[-2] = BREAK_PROHIBITED  # never break right before the final "\n"
    return data, bytes(overrides)


def _breaks(data: bytes, overrides: bytes, width: int, startcol: int) -> list[int]:
    """Byte offsets where gettext starts a new line inside `data`."""
    library = _unistring()
    if library is not None:
        result = ctypes.create_string_buffer(len(data))
        library.u8_width_linebreaks(
            data, len(data), width, startcol, 0, overrides, b"UTF-8", result
        )
        return [i for i, kind in enumerate(result.raw) if kind == BREAK_POSSIBLE]
    from unicode_segmentation_rs import gettext_wrap

    text = data.decode("utf-8")
    lines = gettext_wrap(text, width - startcol) if startcol <= width else [text]
    offsets, at = [], 0
    for line in lines[:-1]:
        at += len(line.encode("utf-8"))
        offsets.append(at)
    return offsets


def po_string(name: str, text: str, prefix: str = "") -> list[str]:
    """The lines gettext writes for keyword `name` (msgid, msgstr…) holding `text`."""
    lines: list[str] = []
    first = True
    after_break = len(prefix) + 1  # the opening quote of a continuation line
    width = PAGE_WIDTH - 1 - after_break  # room for the closing quote
    portions = _portions(text)
    for number, portion in enumerate(portions):
        data, overrides = _escaped(portion)
        last = number == len(portions) - 1
        while True:
            startcol = len(prefix) + (len(name) + 1 if first else 0) + 1 - after_break
            breaks = _breaks(data, overrides, width, startcol) if data else []
            if first and data and (not last or startcol > width or breaks):
                lines.append(f'{prefix}{name} ""')
                first = False
                continue
            break
        head = f"{prefix}{name} " if first else prefix
        first = False
        cuts = [0, *breaks, len(data)]
        for begin, end in zip(cuts, cuts[1:], strict=False):
            piece = data[begin:end].decode("utf-8")
            lines.append(f'{head}"{piece}"')
            head = prefix
    return lines
