"""Convert a trained reference checkpoint to CTranslate2 int8 and package it as `.argosmodel`.

Checks before writing anything: the CTranslate2 vocabulary is exactly the SentencePiece
vocabulary (the Marian converter drops the last entry as `<pad>`), and the converted
model's greedy output equals the PyTorch model's on dev sentences (the decoder must start
from the same zero vector in both).

    python refmodel/package.py --run /tmp/refmodel --data refmodel/data \
        --out toolkit/data/translate-nl_en-reference.argosmodel
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import ctranslate2
import ctranslate2.converters.transformers as ct2_transformers
import sentencepiece as spm
import torch
from transformers import MarianMTModel, MarianTokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train import greedy, read_pairs  # noqa: E402

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


def hf_folder(run: Path, work: Path) -> Path:
    """A Hugging Face model + MarianTokenizer folder the CTranslate2 converter can read."""
    folder = work / "hf"
    model = MarianMTModel.from_pretrained(run / "checkpoint")
    model.save_pretrained(folder)
    for name in ("source.spm", "target.spm"):
        shutil.copy(run / "sentencepiece.model", folder / name)
    shutil.copy(run / "vocab.json", folder / "vocab.json")
    MarianTokenizer(
        source_spm=str(folder / "source.spm"),
        target_spm=str(folder / "target.spm"),
        vocab=str(folder / "vocab.json"),
        source_lang="nl",
        target_lang="en",
    ).save_pretrained(folder)
    return folder


class _KeepPadMarianLoader(ct2_transformers.MarianMTLoader):
    """Marian conversion that starts the decoder from the trained `<pad>` row, as HF does.

    CTranslate2's Marian loader drops `<pad>` and starts the decoder from a zero vector;
    that equals Hugging Face only while the `<pad>` row is zero. With tied output
    embeddings the row learns (the output projection trains it), so the checkpoint's row is
    kept and named as the decoder's start token instead.
    """

    def get_model_spec(self, model):
        model.config.normalize_before = False
        model.config.normalize_embedding = False
        return ct2_transformers.BartLoader.get_model_spec(self, model)

    def set_config(self, config, model, tokenizer):
        config.eos_token = tokenizer.eos_token
        config.unk_token = tokenizer.unk_token
        config.decoder_start_token = tokenizer.pad_token

    def set_decoder(self, spec, decoder):
        ct2_transformers.BartLoader.set_decoder(self, spec, decoder)

    def get_vocabulary(self, model, tokenizer):
        return ct2_transformers.BartLoader.get_vocabulary(self, model, tokenizer)


def pad_row_is_zero(run: Path) -> bool:
    model = MarianMTModel.from_pretrained(run / "checkpoint")
    return float(model.get_input_embeddings().weight[-1].abs().sum()) == 0.0


def converter_for(folder: Path, keep_pad: bool):
    """The stock converter, or one that keeps the learned `<pad>` start row."""
    if keep_pad:
        ct2_transformers._MODEL_LOADERS["MarianConfig"] = _KeepPadMarianLoader()
    return ctranslate2.converters.TransformersConverter(str(folder))


def check_vocabulary(
    model_dir: Path, processor: spm.SentencePieceProcessor, keep_pad: bool = False
) -> None:
    path = next(p for p in model_dir.iterdir() if p.name.endswith("vocabulary.json"))
    vocabulary = json.loads(path.read_text(encoding="utf-8"))
    expected = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    expected += ["<pad>"] if keep_pad else []
    if vocabulary != expected:
        raise SystemExit(f"{path}: CTranslate2 vocabulary differs from the SentencePiece model")


def check_greedy_equal(model_dir: Path, run: Path, processor, sentences: list[str]) -> int:
    """Greedy output of PyTorch and CTranslate2 (float32) must agree; returns the mismatches."""
    model = MarianMTModel.from_pretrained(run / "checkpoint")
    pad = processor.get_piece_size()
    reference = greedy(model, processor, sentences, pad, 1)
    translator = ctranslate2.Translator(str(model_dir), compute_type="float32")
    results = translator.translate_batch(
        [processor.encode(s, out_type=str)[:128] for s in sentences],
        beam_size=1,
        max_decoding_length=160,
    )
    converted = [processor.decode(r.hypotheses[0]) for r in results]
    # A sentence cut at the length cap (a looping output) may end a token apart in the two
    # decoders' length accounting; compare what both produced before the cap.
    mismatches = [
        (r, c)
        for r, c in zip(reference, converted, strict=True)
        if r != c and not (min(len(r), len(c)) >= 200 and r[:150] == c[:150])
    ]
    for r, c in mismatches[:3]:
        print(f"mismatch:\n  torch: {r}\n  ct2:   {c}")
    return len(mismatches)


def log_summary(run: Path) -> list[str]:
    """First and last lines of a run's log, after those of the run it resumed (`--resume`)."""
    lines = (run / "train.log").read_text(encoding="utf-8").splitlines()
    resumed = [line.split(" resumed from ", 1)[1] for line in lines if " resumed from " in line]
    if not resumed:
        return [lines[0], *lines[-4:]]
    earlier = Path(resumed[0]).parent
    before = log_summary(earlier) if (earlier / "train.log").exists() else []
    return [*before, "", *lines[:2], *lines[-4:]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True, help="train.py's --out folder")
    parser.add_argument("--data", type=Path, default=Path("refmodel/data"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--version", default="1.0")
    parser.add_argument("--check-sentences", type=int, default=100)
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    processor = spm.SentencePieceProcessor(model_file=str(args.run / "sentencepiece.model"))
    dev = [nl for nl, _ in read_pairs(args.data / "dev.jsonl")][: args.check_sentences]
    with tempfile.TemporaryDirectory(prefix="refmodel-") as scratch:
        work = Path(scratch)
        folder = hf_folder(args.run, work)
        keep_pad = not pad_row_is_zero(args.run)
        print(f"<pad> start row: {'learned, kept' if keep_pad else 'zero, dropped'}")
        converter = converter_for(folder, keep_pad)
        float_dir = Path(converter.convert(str(work / "float32"), quantization="float32"))
        check_vocabulary(float_dir, processor, keep_pad)
        mismatches = check_greedy_equal(float_dir, args.run, processor, dev)
        print(f"greedy PyTorch vs CTranslate2: {len(dev) - mismatches}/{len(dev)} identical")
        if mismatches > len(dev) // 20:
            raise SystemExit("the converted model does not decode like the trained one")
        package = work / PACKAGE_NAME
        converter.convert(str(package / "model"), quantization="int8")
        shutil.copy(args.run / "sentencepiece.model", package / "sentencepiece.model")
        metadata = {
            "package_version": args.version,
            "argos_version": "1.9",
            "from_code": "nl",
            "from_name": "Dutch",
            "to_code": "en",
            "to_name": "English",
            "type": "translate",
            "package_name": PACKAGE_NAME,
            "description": DESCRIPTION,
            "reference": True,
            "max_positions": 256,
        }
        (package / "metadata.json").write_text(
            json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        readme = (
            f"# {PACKAGE_NAME} {args.version}\n\n{DESCRIPTION}.\n\n{SOURCES}\n"
            "## Training log summary\n\n```\n" + "\n".join(log_summary(args.run)) + "\n```\n"
        )
        (package / "README.md").write_text(readme, encoding="utf-8")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        partial = args.out.with_suffix(".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(package.rglob("*")):
                archive.write(path, str(path.relative_to(work)))
        partial.replace(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
