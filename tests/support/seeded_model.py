"""Builds a real Argos Translate package around a seeded test model whose output is gibberish.

No pretrained model can be downloaded here, so tests and benchmarks need one we
can make: a SentencePiece tokenizer trained on the given text and a CTranslate2
Transformer of the real architecture whose weights are seeded random numbers,
packed in the `.argosmodel` layout argostranslate installs and loads.
Same text, shape and seed give the same package, byte for byte.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

ARGOS_VERSION = "1.9"
LANGUAGE_NAMES = {"nl": "Dutch", "en": "English"}
DESCRIPTION = "Seeded test model with untrained weights: its output is gibberish, not English."

# SentencePiece pieces 0 and 1 (</s> is 2); CTranslate2 finds them by these names.
UNK, BOS = "<unk>", "<s>"

# BPE reaches any requested vocabulary size from this many distinct words, in
# well under a second even at 32000 pieces (unigram training overshoots and
# undershoots unpredictably and is ten times slower).
PADDING_WORDS_PER_PIECE = 2
PADDING_SEED = 20240601  # fixed, so the vocabulary depends on the text and size, never on `seed`
PADDING_WORDS_PER_LINE = 12
ONSETS = (
    "b d f g h j k l m n p r s t v w z br dr gr kr pr tr st sch bl gl kl pl vl fl sl zw".split()
)
NUCLEI = "a e i o u aa ee oo uu ie oe eu ui ij ei ou au".split()
CODAS = ("", "n", "r", "l", "s", "t", "k", "m", "nd", "ng", "rt", "st", "ld", "cht")

# Small noise on layer norms and biases keeps every variable distinct, so
# CTranslate2 aliases none of them and the file has the size of a trained model.
NOISE_STD = 0.02
# A logit offset that keeps <s> and <unk> out of the output. Nothing makes the
# model stop: a bias on </s> either ends every sentence at once or never,
# depending on the seed, so callers cap max_decoding_length instead.
NEVER_BIAS = -100.0

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # fixed, so equal inputs give equal zip bytes


@dataclass(frozen=True)
class ModelShape:
    """Transformer dimensions; `TINY` for tests, `ARGOS_SIZE` for the size of a real Argos model."""

    encoder_layers: int = 2
    decoder_layers: int = 2
    d_model: int = 64
    heads: int = 4
    ffn: int = 128
    vocab_size: int = 400

    TINY: ClassVar[ModelShape]
    ARGOS_SIZE: ClassVar[ModelShape]

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value < 1:
                raise ValueError(f"ModelShape.{name} must be positive, not {value}")
        if self.d_model % self.heads:
            raise ValueError(f"d_model {self.d_model} is not divisible by {self.heads} heads")


ModelShape.TINY = ModelShape()
ModelShape.ARGOS_SIZE = ModelShape(
    encoder_layers=6, decoder_layers=6, d_model=512, heads=8, ffn=2048, vocab_size=32000
)


def build_argos_package(
    out_path: Path,
    training_text: str | Iterable[str],
    *,
    shape: ModelShape = ModelShape.TINY,
    seed: int = 1234,
    from_code: str = "nl",
    to_code: str = "en",
    package_version: str = "1.0",
    quantization: str | None = "int8",
    target_prefix: str = "",
    work_dir: Path | None = None,
) -> Path:
    """Write a `.argosmodel` holding a seeded test model whose output is gibberish; return its path.

    The tokenizer is trained on `training_text`, padded with generated
    pseudo-words when the text is too small for `shape.vocab_size` pieces.
    `work_dir` keeps the unpacked package for inspection; by default it is a
    temporary folder removed afterwards.
    """
    out_path = Path(out_path)
    lines = _text_lines(training_text)
    sentencepiece_model = train_sentencepiece(
        lines, shape.vocab_size, [target_prefix] if target_prefix else []
    )
    vocabulary = _pieces(sentencepiece_model)
    spec = build_transformer_spec(shape, vocabulary, seed)
    spec.validate()
    spec.optimize(quantization=quantization)

    top = f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    metadata = {
        "package_version": package_version,
        "argos_version": ARGOS_VERSION,
        "from_code": from_code,
        "from_name": LANGUAGE_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": LANGUAGE_NAMES.get(to_code, to_code),
        "type": "translate",
        "description": DESCRIPTION,
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix

    with tempfile.TemporaryDirectory(prefix="seeded-model-") as scratch:
        package_dir = Path(work_dir or scratch) / top
        (package_dir / "model").mkdir(parents=True, exist_ok=True)
        spec.save(str(package_dir / "model"))
        (package_dir / "sentencepiece.model").write_bytes(sentencepiece_model)
        (package_dir / "metadata.json").write_text(
            json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (package_dir / "README.md").write_text(
            _readme(metadata, shape, seed, quantization), encoding="utf-8"
        )
        _write_zip_atomically(package_dir, out_path)
    return out_path


def train_sentencepiece(lines: list[str], vocab_size: int, user_symbols: list[str]) -> bytes:
    """A BPE SentencePiece model of exactly `vocab_size` pieces, trained deterministically."""
    import sentencepiece

    distinct_words = len({word for line in lines for word in line.split()})
    missing = PADDING_WORDS_PER_PIECE * vocab_size - distinct_words
    sentences = lines + _padding_lines(missing) if missing > 0 else lines
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=model,
        model_type="bpe",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        max_sentence_length=1 << 16,
        user_defined_symbols=user_symbols,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        num_threads=1,  # several threads can order equal-score merges differently
        minloglevel=2,
    )
    size = len(_pieces(model.getvalue()))
    if size != vocab_size:
        raise ValueError(f"SentencePiece made {size} pieces, not the {vocab_size} asked for")
    return model.getvalue()


def build_transformer_spec(shape: ModelShape, vocabulary: list[str], seed: int) -> Any:
    """A pre-norm CTranslate2 Transformer with every weight drawn from `seed`, vocabulary shared."""
    from ctranslate2.specs import TransformerSpec

    spec = TransformerSpec.from_config(
        (shape.encoder_layers, shape.decoder_layers), shape.heads, pre_norm=True
    )
    rng = np.random.default_rng(seed)
    vocab, d = len(vocabulary), shape.d_model

    # Embeddings are multiplied by sqrt(d) at run time: unit scale, like the
    # sinusoidal position encodings CTranslate2 adds when none are stored.
    spec.encoder.embeddings[0].weight = _normal(rng, (vocab, d), d**-0.5)
    for layer in spec.encoder.layer:
        _fill_attention(layer.self_attention, rng, d, out_dims=[3 * d, d])
        _fill_feed_forward(layer.ffn, rng, d, shape.ffn)
    _fill_layer_norm(spec.encoder.layer_norm, rng, d)

    spec.decoder.embeddings.weight = _normal(rng, (vocab, d), d**-0.5)
    for layer in spec.decoder.layer:
        _fill_attention(layer.self_attention, rng, d, out_dims=[3 * d, d])
        _fill_attention(layer.attention, rng, d, out_dims=[d, 2 * d, d])
        _fill_feed_forward(layer.ffn, rng, d, shape.ffn)
    _fill_layer_norm(spec.decoder.layer_norm, rng, d)
    _fill_linear(spec.decoder.projection, rng, vocab, d)
    bias = spec.decoder.projection.bias
    bias[vocabulary.index(UNK)] = bias[vocabulary.index(BOS)] = NEVER_BIAS

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    return spec


def _fill_attention(attention: Any, rng: np.random.Generator, d: int, out_dims: list[int]) -> None:
    # Self-attention is [fused qkv, output]; encoder-decoder attention is [q, fused kv, output].
    _fill_layer_norm(attention.layer_norm, rng, d)
    for linear, out_dim in zip(attention.linear, out_dims, strict=True):
        _fill_linear(linear, rng, out_dim, d)


def _fill_feed_forward(ffn: Any, rng: np.random.Generator, d: int, inner: int) -> None:
    _fill_layer_norm(ffn.layer_norm, rng, d)
    _fill_linear(ffn.linear_0, rng, inner, d)
    _fill_linear(ffn.linear_1, rng, d, inner)


def _fill_linear(linear: Any, rng: np.random.Generator, out_dim: int, in_dim: int) -> None:
    # 1/sqrt(fan_in) keeps activations at unit scale through the layers.
    linear.weight = _normal(rng, (out_dim, in_dim), in_dim**-0.5)
    linear.bias = _normal(rng, (out_dim,), NOISE_STD)


def _fill_layer_norm(norm: Any, rng: np.random.Generator, d: int) -> None:
    norm.gamma = 1 + _normal(rng, (d,), NOISE_STD)
    norm.beta = _normal(rng, (d,), NOISE_STD)


def _normal(rng: np.random.Generator, shape: tuple[int, ...], std: float) -> np.ndarray:
    values = rng.standard_normal(shape, dtype=np.float32)
    values *= np.float32(std)
    return values


def _text_lines(training_text: str | Iterable[str]) -> list[str]:
    chunks = [training_text] if isinstance(training_text, str) else training_text
    lines = [line.strip() for chunk in chunks for line in chunk.splitlines() if line.strip()]
    if not lines:
        raise ValueError("training_text has no non-blank line to train the tokenizer on")
    return lines


def _padding_lines(count: int) -> list[str]:
    """`count` distinct Dutch-looking two-syllable pseudo-words, the same on every run."""
    syllables = [onset + nucleus + coda for onset in ONSETS for nucleus in NUCLEI for coda in CODAS]
    rng = np.random.default_rng(PADDING_SEED)
    words: dict[str, None] = {}
    while len(words) < count:
        for first, second in rng.integers(0, len(syllables), size=(count, 2)).tolist():
            words[syllables[first] + syllables[second]] = None
    chosen = list(words)[:count]
    return [
        " ".join(chosen[start : start + PADDING_WORDS_PER_LINE])
        for start in range(0, count, PADDING_WORDS_PER_LINE)
    ]


def _pieces(sentencepiece_model: bytes) -> list[str]:
    import sentencepiece

    processor = sentencepiece.SentencePieceProcessor(model_proto=sentencepiece_model)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _readme(
    metadata: dict[str, Any], shape: ModelShape, seed: int, quantization: str | None
) -> str:
    return (
        f"# {metadata['from_name']} → {metadata['to_name']}: seeded test model\n\n"
        f"{DESCRIPTION}\n\n"
        "Built by `toolkit.seeded_model` for tests and benchmarks where no pretrained model\n"
        "can be downloaded. The SentencePiece tokenizer is trained on sample text; the\n"
        "CTranslate2 Transformer has the real architecture and random weights.\n\n"
        f"- layers: {shape.encoder_layers} encoder, {shape.decoder_layers} decoder\n"
        f"- d_model {shape.d_model}, {shape.heads} heads, feed-forward {shape.ffn}\n"
        f"- vocabulary: {shape.vocab_size} SentencePiece pieces, shared\n"
        f"- weights: seed {seed}, quantization {quantization or 'none (float32)'}\n"
    )


def _write_zip_atomically(package_dir: Path, out_path: Path) -> None:
    """Zip `package_dir` as the archive's single top folder, sorted, with fixed timestamps."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{out_path.name}.", dir=out_path.parent)
    os.close(handle)
    try:
        os.chmod(partial, 0o644)  # mkstemp's 0600 would make the package private
        with zipfile.ZipFile(partial, "w") as archive:
            for path in [package_dir, *sorted(package_dir.rglob("*"))]:
                name = path.relative_to(package_dir.parent).as_posix()
                if path.is_dir():
                    info = zipfile.ZipInfo(name + "/", ZIP_TIMESTAMP)
                    info.external_attr = (0o40755 << 16) | 0x10
                    archive.writestr(info, b"")
                    continue
                info = zipfile.ZipInfo(name, ZIP_TIMESTAMP)
                info.external_attr = 0o100644 << 16
                # Random int8 weights do not compress; deflating them only costs time.
                info.compress_type = (
                    zipfile.ZIP_STORED if path.name == "model.bin" else zipfile.ZIP_DEFLATED
                )
                archive.writestr(info, path.read_bytes())
        os.replace(partial, out_path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
