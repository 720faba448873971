"""Train the reference nl→en model: a small Marian Transformer on the CPU, within a time budget.

Reads `train.jsonl`/`dev.jsonl` from `build_corpus.py`, trains a joint SentencePiece vocabulary
and a Hugging Face `MarianMTModel` from a fresh config, and saves checkpoints that
`package.py` converts to CTranslate2. The learning rate follows the wall clock (warm-up, then
cosine to the budget's end), so a run of any length ends fully annealed.

    python refmodel/train.py --data refmodel/data --out /tmp/refmodel --minutes 85

`--resume DIR` continues a finished run (its vocabulary and checkpoint) with a fresh warm-up
and cosine schedule, so a budget can be spent in two sittings:

    python refmodel/train.py --out /tmp/refmodel-2 --resume /tmp/refmodel --minutes 40 --lr 4e-4

Two conversion traps are avoided here: `<pad>` is the vocabulary's last entry (CTranslate2's
Marian converter drops the last row as `<pad>`), and the `<pad>` embedding row stays zero
(CTranslate2 starts the decoder from a zero vector; Hugging Face from that row).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from pathlib import Path

import sentencepiece as spm
import torch
from sacrebleu.metrics import CHRF
from transformers import MarianConfig, MarianMTModel

MAX_TOKENS = 128
# Inline term annotation (Dinu et al. 2019, "append" variant without source factors): a Dutch
# word is followed by the English the output must use, between two symbols the vocabulary
# keeps whole: `penseel ⟦ brush ⟧`. The package's metadata names the symbols; the toolkit
# annotates glossary terms the same way for a model that declares them.
TERM_OPEN, TERM_CLOSE = "⟦", "⟧"
ANNOTATION_WORD = re.compile(r"[^\W\d_][\w-]*", re.UNICODE)
DUTCH_FUNCTION_WORDS = set(
    """de het een en van in op te is dat die met voor zijn aan er niet u als om bij of ook door
dan naar uit kan worden wordt deze dit tot over kunt moet meer geen nog hun hem haar ze wij we
zij hier daar waar wanneer welke alle andere zoals alleen""".split()
)


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise SystemExit(
            f"{path}: missing; run refmodel/build_corpus.py first (it runs apt-get download)"
        )
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_pairs(path: Path) -> list[tuple[str, str]]:
    return [(row["nl"], row["en"]) for row in read_rows(path)]


def term_lexicon(pairs: list[tuple[str, str]], documents: list[str]) -> dict[str, str]:
    """Dutch word -> English from the corpus's own FreeDict rows (single Dutch words only)."""
    lexicon = {}
    for (dutch, english), document in zip(pairs, documents, strict=True):
        if document != "freedict" or " " in dutch or len(dutch) < 4:
            continue
        if dutch.lower() in DUTCH_FUNCTION_WORDS or not 1 <= len(english.split()) <= 3:
            continue
        lexicon.setdefault(dutch.lower(), english)
    return lexicon


def annotate_terms(
    pairs: list[tuple[str, str]],
    documents: list[str],
    lexicon: dict[str, str],
    share: float,
    seed: int,
) -> tuple[list[tuple[str, str]], int]:
    """Annotate up to two dictionary terms that the English really uses, in `share` of pairs."""
    chooser = random.Random(seed)
    annotated, count = [], 0
    for (dutch, english), document in zip(pairs, documents, strict=True):
        if document == "freedict" or chooser.random() >= share:
            annotated.append((dutch, english))
            continue
        candidates = []
        for match in ANNOTATION_WORD.finditer(dutch):
            target = lexicon.get(match.group().lower())
            if target is None:
                continue
            used = re.search(rf"\b{re.escape(target)}\b", english, re.IGNORECASE)
            if used:
                candidates.append((match.end(), used.group()))
        if not candidates:
            annotated.append((dutch, english))
            continue
        chosen = sorted(chooser.sample(candidates, min(2, len(candidates))), reverse=True)
        for end, target in chosen:
            dutch = f"{dutch[:end]} {TERM_OPEN} {target} {TERM_CLOSE}{dutch[end:]}"
        annotated.append((dutch, english))
        count += 1
    return annotated, count


def train_vocabulary(
    pairs: list[tuple[str, str]], out: Path, size: int
) -> spm.SentencePieceProcessor:
    text = out / "spm-input.txt"
    sample = random.Random(1).sample(pairs, min(len(pairs), 200_000))
    text.write_text("\n".join(s for pair in sample for s in pair) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(out / "sentencepiece"),
        vocab_size=size,
        model_type="unigram",
        character_coverage=0.9999,
        unk_id=0,
        eos_id=1,
        bos_id=-1,
        pad_id=-1,
        input_sentence_size=400_000,
        shuffle_input_sentence=True,
        num_threads=2,
        user_defined_symbols=[TERM_OPEN, TERM_CLOSE],
    )
    text.unlink()
    processor = spm.SentencePieceProcessor(model_file=str(out / "sentencepiece.model"))
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())] + ["<pad>"]
    (out / "vocab.json").write_text(
        json.dumps({piece: i for i, piece in enumerate(vocabulary)}, ensure_ascii=False),
        encoding="utf-8",
    )
    return processor


