"""TBX files from outside: an undeclared entity is refused, not imported as "&x;", and a
parse error is one line (issue 23, case 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import UserError
from toolkit.glossary.tbx import read_tbx

ENTRY = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="nl"><text><body>
<termEntry id="t1">
<langSet xml:lang="nl"><tig><term>Navo{extra}</term></tig></langSet>
<langSet xml:lang="en"><tig><term>NATO</term></tig></langSet>
</termEntry>
</body></text></martif>
"""


def test_an_entity_reference_is_refused_not_imported_literally(tmp_path: Path) -> None:
    path = tmp_path / "g.tbx"
    path.write_text(
        ENTRY.replace("<martif", '<!DOCTYPE martif [<!ENTITY x "y">]>\n<martif').format(extra="&x;")
    )
    with pytest.raises(UserError, match=r"g.tbx:\d+: uses the entity &x;") as caught:
        read_tbx(path)
    assert "\n" not in str(caught.value)


def test_a_parse_error_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "g.tbx"
    path.write_text(ENTRY.format(extra="&undeclared;"))
    with pytest.raises(UserError, match="not well-formed XML") as caught:
        read_tbx(path)
    assert "\n" not in str(caught.value)


def test_a_plain_entry_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "g.tbx"
    path.write_text(ENTRY.format(extra=""))
    [entry] = read_tbx(path).entries
    assert (entry.source, entry.target) == ("Navo", "NATO")
