"""Property tests: any document made of characters a source file may hold round-trips exactly.

Each readable format writes a random document (text from the whole allowed alphabet,
review states, translator comments, notes, flags, metadata) and must read back what
its contract class says it carries (`expected_paragraph`), nothing lost or split.
"""

from __future__ import annotations

import pytest
import test_po
import test_tmx
import test_tsv
import test_xliff
from contract import PROVENANCE, FormatContract
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.document import Document, Paragraph, ReviewState, Sentence
from toolkit.files import UNSAFE_CHARACTER

# Every character a UTF-8 text file can bring past toolkit.files.read_text.
ALLOWED = st.characters(codec="utf-8").filter(lambda c: not UNSAFE_CHARACTER.match(c))
# Weighted towards the characters that broke readers: line-break look-alikes and spaces.
TRICKY = st.sampled_from(list('\u2028\u2029\x85\t\n \xa0\u3000\x7f"\\#:|*%&<>;=\ufeff'))
TEXT = st.text(st.one_of(ALLOWED, TRICKY), max_size=30)
WORDS = TEXT.filter(lambda text: text.strip() != "")


@st.composite
def paragraphs(draw: st.DrawFn, index: int) -> Paragraph:
    sources = draw(st.lists(WORDS, min_size=1, max_size=3))
    sentences = [Sentence(source, -1, -1) for source in sources]
    if draw(st.booleans()):  # machine output, sentence by sentence
        for sentence in sentences:
            sentence.target = draw(WORDS)
        target = " ".join(s.target for s in sentences)
    else:  # edited as a whole, or not translated yet
        target = draw(st.one_of(st.just(""), WORDS))
    paragraph = Paragraph(
        index=index,
        source=" ".join(sources),
        line=draw(st.integers(1, 10_000)),
        start=-1,
        sentences=sentences,
        target=target,
        heading=draw(st.booleans()),
        notes=draw(st.lists(TEXT, max_size=2)),
        flags=draw(st.lists(TEXT, max_size=2)),
        translator_comment=draw(TEXT),
        previous_source=draw(st.one_of(st.just(""), WORDS)),
    )
    if target:
        paragraph.state = draw(st.sampled_from([ReviewState.MACHINE, ReviewState.REVIEWED]))
    return paragraph


@st.composite
def documents(draw: st.DrawFn) -> Document:
    count = draw(st.integers(0, 4))
    document = Document(
        name=draw(WORDS),
        path=draw(WORDS),
        text="",
        paragraphs=[draw(paragraphs(index)) for index in range(1, count + 1)],
    )
    if draw(st.booleans()):
        document.metadata["date"] = draw(st.sampled_from(["2023-04", "1999-12-31"]))
    return document


@pytest.mark.parametrize(
    "contract",
    [  # the modules, not their classes, are imported: pytest would run those again here
        test_po.TestPoContract(),
        test_xliff.TestXliffContract(),
        test_tmx.TestTmxContract(),
        test_tsv.TestTsvContract(),
    ],
    ids=lambda contract: contract.fmt.name,
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents())
def test_random_documents_round_trip(contract: FormatContract, document: Document) -> None:
    if contract.fmt.name == "tsv":
        # TSV joins a row's term notes and flags with " | " in one cell: free-text flags
        # cannot survive that, and TSV reads no notes of its own (see toolkit/formats/tsv.py)
        for paragraph in document.paragraphs:
            paragraph.flags = []
    back = contract.fmt.loads(contract.fmt.dumps(document, PROVENANCE), "x")
    contract._assert_same(back, document)
