"""Convert a trained reference checkpoint to CTranslate2 int8 and package it as `.argosmodel`.

The conversion, its checks (vocabulary; PyTorch and CTranslate2 greedy output equal on dev
sentences) and the package (with `training/`: float16 weights, vocabulary and a sample of
the training pairs, so `toolkit model adapt` can continue it) are `toolkit.training`; this
script adds the reference model's name, description, sources and its test-split chrF.

    python refmodel/package.py --run /tmp/refmodel --data refmodel/data \
        --out toolkit/data/translate-nl_en-reference.argosmodel
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import sentencepiece as spm
import torch

from toolkit.training.corpus import Pair, read_jsonl
from toolkit.training.marian import annotate_terms, chrf, greedy, load_model, term_lexicon
from toolkit.training.package import PackageInfo, write_package

PACKAGE_NAME = "translate-nl_en-reference"
DESCRIPTION = (
    "Reference nl→en model trained on public software documentation and UI text "
    "(LibreOffice help and UI, Debian catalogs, Debian FAQ, FreeDict); "
    "quality outside that domain is low"
)
SOURCES = """\
## Training data (Debian bookworm packages; licences as in each package's copyright file)

| source | Debian packages | licence |
| --- | --- | --- |
| LibreOffice help pages, aligned by file and paragraph id | libreoffice-help-nl, \
libreoffice-help-en-us | MPL-2.0 |
| LibreOffice UI catalogs (.mo) | libreoffice-l10n-nl | MPL-2.0 |
| Dutch .mo catalogs | coreutils, tar, grep, findutils, sed, bash, nano, wget, diffutils, \
apt, dpkg, gettext, util-linux-locales, libc-l10n, gnupg-l10n, vlc-l10n, gnucash-common, \
gnumeric-common, inkscape | GPL-2+/GPL-3+/LGPL as per package |
| Debian FAQ, chapters aligned by paragraph | debian-faq-nl, debian-faq | GPL-2+ |
| FreeDict Dutch–English | dict-freedict-nld-eng | GPL-2+ |

`gimp` and `gimp-help-*` were never used: they are kept for independent evaluation.
Built with `refmodel/build_corpus.py`, trained with `refmodel/train.py`, packaged with
`refmodel/package.py` (see the toolkit's BENCHMARKS.md for its scores).
"""


def log_summary(run: Path) -> list[str]:
    """First and last lines of a run's log, after those of the run it resumed (`--resume`)."""
    lines = (run / "train.log").read_text(encoding="utf-8").splitlines()
    resumed = [line.split(" resumed from ", 1)[1] for line in lines if " resumed from " in line]
    if not resumed:
        return [lines[0], *lines[-4:]]
    earlier = Path(resumed[0]).parent
    before = log_summary(earlier) if (earlier / "train.log").exists() else []
    return [*before, "", *lines[:2], *lines[-4:]]


def original_pairs(data: Path, run: Path, share: float | None, seed: int) -> list[Pair]:
    """The training pairs as the run saw them: annotated again when it was term-annotated.

    The same share and seed give the same annotations (`refmodel/train.py` records both).
    """
    pairs = read_jsonl(data / "train.jsonl")
    recorded = run / "term-annotations.json"
    if not recorded.exists():
        return pairs
    settings = json.loads(recorded.read_text(encoding="utf-8"))
    share = share if share is not None else float(settings.get("share", 0.35))
    annotated, _ = annotate_terms(
        pairs, term_lexicon(pairs), share, int(settings.get("seed", seed))
    )
    return annotated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True, help="train.py's --out folder")
    parser.add_argument("--data", type=Path, default=Path("refmodel/data"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--version", default="1.0")
    parser.add_argument("--check-sentences", type=int, default=100)
    parser.add_argument(
        "--term-annotations",
        type=float,
        help="the share train.py used (default: as its term-annotations.json records, else 0.35)",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    dev = read_jsonl(args.data / "dev.jsonl")
    test = read_jsonl(args.data / "test.jsonl")
    processor = spm.SentencePieceProcessor(model_file=str(args.run / "sentencepiece.model"))
    test_chrf = chrf(
        greedy(load_model(args.run / "checkpoint"), processor, [p.nl for p in test]),
        [p.en for p in test],
    )
    info = PackageInfo(
        name=PACKAGE_NAME,
        description=DESCRIPTION,
        origin="bundled",
        version=args.version,
        reference=True,
        data=[
            {
                "file": "refmodel/data/train.jsonl (Debian corpus)",
                "pairs": len(read_jsonl(args.data / "train.jsonl")),
            }
        ],
        scores={f"test split ({len(test)} pairs, greedy)": round(test_chrf, 1)},
        log_summary=log_summary(args.run),
        readme_extra=SOURCES,
        term_annotations=(args.run / "term-annotations.json").exists(),
    )
    conversion = write_package(
        args.out,
        info,
        args.run / "checkpoint",
        args.run,
        original_pairs(args.data, args.run, args.term_annotations, args.seed),
        [p.nl for p in dev][: args.check_sentences],
        seed=args.seed,
    )
    print(conversion.as_line())
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
