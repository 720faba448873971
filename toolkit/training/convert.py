"""Convert a trained Marian checkpoint to CTranslate2, checking it still decodes the same.

Checks before anything is packaged: the CTranslate2 vocabulary is exactly the SentencePiece
vocabulary (the Marian converter drops the last entry as `<pad>`), and the converted
model's greedy output equals the PyTorch model's (the decoder must start from the same
vector in both). A conversion that fails either check is an error, never a package.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ctranslate2
import ctranslate2.converters.transformers as ct2_transformers
import sentencepiece as spm
from transformers import MarianTokenizer

from toolkit.errors import UserError
from toolkit.training.marian import MAX_TOKENS, greedy, load_model

# A sentence cut at the length cap (a looping output) may end a token apart in the two
# decoders' length accounting; such pairs are compared on what both produced before the cap.
LOOPING_CHARACTERS = 200
MAX_MISMATCH_SHARE = 0.05
CAPPED_CHARACTERS = 100  # an output this long from a tiny model has run to the length cap


@dataclass(frozen=True)
class Conversion:
    """What the checks found: greedy agreement on the check sentences, the start row kept."""

    identical: int
    checked: int
    pad_row_learned: bool

    def as_line(self) -> str:
        start = "learned, kept" if self.pad_row_learned else "zero, dropped"
        return (
            f"greedy PyTorch vs CTranslate2: {self.identical}/{self.checked} identical; "
            f"<pad> start row {start}"
        )


def hf_folder(checkpoint: Path, vocabulary: Path, work: Path) -> Path:
    """A Hugging Face model + MarianTokenizer folder the CTranslate2 converter can read.

    `vocabulary` is a folder holding `sentencepiece.model` and `vocab.json`.
    """
    folder = work / "hf"
    load_model(checkpoint).save_pretrained(folder)
    for name in ("source.spm", "target.spm"):
        shutil.copy(vocabulary / "sentencepiece.model", folder / name)
    shutil.copy(vocabulary / "vocab.json", folder / "vocab.json")
    MarianTokenizer(
        source_spm=str(folder / "source.spm"),
        target_spm=str(folder / "target.spm"),
        vocab=str(folder / "vocab.json"),
        source_lang="nl",
        target_lang="en",
    ).save_pretrained(folder)
    return folder


class _KeepPadMarianLoader(ct2_transformers.MarianMTLoader):  # type: ignore[misc]
    """Marian conversion that starts the decoder from the trained `<pad>` row, as HF does.

    CTranslate2's Marian loader drops `<pad>` and starts the decoder from a zero vector;
    that equals Hugging Face only while the `<pad>` row is zero. With tied output
    embeddings the row learns (the output projection trains it), so the checkpoint's row is
    kept and named as the decoder's start token instead.
    """

    def get_model_spec(self, model: Any) -> Any:
        model.config.normalize_before = False
        model.config.normalize_embedding = False
        return ct2_transformers.BartLoader.get_model_spec(self, model)

    def set_config(self, config: Any, model: Any, tokenizer: Any) -> None:  # noqa: ARG002  (CTranslate2's loader signature)
        config.eos_token = tokenizer.eos_token
        config.unk_token = tokenizer.unk_token
        config.decoder_start_token = tokenizer.pad_token

    def set_decoder(self, spec: Any, decoder: Any) -> None:
        ct2_transformers.BartLoader.set_decoder(self, spec, decoder)

    def get_vocabulary(self, model: Any, tokenizer: Any) -> Any:
        return ct2_transformers.BartLoader.get_vocabulary(self, model, tokenizer)


def pad_row_is_zero(checkpoint: Path) -> bool:
    model = load_model(checkpoint)
    return float(model.get_input_embeddings().weight.detach()[-1].abs().sum()) == 0.0  # type: ignore[operator]  # torch/transformers stubs


@contextmanager
def _loader(keep_pad: bool) -> Iterator[None]:
    """The stock Marian loader, or for this conversion only one that keeps the `<pad>` row."""
    registry = ct2_transformers._MODEL_LOADERS
    stock = registry["MarianConfig"]
    if keep_pad:
        registry["MarianConfig"] = _KeepPadMarianLoader()
    try:
        yield
    finally:
        registry["MarianConfig"] = stock


def check_vocabulary(
    model_dir: Path, processor: spm.SentencePieceProcessor, keep_pad: bool = False
) -> None:
    path = next(p for p in model_dir.iterdir() if p.name.endswith("vocabulary.json"))
    vocabulary = json.loads(path.read_text(encoding="utf-8"))
    expected = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    expected += ["<pad>"] if keep_pad else []
    if vocabulary != expected:
        raise UserError("CTranslate2 vocabulary differs from the SentencePiece model", path=path)


def greedy_mismatches(
    model_dir: Path,
    checkpoint: Path,
    processor: spm.SentencePieceProcessor,
    sentences: Sequence[str],
) -> list[tuple[str, str]]:
    """(PyTorch, CTranslate2 float32) greedy outputs that differ."""
    reference = greedy(load_model(checkpoint), processor, sentences)
    translator = ctranslate2.Translator(str(model_dir), compute_type="float32")
    results = translator.translate_batch(
        [processor.encode(s, out_type=str)[:MAX_TOKENS] for s in sentences],
        beam_size=1,
        max_decoding_length=160,
    )
    converted = [processor.decode(r.hypotheses[0]) for r in results]
    return [
        (r, c)
        for r, c in zip(reference, converted, strict=True)
        if r != c
        and not (min(len(r), len(c)) >= LOOPING_CHARACTERS and r[:150] == c[:150])
        and not _capped_alike(r, c)
    ]


def _capped_alike(first: str, second: str) -> bool:
    """The outputs differ only in runs of spaces (a degenerate model writes them, and the
    float32 kernels break its ties apart), or both decoders stopped at their length cap, one
    a token later than the other: the shorter output, spaces aside, begins the longer.
    The two caps count the start token differently; a conversion fault changes the words."""
    a, b = " ".join(first.split()), " ".join(second.split())
    if a == b:
        return True  # only the length of a run of spaces differs: a tie between kernels
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= CAPPED_CHARACTERS and longer.startswith(shorter)


def convert(
    checkpoint: Path, vocabulary: Path, out: Path, check_sentences: Sequence[str], work: Path
) -> Conversion:
    """Write the int8 CTranslate2 model to `out` after the vocabulary and greedy checks."""
    processor = spm.SentencePieceProcessor(model_file=str(vocabulary / "sentencepiece.model"))
    folder = hf_folder(checkpoint, vocabulary, work)
    keep_pad = not pad_row_is_zero(checkpoint)
    with _loader(keep_pad):
        converter = ctranslate2.converters.TransformersConverter(str(folder))
        float_dir = Path(converter.convert(str(work / "float32"), quantization="float32"))
        check_vocabulary(float_dir, processor, keep_pad)
        mismatches = greedy_mismatches(float_dir, checkpoint, processor, check_sentences)
        if len(mismatches) > len(check_sentences) * MAX_MISMATCH_SHARE:
            torch_output, ct2_output = mismatches[0]
            raise UserError(
                f"the converted model does not decode like the trained one ({len(mismatches)} "
                f"of {len(check_sentences)} greedy outputs differ, e.g. {torch_output!r} vs "
                f"{ct2_output!r}); nothing was installed",
                path=checkpoint,
            )
        converter.convert(str(out), quantization="int8")
    return Conversion(len(check_sentences) - len(mismatches), len(check_sentences), keep_pad)
