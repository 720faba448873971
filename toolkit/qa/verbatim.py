"""Things the English must copy character for character: URLs, e-mail addresses,
file names, and do-not-translate glossary terms (whose English is the Dutch itself).

Each one found in the Dutch must appear verbatim in the English; a glossary term
already flagged `missing` by enforcement is left to that flag.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from toolkit.document import Paragraph, TermOutcome
from toolkit.qa.base import Check, CheckOptions

URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>\"'”’)\]]+", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# A file name needs a known extension: "OpenOffice.org" or "i.p.v." are not files.
FILE_EXTENSIONS = (
    "txt|pdf|docx?|xlsx?|pptx?|od[tspgfbc]|ot[tspg]|csv|tsv|xml|html?|json|ya?ml|"
    "png|jpe?g|gif|svg|bmp|tiff?|zip|gz|tar|exe|dll|so|py|js|css|ini|cfg|conf|log|"
    "mp[34]|wav|avi|mov|xcf|rtf|epub|tmx|xlf|po|sh|bat"
)
FILE_NAME = re.compile(rf"(?<![\w/.-])[\w-]+(?:\.[\w-]+)*\.(?:{FILE_EXTENSIONS})\b", re.IGNORECASE)
# A URL's trailing full stop or comma ends the sentence, not the address.
_TRAILING = ".,;:!?"


def exact_items(text: str) -> list[str]:
    """URLs, e-mail addresses and file names in `text`, in order, without duplicates."""
    found: dict[str, None] = {}
    for pattern in (URL, EMAIL, FILE_NAME):
        for match in pattern.finditer(text):
            found.setdefault(match.group().rstrip(_TRAILING), None)
    # An address inside a URL (mailto:, a path) is checked as part of the URL.
    items = list(found)
    return [item for item in items if not any(item != other and item in other for other in items)]


def find_not_copied(paragraph: Paragraph, options: CheckOptions) -> Iterator[str]:  # noqa: ARG001  (the Check signature)
    for item in exact_items(paragraph.source):
        if item not in paragraph.target:
            kind = "URL" if URL.fullmatch(item) else "address" if "@" in item else "file name"
            yield f"the {kind} {item} in the Dutch is not copied exactly into the English"
    for term in paragraph.terms:
        do_not_translate = term.target_term == term.source_term
        if (
            do_not_translate
            and term.outcome not in (TermOutcome.MISSING, TermOutcome.EXEMPT)
            and term.target_term not in paragraph.target
        ):
            yield f"{term.target_term} is do-not-translate but is not in the English as written"


CHECK = Check(
    name="verbatim",
    weight=0.30,
    description="URLs, e-mail addresses, file names and do-not-translate terms copied exactly",
    find=find_not_copied,
)
