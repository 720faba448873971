"""The Debian software-documentation corpus: the reference model's data, and `--base debian`.

Downloads the packages with `apt-get download` (unless the work folder already holds them),
extracts aligned pairs from LibreOffice's help pages and UI catalogs, the Dutch `.mo` catalogs
of many Debian packages, the aptitude and LilyPond manuals, the Debian FAQ and the FreeDict
dictionary, cleans them and splits them train/dev/test by document. `gimp`, `gimp-help-*` and
`debian-edu-doc` are never read: they are kept for independent evaluation.

    python refmodel/build_corpus.py --work /tmp/corpus --out refmodel/data
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import polib
from lxml import html as lxml_html

from toolkit.errors import UserError
from toolkit.training.corpus import Pair, clean, keep, split_by_document, write_jsonl

HELP_PACKAGES = ["libreoffice-help-nl", "libreoffice-help-en-us"]
UI_PACKAGES = ["libreoffice-l10n-nl"]
FAQ_PACKAGES = ["debian-faq-nl", "debian-faq"]
DICT_PACKAGES = ["dict-freedict-nld-eng"]
# HTML manuals whose Dutch and English pages share file names and block structure.
MANUAL_PACKAGES = [
    "aptitude-doc-nl",
    "aptitude-doc-en",
    "lilypond-doc-html-nl",
    "lilypond-doc-html",
]
# Held out of every training corpus: the unseen-text benchmark (benchmarks/unseen/) reads it.
UNSEEN_PACKAGES = ["debian-edu-doc-nl", "debian-edu-doc-en"]
# Debian packages whose Dutch .mo catalogs are used (msgid English, msgstr Dutch).
MO_PACKAGES = [
    "coreutils",
    "tar",
    "grep",
    "findutils",
    "sed",
    "bash",
    "nano",
    "wget",
    "diffutils",
    "apt",
    "dpkg",
    "gettext",
    "util-linux-locales",
    "libc-l10n",
    "gnupg-l10n",
    "vlc-l10n",
    "gnucash-common",
    "gnumeric-common",
    "inkscape",
    # added for the term-annotated model (round 5)
    "gparted",
    "transmission-common",
    "filezilla-common",
    "pidgin-data",
    "gnome-control-center-data",
    "nautilus-data",
    "evince-common",
    "gedit-common",
    "rhythmbox-data",
    "totem-common",
    "thunar-data",
    "abiword-common",
    "hexchat-common",
    "audacity-data",
    "shotwell-common",
    "gnome-software-common",
]
ALL_PACKAGES = (
    HELP_PACKAGES + UI_PACKAGES + FAQ_PACKAGES + DICT_PACKAGES + MANUAL_PACKAGES + MO_PACKAGES
)
RESERVED = re.compile(r"^gimp($|-help)|^debian-edu-doc")

PLACEHOLDER = re.compile(
    r"%(\d+\$)?[-+ #0]*\d*(\.\d+)?[hlLqjzt]*[sdiufFeEgGxXoc%]|%[A-Z_]+%?|\$\(?[A-Z0-9_]+\)?|"
    r"\{[^}]*\}|<[^>]+>|&[a-z]+;|\\[nt]"
)
PRODUCT_NAMES = [
    ("$[officename]", "LibreOffice"),
    ("%PRODUCTNAME", "LibreOffice"),
    ("$[officeversion]", ""),
    ("%PRODUCTVERSION", ""),
]


def download(debs: Path) -> None:
    """Fetch every source package that is not in `debs` yet."""
    debs.mkdir(parents=True, exist_ok=True)
    missing = [p for p in ALL_PACKAGES if not list(debs.glob(f"{p}_*.deb"))]
    if missing:
        subprocess.run(["apt-get", "download", *missing], cwd=debs, check=True)


def extract(debs: Path, root: Path) -> dict[str, Path]:
    """Unpack each package into its own folder; refuse the reserved evaluation packages."""
    folders = {}
    for package in ALL_PACKAGES:
        if RESERVED.match(package):
            raise SystemExit(f"{package} is reserved for evaluation; never train on it")
        found = sorted(debs.glob(f"{package}_*.deb"))
        if not found:
            raise SystemExit(f"{debs}: no {package}_*.deb; run `apt-get download {package}` there")
        target = root / package
        if not target.exists():
            target.mkdir(parents=True)
            subprocess.run(["dpkg-deb", "-x", str(found[-1]), str(target)], check=True)
        folders[package] = target
    return folders


def debian_clean(text: str) -> str:
    """Product-name placeholders as the names, then the common cleaning."""
    for name, value in PRODUCT_NAMES:
        text = text.replace(name, value)
    return clean(text)


def strip_accelerator(text: str) -> str:
    """UI strings mark their keyboard shortcut with `~` or `_`: `~Bestand` is `Bestand`."""
    return re.sub(r"[~_](?=\w)", "", text)


def element_text(element) -> str:
    return debian_clean(element.text_content())


def help_pairs(nl_root: Path, en_root: Path) -> list[tuple[str, str, str]]:
    """LibreOffice help: files share names, paragraphs share `id`s."""
    pairs = []
    for nl_file in sorted(nl_root.rglob("*.html")):
        relative = nl_file.relative_to(nl_root)
        en_file = en_root / relative
        if not en_file.exists():
            continue
        nl_ids = _paragraphs_by_id(nl_file)
        en_ids = _paragraphs_by_id(en_file)
        document = f"help:{relative.with_suffix('')}"
        for key, nl_text in nl_ids.items():
            if key in en_ids:
                pairs.append((document, nl_text, en_ids[key]))
    return pairs


def _paragraphs_by_id(path: Path) -> dict[str, str]:
    tree = lxml_html.parse(str(path))
    found = {}
    for element in tree.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "td"):
        key = element.get("id")
        if key and (key.startswith("par_") or key.startswith("hd_")):
            found[key] = element_text(element)
    return found


def catalog_pairs(folder: Path, source: str) -> list[tuple[str, str, str]]:
    """Dutch .mo catalogs: msgid English, msgstr Dutch; each catalog is one document."""
    pairs = []
    for mo_path in sorted(folder.rglob("*.mo")):
        if "/nl/" not in str(mo_path) or "/nl_" in str(mo_path):
            continue
        document = f"{source}:{mo_path.stem}"
        for entry in polib.mofile(str(mo_path)):
            if not entry.msgstr or entry.msgid_plural:
                continue
            english, dutch = entry.msgid, entry.msgstr
            if PLACEHOLDER.search(english) or PLACEHOLDER.search(dutch):
                continue
            pairs.append(
                (
                    document,
                    debian_clean(strip_accelerator(dutch)),
                    debian_clean(strip_accelerator(english)),
                )
            )
    return pairs


def faq_pairs(nl_root: Path, en_root: Path) -> list[tuple[str, str, str]]:
    """Debian FAQ chapters: paragraphs aligned by position, only where both have the same count."""
    pairs = []
    for nl_file in sorted(nl_root.glob("*.nl.html")):
        name = nl_file.name.replace(".nl.html", "")
        en_file = en_root / f"{name}.en.html"
        if not en_file.exists():
            en_file = en_root / f"{name}.html"
        if not en_file.exists():
            continue
        nl_blocks = _blocks(nl_file)
        en_blocks = _blocks(en_file)
        if len(nl_blocks) != len(en_blocks):
            continue
        pairs += [(f"faq:{name}", nl, en) for nl, en in zip(nl_blocks, en_blocks, strict=True)]
    return pairs


def _blocks(path: Path) -> list[str]:
    tree = lxml_html.parse(str(path))
    return [element_text(e) for e in tree.iter("p", "h1", "h2", "h3", "li", "dt")]


MANUAL_BLOCKS = ("title", "p", "h1", "h2", "h3", "h4", "li", "dt", "td", "th")
UTF8_HTML = lxml_html.HTMLParser(encoding="utf-8")


def manual_pairs(
    files: list[tuple[Path, Path]], source: str, root: Path
) -> list[tuple[str, str, str]]:
    """HTML manuals (aptitude, LilyPond): pages whose block counts agree, aligned by position."""
    pairs = []
    for nl_file, en_file in files:
        if not en_file.exists():
            continue
        nl_blocks = _utf8_blocks(nl_file)
        en_blocks = _utf8_blocks(en_file)
        if len(nl_blocks) != len(en_blocks):
            continue
        document = f"{source}:{nl_file.relative_to(root)}"
        pairs += [(document, nl, en) for nl, en in zip(nl_blocks, en_blocks, strict=True)]
    return pairs


def _utf8_blocks(path: Path) -> list[str]:
    tree = lxml_html.parse(str(path), parser=UTF8_HTML)
    return [element_text(e) for e in tree.iter(*MANUAL_BLOCKS)]


def aptitude_files(nl_package: Path, en_package: Path) -> tuple[list[tuple[Path, Path]], Path]:
    nl_root = nl_package / "usr/share/doc/aptitude/html/nl"
    en_root = en_package / "usr/share/doc/aptitude/html/en"
    return [(f, en_root / f.name) for f in sorted(nl_root.glob("*.html"))], nl_root


def lilypond_files(nl_package: Path, en_package: Path) -> tuple[list[tuple[Path, Path]], Path]:
    nl_root = nl_package / "usr/share/doc/lilypond/html"
    en_root = en_package / "usr/share/doc/lilypond/html"
    files = []
    for nl_file in sorted(nl_root.rglob("*.nl.html")):
        relative = nl_file.relative_to(nl_root)
        files.append(
            (nl_file, en_root / relative.with_name(nl_file.name.replace(".nl.html", ".html")))
        )
    return files, nl_root


DICTD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _dictd_number(text: str) -> int:
    value = 0
    for char in text:
        value = value * 64 + DICTD_ALPHABET.index(char)
    return value


def _with_source(found: tuple[list[tuple[Path, Path]], Path], source: str):
    files, root = found
    return files, source, root


def dictionary_pairs(folder: Path) -> list[tuple[str, str, str]]:
    """FreeDict nld-eng: headword and its first English sense."""
    index = next(folder.rglob("freedict-nld-eng.index"))
    data = gzip.decompress(next(folder.rglob("freedict-nld-eng.dict.dz")).read_bytes())
    pairs = []
    for line in index.read_text(encoding="utf-8").splitlines():
        headword, offset, length = line.split("\t")
        if headword.startswith("00"):
            continue
        body = data[_dictd_number(offset) : _dictd_number(offset) + _dictd_number(length)]
        lines = body.decode("utf-8").strip().splitlines()
        if len(lines) < 2:
            continue
        english = re.sub(r"^\d+\.\s*", "", lines[1].split(",")[0].strip())
        dutch = re.sub(r"\s*/.*$", "", lines[0]).strip()
        dutch, english = dutch.strip(". "), english.strip(". ")
        if dutch and english:
            pairs.append(("freedict", debian_clean(dutch), debian_clean(english)))
    return pairs


def build(
    work: Path,
    out: Path,
    download_missing: bool = True,
    seed: int = 13,
    dev_size: int = 800,
    test_size: int = 1500,
) -> dict[str, Any]:
    """Download (if asked), extract, clean and split the corpus into `out`; returns its counts."""
    debs = work / "debs"
    if download_missing:
        download(debs)
    folders = extract(debs, work / "x")
    help_root = "usr/share/libreoffice/help"
    faq_root = "usr/share/doc/debian/FAQ"
    sources = {
        "libreoffice-help": help_pairs(
            folders["libreoffice-help-nl"] / help_root / "nl",
            folders["libreoffice-help-en-us"] / help_root / "en-US",
        ),
        "libreoffice-ui": catalog_pairs(folders["libreoffice-l10n-nl"], "lo-ui"),
        "debian-faq": faq_pairs(
            folders["debian-faq-nl"] / faq_root / "nl", folders["debian-faq"] / faq_root
        ),
        "freedict": dictionary_pairs(folders["dict-freedict-nld-eng"]),
        "aptitude-doc": manual_pairs(
            *_with_source(
                aptitude_files(folders["aptitude-doc-nl"], folders["aptitude-doc-en"]), "aptitude"
            )
        ),
        "lilypond-doc": manual_pairs(
            *_with_source(
                lilypond_files(folders["lilypond-doc-html-nl"], folders["lilypond-doc-html"]),
                "lilypond",
            )
        ),
    }
    for package in MO_PACKAGES:
        sources[f"mo:{package}"] = catalog_pairs(folders[package], package)
    counts = {}
    pairs = []
    for name, found in sources.items():
        kept = [Pair(nl, en, doc) for doc, nl, en in found if keep(nl, en)]
        counts[name] = {"raw": len(found), "kept": len(kept)}
        pairs += kept
    train, dev, test = split_by_document(pairs, seed, dev_size, test_size, eligible="help:")
    out.mkdir(parents=True, exist_ok=True)
    for name, split in (("train", train), ("dev", dev), ("test", test)):
        write_jsonl(out / f"{name}.jsonl", split)
    summary = {
        "sources": counts,
        "splits": {
            name: {
                "pairs": len(split),
                "documents": len({p.doc for p in split}),
                "english_words": sum(len(p.en.split()) for p in split),
            }
            for name, split in (("train", train), ("dev", dev), ("test", test))
        },
        "train_by_source": dict(Counter(p.doc.split(":")[0] for p in train)),
    }
    (out / "counts.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


def cached_corpus(cache: Path) -> Path:
    """The corpus's folder under `cache`, built on first use (needs apt-get and the network)."""
    data = cache / "data"
    if all((data / f"{name}.jsonl").is_file() for name in ("train", "dev", "test")):
        return data
    import shutil

    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        raise UserError(
            "--base debian needs apt-get and dpkg-deb (a Debian or Ubuntu system) to build the "
            "Debian corpus once; or train without --base",
            path=cache,
        )
    try:
        build(cache, data)
    except subprocess.CalledProcessError as err:
        raise UserError(
            f"building the Debian corpus failed ({' '.join(map(str, err.cmd[:3]))}…); check "
            "the network and apt sources, then run again",
            path=cache,
        ) from None
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--work", type=Path, required=True, help="folder for .deb files and extracts"
    )
    parser.add_argument("--out", type=Path, default=Path("refmodel/data"))
    parser.add_argument(
        "--no-download", action="store_true", help="use only the .deb files present"
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--dev-size", type=int, default=800)
    parser.add_argument("--test-size", type=int, default=1500)
    args = parser.parse_args(argv)
    summary = build(
        args.work, args.out, not args.no_download, args.seed, args.dev_size, args.test_size
    )
    json.dump(summary, sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