def reuse_vocabulary(run: Path, out: Path) -> spm.SentencePieceProcessor:
    """A resumed run must keep the token ids its checkpoint was trained with."""
    for name in ("sentencepiece.model", "sentencepiece.vocab", "vocab.json"):
        if not (run / name).exists():
            raise SystemExit(f"{run / name}: missing; --resume needs a finished train.py run")
        if run.resolve() != out.resolve():
            (out / name).write_bytes((run / name).read_bytes())
    return spm.SentencePieceProcessor(model_file=str(out / "sentencepiece.model"))


def encode(processor, pairs, eos: int):
    """Source without `</s>` (as the toolkit feeds CTranslate2), target ending in `</s>`."""
    sources = processor.encode([nl for nl, _ in pairs])
    targets = processor.encode([en for _, en in pairs])
    return [
        (s[:MAX_TOKENS], t[: MAX_TOKENS - 1] + [eos]) for s, t in zip(sources, targets, strict=True)
    ]


def make_batches(examples, max_tokens: int, seed: int):
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i][1]), len(examples[i][0])))
    batches, current, longest = [], [], 0
    for index in order:
        length = max(len(examples[index][0]), len(examples[index][1]))
        if current and max(longest, length) * (len(current) + 1) > max_tokens:
            batches.append(current)
            current, longest = [], 0
        current.append(index)
        longest = max(longest, length)
    if current:
        batches.append(current)
    random.Random(seed).shuffle(batches)
    return batches


def collate(examples, indices, pad: int):
    sources = [examples[i][0] for i in indices]
    targets = [examples[i][1] for i in indices]
    source_len = max(len(s) for s in sources)
    target_len = max(len(t) for t in targets)
    input_ids = torch.full((len(indices), source_len), pad)
    labels = torch.full((len(indices), target_len), -100)
    decoder_input = torch.full((len(indices), target_len), pad)
    for row, (source, target) in enumerate(zip(sources, targets, strict=True)):
        input_ids[row, : len(source)] = torch.tensor(source)
        labels[row, : len(target)] = torch.tensor(target)
        decoder_input[row, 1 : len(target)] = torch.tensor(target[:-1])
    return input_ids, input_ids.ne(pad).long(), decoder_input, labels


def build_model(vocab_size: int, pad: int, eos: int, args) -> MarianMTModel:
    config = MarianConfig(
        vocab_size=vocab_size,
        d_model=args.d_model,
        encoder_layers=args.encoder_layers,
        decoder_layers=args.decoder_layers,
        encoder_attention_heads=args.heads,
        decoder_attention_heads=args.heads,
        encoder_ffn_dim=args.ffn,
        decoder_ffn_dim=args.ffn,
        max_position_embeddings=256,
        activation_function="relu",
        dropout=0.1,
        attention_dropout=0.0,
        activation_dropout=0.0,
        scale_embedding=True,
        pad_token_id=pad,
        eos_token_id=eos,
        decoder_start_token_id=pad,
        forced_eos_token_id=eos,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        decoder_vocab_size=vocab_size,
    )
    model = MarianMTModel(config)
    weight = model.get_input_embeddings().weight
    with torch.no_grad():
        weight[pad].zero_()
    # the tied output projection would train the row; keep it zero so CTranslate2's zero start
    # vector is what the decoder learned to start from
    weight.register_hook(lambda grad: grad.index_fill(0, torch.tensor([pad]), 0.0))
    return model


