"""Do CTranslate2's anti-repetition options cost chrF in domain, and cut loops out of domain?

    python refmodel/decoding_loops.py [--package toolkit/data/translate-nl_en-reference.argosmodel]

Decodes the test split (in domain) and the two news samples (out of domain) at beam 4 with
argostranslate's length penalty, plainly and with `no_repeat_ngram_size` 3/4 and
`repetition_penalty` 1.1/1.2; prints test chrF/BLEU and how many outputs hold a loop
(a piece of 2+ characters four times in a row, or a 1–3 word group three times).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import zipfile
from pathlib import Path

import ctranslate2
import sentencepiece as spm
from sacrebleu.metrics import BLEU, CHRF

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit.engines.loops import loops as toolkit_loops  # noqa: E402
from toolkit.sentences import split_sentences  # noqa: E402

# "retry": the toolkit's default: decode again with no_repeat_ngram_size N only the outputs
# that `toolkit.engines.loops` calls looping
SETTINGS: list[dict[str, float]] = [
    {},
    {"retry": 3},
    {"no_repeat_ngram_size": 4},
    {"no_repeat_ngram_size": 3},
    {"repetition_penalty": 1.2},
    {"repetition_penalty": 1.1},
]
_CHARACTER_LOOP = re.compile(r"(\S{2,}?)\1{3,}")
_WORD_LOOP = re.compile(r"\b(\w+(?: \w+){0,2})(?: \1){2,}\b")


def loops(outputs: list[str]) -> int:
    return sum(bool(_CHARACTER_LOOP.search(o) or _WORD_LOOP.search(o)) for o in outputs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--package", type=Path, default=REPO / "toolkit/data/translate-nl_en-reference.argosmodel"
    )
    parser.add_argument("--data", type=Path, default=REPO / "refmodel/data")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (args.data / "test.jsonl").open(encoding="utf-8")]
    sources, references = [r["nl"] for r in rows], [r["en"] for r in rows]
    samples = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            samples += [paragraph[a:b] for a, b in split_sentences(paragraph)]
    with tempfile.TemporaryDirectory() as scratch:
        with zipfile.ZipFile(args.package) as archive:
            archive.extractall(scratch)
        root = next(p for p in Path(scratch).iterdir() if p.is_dir())
        tokenizer = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
        translator = ctranslate2.Translator(str(root / "model"), inter_threads=2, intra_threads=1)

        def decode(sentences: list[str], options: dict[str, float]) -> list[str]:
            options = dict(options)
            retry = int(options.pop("retry", 0))
            tokens = [tokenizer.encode(s, out_type=str)[:250] for s in sentences]
            results = translator.translate_batch(
                tokens, beam_size=4, length_penalty=0.2, max_batch_size=16, **options
            )
            outputs = [tokenizer.decode_pieces(r.hypotheses[0]) for r in results]
            again = [i for i, o in enumerate(outputs) if toolkit_loops(sentences[i], o)]
            if retry and again:
                redone = translator.translate_batch(
                    [tokens[i] for i in again],
                    beam_size=4,
                    length_penalty=0.2,
                    max_batch_size=16,
                    no_repeat_ngram_size=retry,
                )
                for i, r in zip(again, redone, strict=True):
                    outputs[i] = tokenizer.decode_pieces(r.hypotheses[0])
            return outputs

        print("| setting | test chrF | test BLEU | test outputs looping | samples looping |")
        print("| --- | --- | --- | --- | --- |")
        for options in SETTINGS:
            test = decode(sources, options)
            news = decode(samples, options)
            chrf = CHRF().corpus_score(test, [references]).score
            bleu = BLEU().corpus_score(test, [references]).score
            name = ", ".join(f"{k} {v}" for k, v in options.items()) or "argostranslate's"
            name = name.replace("retry", "looping outputs again with no_repeat_ngram_size")
            print(
                f"| {name} | {chrf:.1f} | {bleu:.1f} | {loops(test)} of {len(test)} "
                f"| {loops(news)} of {len(news)} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
