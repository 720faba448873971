"""DOCX and ODT packages: ZIP archives opened as hostile input, XML parsed without entities.

Sizes are checked from the directory before anything is inflated, and every
read is bounded again while inflating (a forged directory cannot lie its way
past): a part over `MAX_PART_BYTES`, a package over `MAX_TOTAL_BYTES` or a
member that inflates over `MAX_RATIO` times is refused as a zip bomb. XML is
parsed with entity resolution, DTD loading and network access off. Writing
copies every member unchanged, in order and with its compression, except the
parts the translation replaced.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from toolkit.errors import UserError

MAX_PART_BYTES = 64 << 20  # one XML part (a 2,000-page document.xml is about 40 MiB)
MAX_TOTAL_BYTES = 512 << 20  # everything in the package, images included
MAX_RATIO = 200  # text XML inflates 5-30x; more than this is a bomb, not a document
MAX_MEMBERS = 10_000
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: encrypted OOXML, or an old .doc


def xml_parser() -> etree.XMLParser:
    """An XML parser that expands no entity and fetches nothing."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class Package:
    """A ZIP package read into memory (after the checks), parts replaced on writing."""

    def __init__(self, data: bytes, path: str, kind: str, saved_as: str) -> None:
        self.path = path
        self.kind = kind
        if data.startswith(CFB_MAGIC):
            raise UserError(
                f"is password-protected (encrypted) or an old binary file, not a {kind}; "
                f"remove the password and save it as {saved_as}",
                path=path,
            )
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError):
            raise UserError(
                f"is not a valid {kind} (damaged or not a ZIP package); open it in Word or "
                f"LibreOffice and save it again as {saved_as}",
                path=path,
            ) from None
        if len(infos) > MAX_MEMBERS:
            raise UserError(
                f"has {len(infos)} parts, over {MAX_MEMBERS}; not a document we read", path=path
            )
        total = 0
        for info in infos:
            total += info.file_size
            if (
                info.file_size > MAX_TOTAL_BYTES
                or total > MAX_TOTAL_BYTES
                or info.file_size > MAX_RATIO * max(info.compress_size, 1) + (1 << 16)
            ):
                raise UserError(
                    f"part {info.filename!r} would inflate to {info.file_size:,} bytes from "
                    f"{info.compress_size:,} (a zip bomb, or a damaged file); not read",
                    path=path,
                )
        self.infos = infos
        self.replaced: dict[str, bytes] = {}

    def names(self) -> list[str]:
        return [info.filename for info in self.infos]

    def read(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes, inflated at most to `limit` (MAX_PART_BYTES) whatever the
        directory says."""
        limit = MAX_PART_BYTES if limit is None else limit
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise UserError(
                f"has no {name} (not a {self.kind}, or damaged); save it again as a {self.kind}",
                path=self.path,
            ) from None
        try:
            with self.zip.open(info) as member:
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
            raise UserError(
                f"part {name} is damaged ({err}); open the file and save it again", path=self.path
            ) from None
        if len(data) > limit:
            raise UserError(
                f"part {name} inflates past {limit:,} bytes (a zip bomb, or too large); not read",
                path=self.path,
            )
        return data

    def xml(self, name: str) -> etree._ElementTree:
        data = self.read(name)
        try:
            root = etree.fromstring(data, xml_parser())
        except etree.XMLSyntaxError as err:
            raise UserError(
                f"part {name} is not well-formed XML ({err.msg}); open the file and save it again",
                path=self.path,
            ) from None
        for _ in root.iter(etree.Entity):
            raise UserError(
                f"part {name} uses entity references, which are never expanded; save it again",
                path=self.path,
            )
        return etree.ElementTree(root)

    def replace(self, name: str, tree: etree._ElementTree) -> None:
        self.replaced[name] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")

    def serialize(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in self.infos:
                data = self.replaced.get(info.filename)
                if data is None:
                    data = self.read(info.filename, MAX_TOTAL_BYTES)
                target.writestr(info, data, compress_type=info.compress_type)
        return out.getvalue()


def extension_of(path: str) -> str:
    return Path(path).suffix.lower()