@torch.no_grad()
def greedy(model, processor, sentences: list[str], pad: int, eos: int) -> list[str]:
    model.eval()
    outputs = []
    for start in range(0, len(sentences), 32):
        chunk = [ids[:MAX_TOKENS] for ids in processor.encode(sentences[start : start + 32])]
        length = max(len(c) for c in chunk)
        input_ids = torch.tensor([c + [pad] * (length - len(c)) for c in chunk])
        generated = model.generate(
            input_ids=input_ids,
            attention_mask=input_ids.ne(pad).long(),
            num_beams=1,
            do_sample=False,
            max_new_tokens=160,
        )
        for row in generated.tolist():
            ids = [i for i in row[1:] if i not in (pad,)]
            if eos in ids:
                ids = ids[: ids.index(eos)]
            outputs.append(processor.decode(ids))
    model.train()
    return outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("refmodel/data"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--minutes", type=float, default=85.0)
    parser.add_argument("--vocab-size", type=int, default=8000)
    parser.add_argument("--d-model", type=int, default=256)
    parser.add_argument("--encoder-layers", type=int, default=4)
    parser.add_argument("--decoder-layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--ffn", type=int, default=1024)
    parser.add_argument("--batch-tokens", type=int, default=3000)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--warmup-steps", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--eval-every-minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--term-annotations",
        type=float,
        default=0.0,
        help="share of training pairs given inline term annotations (0: none)",
    )
    parser.add_argument(
        "--resume", type=Path, help="a finished run's folder: continue from its checkpoint"
    )
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    log = (args.out / "train.log").open("a", encoding="utf-8")

    def say(message: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {message}"
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    train_rows = read_rows(args.data / "train.jsonl")
    train_pairs = [(row["nl"], row["en"]) for row in train_rows]
    if args.term_annotations > 0:
        documents = [row["doc"] for row in train_rows]
        lexicon = term_lexicon(train_pairs, documents)
        train_pairs, annotated = annotate_terms(
            train_pairs, documents, lexicon, args.term_annotations, args.seed
        )
        say(f"term annotations: {annotated} of {len(train_pairs)} pairs, lexicon {len(lexicon)}")
        (args.out / "term-annotations.json").write_text(
            json.dumps({"open": TERM_OPEN, "close": TERM_CLOSE, "annotated_pairs": annotated}),
            encoding="utf-8",
        )
    dev_pairs = read_pairs(args.data / "dev.jsonl")[:300]
    if args.resume:
        processor = reuse_vocabulary(args.resume, args.out)
    else:
        processor = train_vocabulary(train_pairs, args.out, args.vocab_size)
    eos, pad = 1, processor.get_piece_size()
    examples = encode(processor, train_pairs, eos)
    model = build_model(pad + 1, pad, eos, args)
    if args.resume:
        model.load_state_dict(
            MarianMTModel.from_pretrained(args.resume / "checkpoint").state_dict()
        )
        say(f"resumed from {args.resume / 'checkpoint'}")
    say(
        f"pairs {len(examples)}, target tokens {sum(len(t) for _, t in examples)}, "
        f"parameters {sum(p.numel() for p in model.parameters()) / 1e6:.1f}M, config {vars(args)}"
    )
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=args.lr, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0
    )
    loss_function = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.1)
    budget = args.minutes * 60
    started = time.time()
    next_eval = started + args.eval_every_minutes * 60
    step, epoch, tokens_seen = 0, 0, 0
    model.train()
    while time.time() - started < budget:
        epoch += 1
        for batch in make_batches(examples, args.batch_tokens, seed=epoch + 1000 * args.seed):
            elapsed = time.time() - started
            if elapsed >= budget:
                break
            step += 1
            warm = min(1.0, step / args.warmup_steps)
            lr = args.lr * warm * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * elapsed / budget)))
            for group in optimizer.param_groups:
                group["lr"] = lr
            input_ids, mask, decoder_input, labels = collate(examples, batch, pad)
            logits = model(
                input_ids=input_ids, attention_mask=mask, decoder_input_ids=decoder_input
            ).logits
            loss = loss_function(logits.view(-1, logits.size(-1)), labels.view(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            tokens_seen += int(labels.ne(-100).sum())
            if step % 100 == 0:
                say(
                    f"epoch {epoch} step {step} loss {loss.item():.3f} lr {lr:.2e} "
                    f"tok/s {tokens_seen / (time.time() - started):.0f} min {elapsed / 60:.1f}"
                )
            if time.time() >= next_eval:
                next_eval += args.eval_every_minutes * 60
                evaluate_and_save(model, processor, dev_pairs, pad, eos, args.out, say, step)
    evaluate_and_save(model, processor, dev_pairs, pad, eos, args.out, say, step)
    say(
        f"done: {step} steps, {epoch} epochs (last partial), {tokens_seen} target tokens, "
        f"{(time.time() - started) / 60:.1f} min"
    )
    return 0


def evaluate_and_save(model, processor, dev_pairs, pad, eos, out: Path, say, step: int) -> None:
    hypotheses = greedy(model, processor, [nl for nl, _ in dev_pairs], pad, eos)
    score = CHRF().corpus_score(hypotheses, [[en for _, en in dev_pairs]]).score
    model.save_pretrained(out / "checkpoint")
    say(
        f"step {step} dev chrF (greedy, {len(dev_pairs)} pairs) {score:.1f}; e.g. {hypotheses[0]!r}"
    )


if __name__ == "__main__":
    sys.exit(main())
