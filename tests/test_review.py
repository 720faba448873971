"""The review round trip: status of a reviewed file, and the final English from it."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.engines.scripted import ScriptedEngine
from toolkit.errors import UserError
from toolkit.glossary.model import Entry, Glossary, TermKind
from toolkit.review import apply_review, review_status
from toolkit.run import RunOptions, run_translate
from toolkit.stages.settings import StageSettings

SOURCE = "date 2023-04 Poetin sprak.\n\nKernwapens\n\nLoekasjenko zweeg.\n"
GLOSSARY = Glossary(
    entries=[
        Entry("Poetin", "Putin", TermKind.NAME, forbidden=("Poetin",)),
        Entry("Loekasjenko", "Lukashenko", TermKind.NAME, forbidden=("Loekasjenko",)),
    ]
)


@pytest.fixture
def reviewed_po(tmp_path: Path) -> Path:
    source = tmp_path / "artikel.txt"
    source.write_text(SOURCE, "utf-8")
    run_translate(
        [source], tmp_path / "out", ScriptedEngine(), RunOptions(stages=StageSettings(GLOSSARY))
    )
    path = tmp_path / "out" / "artikel.nl-en.po"
    po = polib.pofile(str(path))
    po[0].msgstr, po[0].flags = "Putin spoke.", []  # reviewed, right
    po[2].msgstr, po[2].flags = "Loekasjenko was silent.", []  # reviewed, breaks a term
    po.save(str(path))
    return path


def test_status_counts_states_and_finds_a_translators_term_violation(reviewed_po) -> None:
    status = review_status(reviewed_po, GLOSSARY)
    assert (status.reviewed, status.fuzzy, status.untranslated) == (2, 1, 0)
    assert status.term_violations == [
        "artikel:3: 'Loekasjenko' rendered as forbidden 'Loekasjenko'; use 'Lukashenko'"
    ]


def test_status_cli_json_and_exit_code(reviewed_po, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no toolkit.toml (whose glossary would be checked) above it
    glossary_file = tmp_path / "g.tsv"
    result = CliRunner().invoke(main, ["review", "status", str(reviewed_po), "--json"])
    assert result.exit_code == 0
    [data] = json.loads(result.stdout)
    assert (data["reviewed"], data["fuzzy"], data["untranslated"]) == (2, 1, 0)
    assert not glossary_file.exists()


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        # everything, machine output included (the scripted engine gets the number wrong)
        (
            (False, False),
            "date 2023-04 Putin spoke.\n\nnuclear weapon\n\nLoekasjenko was silent.\n",
        ),
        # only what a human approved
        ((True, False), "date 2023-04 Putin spoke.\n\nLoekasjenko was silent.\n"),
        # unreviewed paragraphs kept but marked
        (
            (True, True),
            "date 2023-04 Putin spoke.\n\n[UNREVIEWED] nuclear weapon\n\nLoekasjenko was silent.\n",
        ),
    ],
)
def test_apply_writes_the_final_english(reviewed_po, tmp_path, flags, expected) -> None:
    written = apply_review(reviewed_po, tmp_path / "final", *flags).target
    assert written.read_text("utf-8") == expected


def test_apply_refuses_a_file_whose_source_changed(reviewed_po, tmp_path) -> None:
    source = tmp_path / "artikel.txt"
    source.write_text(SOURCE.replace("zweeg", "sprak ook"), "utf-8")
    with pytest.raises(UserError, match=r"artikel.txt:5: paragraph 3 of the reviewed file"):
        apply_review(reviewed_po, tmp_path / "final", source=source)
    assert not (tmp_path / "final").exists()


def test_reviewed_work_feeds_the_memory_and_is_reused(reviewed_po, tmp_path) -> None:
    memory = tmp_path / "memory.tmx"
    out = tmp_path / "out"
    run_translate(
        [tmp_path / "artikel.txt"],
        out,
        ScriptedEngine(),
        RunOptions(memory_path=memory, force=True),
    )
    assert memory.exists()
    other = tmp_path / "ander.txt"
    other.write_text("Loekasjenko zweeg.\n\nIets nieuws.\n", "utf-8")
    run_translate([other], tmp_path / "out2", ScriptedEngine(), RunOptions(memory_path=memory))
    po = polib.pofile(str(tmp_path / "out2" / "ander.nl-en.po"))
    assert po[0].msgstr == "Loekasjenko was silent." and po[0].fuzzy
    assert "exact match from translation memory" in po[0].comment
    assert po[1].msgstr == "Iets nieuws."


def _retarget(reviewed_po: Path, context: str) -> Path:
    """The reviewed file with every msgctxt (as files written before issue 22 have them)
    and the document header rewritten: file content an attacker controls."""
    po = polib.pofile(str(reviewed_po))
    po.metadata["X-Toolkit-Document"] = json.dumps(context + "1")
    for number, entry in enumerate(po, 1):
        entry.msgctxt = context + str(number)
    po.save(str(reviewed_po))
    return reviewed_po


@pytest.mark.parametrize(
    "context",
    [
        "{tmp}/abs/ESCAPE:",  # an absolute path in msgctxt chose where apply wrote
        "../../ESCAPE:",  # a relative one climbed out of -o
        "sub/dir/ESCAPE:",  # a nested one created folders inside -o
    ],
)
def test_apply_output_name_never_comes_from_file_content(reviewed_po, tmp_path, context) -> None:
    _retarget(reviewed_po, context.format(tmp=tmp_path))  # escapes stay inside tmp_path
    final = tmp_path / "deep" / "final"
    applied = apply_review(reviewed_po, final)
    assert applied.target == final / "artikel.en.txt"
    assert [p.name for p in final.rglob("*") if p.is_file()] == ["artikel.en.txt"]
    assert not list(tmp_path.glob("**/ESCAPE*"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("artikel.nl-en.po", "artikel.en.txt"),  # our own suffix is replaced
        ("artikel.nl-en.xlf", "artikel.en.txt"),  # whichever format was reviewed
        ("artikel.po", "artikel.en.txt"),  # a file renamed by a translator's tool
        ("v1.2.nl-en.po", "v1.2.en.txt"),  # dots in the document name are kept
    ],
)
def test_apply_output_name_derives_from_the_input_name(reviewed_po, tmp_path, name, expected):
    renamed = reviewed_po.rename(reviewed_po.with_name(name)) if name.endswith(".po") else None
    if renamed is None:  # convert through the XLIFF format to get a real .xlf file
        from toolkit.formats import FORMATS
        from toolkit.formats.base import Provenance
        from toolkit.review import load_reviewed

        renamed = reviewed_po.with_name(name)
        renamed.write_text(
            FORMATS["xliff"].dumps(load_reviewed(reviewed_po), Provenance(engine="x")), "utf-8"
        )
    assert apply_review(renamed, tmp_path / "final").target == tmp_path / "final" / expected


def test_apply_only_reviewed_with_nothing_reviewed_writes_nothing(tmp_path) -> None:
    source = tmp_path / "leeg.txt"
    source.write_text(SOURCE, "utf-8")
    run_translate([source], tmp_path / "out", ScriptedEngine(), RunOptions())
    po = tmp_path / "out" / "leeg.nl-en.po"
    result = CliRunner().invoke(
        main, ["review", "apply", str(po), "-o", str(tmp_path / "final"), "--only-reviewed"]
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "final" / "leeg.en.txt").exists()
    assert f"{po}: nothing reviewed; leeg.en.txt not written" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "0 written, 1 with nothing reviewed"


def test_apply_refuses_two_inputs_writing_the_same_output(reviewed_po, tmp_path) -> None:
    from toolkit.formats import FORMATS
    from toolkit.formats.base import Provenance
    from toolkit.review import load_reviewed

    xlf = reviewed_po.with_name("artikel.nl-en.xlf")
    xlf.write_text(
        FORMATS["xliff"].dumps(load_reviewed(reviewed_po), Provenance(engine="x")), "utf-8"
    )
    final = tmp_path / "final"
    result = CliRunner().invoke(
        main, ["review", "apply", str(reviewed_po), str(xlf), "-o", str(final)]
    )
    assert result.exit_code == 1
    assert "both write" in result.stderr and "artikel.en.txt" in result.stderr
    assert not final.exists()


def _po_with_targets(tmp_path: Path, name: str, dutch: str, targets: list[str]) -> Path:
    """A translate run's PO for `dutch`, its English replaced and its notes removed (no
    risk written by the run), all still machine output (fuzzy)."""
    source = tmp_path / f"{name}.txt"
    source.write_text(dutch, "utf-8")
    out = tmp_path / "out"
    run_translate([source], out, ScriptedEngine(), RunOptions(formats=("po",)))
    path = out / f"{name}.nl-en.po"
    po = polib.pofile(str(path))
    for entry, target in zip(po, targets, strict=True):
        entry.msgstr, entry.comment = target, ""
    po.save(str(path))
    return path


@pytest.fixture
def two_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.chdir(tmp_path)  # no project settings (a default glossary) from the checkout
    first = _po_with_targets(
        tmp_path,
        "eerste",
        "Er waren 1.000 soldaten.\n\nDe zon scheen. Het was warm.\n\nDe wind waaide.\n",
        [
            "There were 1.000 soldiers",  # the thousands point copied, and cut off
            "The sun shone.",  # a sentence dropped
            "The wind blew.",  # fine
        ],
    )
    second = _po_with_targets(
        tmp_path,
        "tweede",
        "Het regende. Het was koud.\n",
        ["Het regende."],  # Dutch, and short
    )
    return [first, second]


def test_status_worst_ranks_paragraphs_across_files(two_files) -> None:
    result = CliRunner().invoke(main, ["review", "status", *map(str, two_files), "--worst", "3"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = lines.index(
        "3 riskiest paragraphs (risk checked now on the files' English; "
        "'written' is the translate run's):"
    )
    ranked = [line.split() for line in lines[header + 1 : header + 7 : 2]]
    # Dutch left in and a sentence dropped, then a sentence dropped (half the English gone),
    # then a number and an end mark
    assert [(Path(r[1]).name, r[2]) for r in ranked] == [
        ("tweede.nl-en.po", "tweede:1"),
        ("eerste.nl-en.po", "eerste:2"),
        ("eerste.nl-en.po", "eerste:1"),
    ]
    risks = [int(r[0]) for r in ranked]
    assert risks == sorted(risks, reverse=True) and risks[0] >= 40
    assert lines[header + 2].strip() == "Het regende."  # the English, for finding it


def test_status_worst_json_has_flags_and_english(two_files) -> None:
    result = CliRunner().invoke(
        main, ["review", "status", *map(str, two_files), "--worst", "3", "--json"]
    )
    data = json.loads(result.stdout)
    assert [f["document"] for f in data["files"]] == ["eerste", "tweede"]
    top, _, second = data["worst"]
    assert (top["unit"], top["written"]) == ("tweede:1", None)
    assert top["risk"] == top["checked"] >= second["risk"]
    assert [flag.split(":")[0] for flag in top["flags"]] == ["dropped", "untranslated"]
    assert second["flags"] == [
        "dropped: the English stops without an end mark ('… were 1.000 soldiers'); "
        "the Dutch ends with '.'",
        "numbers: 1.000 in the Dutch has no 1,000 or 1000 in the English",
    ]
    assert second["english"] == "There were 1.000 soldiers"


# (note the run wrote, the paragraph reviewed?, expected risk: None for the checked one)
WRITTEN_CASES = [
    # machine output: the run's risk had the engine's confidence, which a file cannot hold
    ("risk 80/100", False, 80),
    # the other spelling of the note
    ("risk: 80", False, 80),
    # lower than a check now: still the run's, the value its HTML page and notes show (the
    # check has no confidence to go on; a translator who edits marks the paragraph reviewed)
    ("risk 10/100", False, 10),
    # a translator approved it: their text is judged afresh, the machine's risk is history
    ("risk 80/100", True, None),
]


@pytest.mark.parametrize(("note", "reviewed", "risk"), WRITTEN_CASES)
def test_status_worst_reads_the_risk_the_run_wrote(two_files, note, reviewed, risk) -> None:
    from toolkit.review import worst_paragraphs

    [before] = [r for r in worst_paragraphs(two_files, 5) if r.unit == "eerste:1"]
    po = polib.pofile(str(two_files[0]))
    po[0].comment = note
    po[0].flags = [] if reviewed else ["fuzzy"]
    po.save(str(two_files[0]))
    [found] = [r for r in worst_paragraphs(two_files, 5) if r.unit == "eerste:1"]
    assert found.checked == before.checked  # the check is the same, the note aside
    assert found.risk == (found.checked if risk is None else risk)


def test_status_worst_comes_first_and_term_violations_only_counted(
    reviewed_po, tmp_path, monkeypatch
) -> None:
    # issue 22: `--worst 5` printed its answer after every term violation (129 lines)
    monkeypatch.chdir(tmp_path)
    glossary = tmp_path / "g.tsv"
    glossary.write_text(
        "source\ttarget\tkind\ttarget_variants\tforbidden\tsource_variants\tnote\tstatus\n"
        "Loekasjenko\tLukashenko\tname\t\tLoekasjenko\t\tthe AP spelling\tapproved\n",
        "utf-8",
    )
    result = CliRunner().invoke(
        main, ["review", "status", str(reviewed_po), "--worst", "2", "--glossary", str(glossary)]
    )
    assert result.exit_code == 1, result.output  # a violation is still an error
    assert result.stdout, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2 riskiest paragraphs")
    assert "  artikel:3: 'Loekasjenko' rendered as forbidden" not in lines  # not listed
    assert any("terms: 'Loekasjenko' rendered as forbidden" in line for line in lines[:5])
    assert lines[-1].endswith("1 term violations")
    assert "without --worst to list" in result.stderr
