"""Train the reference nl→en model: a small Marian Transformer on the CPU, within a time budget.

Reads `train.jsonl`/`dev.jsonl` from `build_corpus.py`, trains a joint SentencePiece vocabulary
and a Hugging Face `MarianMTModel` from a fresh config, and saves checkpoints that
`package.py` converts to CTranslate2. The train loop, the vocabulary and the term annotation
are `toolkit.training.marian` (also behind `toolkit model train`); this script only reads the
reference corpus and the options.

    python refmodel/train.py --data refmodel/data --out /tmp/refmodel --minutes 85

`--resume DIR` continues a finished run (its vocabulary and checkpoint) with a fresh warm-up
and cosine schedule, so a budget can be spent in two sittings:

    python refmodel/train.py --out /tmp/refmodel-2 --resume /tmp/refmodel --minutes 40 --lr 4e-4
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import torch

from toolkit.training.corpus import read_jsonl
from toolkit.training.marian import (
    TERM_CLOSE,
    TERM_OPEN,
    ModelShape,
    Schedule,
    Trainer,
    annotate_terms,
    build_model,
    load_model,
    term_lexicon,
    train_vocabulary,
    write_vocabulary,
)


def reuse_vocabulary(run: Path, out: Path):
    """A resumed run must keep the token ids its checkpoint was trained with."""
    for name in ("sentencepiece.model", "sentencepiece.vocab", "vocab.json"):
        if not (run / name).exists():
            raise SystemExit(f"{run / name}: missing; --resume needs a finished train.py run")
        if run.resolve() != out.resolve():
            shutil.copy(run / name, out / name)
    return write_vocabulary(out)


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
    args.out.mkdir(parents=True, exist_ok=True)
    train_pairs = read_jsonl(args.data / "train.jsonl")
    schedule = Schedule(
        minutes=args.minutes,
        lr=args.lr,
        warmup_steps=args.warmup_steps,
        batch_tokens=args.batch_tokens,
        eval_every_minutes=args.eval_every_minutes,
        save_every_minutes=args.eval_every_minutes,
        seed=args.seed,
        threads=args.threads,
    )
    shape = ModelShape(
        args.vocab_size,
        args.d_model,
        args.encoder_layers,
        args.decoder_layers,
        args.heads,
        args.ffn,
    )
    notes = []
    if args.term_annotations > 0:
        lexicon = term_lexicon(train_pairs)
        train_pairs, annotated = annotate_terms(
            train_pairs, lexicon, args.term_annotations, args.seed
        )
        notes.append(
            f"term annotations: {annotated} of {len(train_pairs)} pairs, lexicon {len(lexicon)}"
        )
        (args.out / "term-annotations.json").write_text(
            json.dumps(
                {
                    "open": TERM_OPEN,
                    "close": TERM_CLOSE,
                    "annotated_pairs": annotated,
                    "share": args.term_annotations,
                    "seed": args.seed,
                }
            ),
            encoding="utf-8",
        )
    dev_pairs = read_jsonl(args.data / "dev.jsonl")[:300]
    if args.resume:
        processor = reuse_vocabulary(args.resume, args.out)
    else:
        processor = train_vocabulary(train_pairs, args.out, args.vocab_size)
    model = build_model(processor.get_piece_size() + 1, shape)
    trainer = Trainer(args.out, model, processor, schedule, log=print)
    for note in notes:
        trainer.say(note)
    if args.resume:
        model.load_state_dict(load_model(args.resume / "checkpoint").state_dict())
        trainer.say(f"resumed from {args.resume / 'checkpoint'}")
    trainer.say(f"config {vars(args)}")
    trainer.train(train_pairs, dev_pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
