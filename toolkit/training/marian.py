"""Train a small Marian Transformer (Hugging Face `MarianMTModel`) nl→en within a time budget.

A run lives in one folder: the SentencePiece model and `vocab.json`, `checkpoint/` (the last
saved weights), `state.pt` (optimizer, step, time spent: what `--resume` continues from) and
`train.log`. The learning rate follows the budget (warm-up, then cosine to its end), so a run
of any length ends fully annealed; the budget is wall-clock minutes, optionally capped by
epochs over the new data (adaptation on a thousand pairs needs minutes, not hours).

Two conversion traps are avoided here: `<pad>` is the vocabulary's last entry (CTranslate2's
Marian converter drops the last row as `<pad>`), and the `<pad>` embedding row stays zero
(CTranslate2 starts the decoder from a zero vector; Hugging Face from that row).
"""

from __future__ import annotations

import json
import math
import random
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import sentencepiece as spm
import torch
from sacrebleu.metrics import CHRF
from transformers import MarianConfig, MarianMTModel
from transformers.utils import logging as transformers_logging

from toolkit.lang.nl import ANNOTATION_SKIP_WORDS
from toolkit.training.corpus import Pair

# the library's own bars and notices would interleave with the toolkit's progress line
transformers_logging.set_verbosity_error()
transformers_logging.disable_progress_bar()

MAX_TOKENS = 128
EOS = 1
# Inline term annotation (Dinu et al. 2019, "append" variant without source factors): a Dutch
# word is followed by the English the output must use, between two symbols the vocabulary
# keeps whole: `penseel ⟦ brush ⟧`. The package's metadata names the symbols; the toolkit
# annotates glossary terms the same way for a model that declares them.
TERM_OPEN, TERM_CLOSE = "⟦", "⟧"
ANNOTATION_WORD = re.compile(r"[^\W\d_][\w-]*", re.UNICODE)
DUTCH_FUNCTION_WORDS = ANNOTATION_SKIP_WORDS


@dataclass(frozen=True)
class ModelShape:
    """The Transformer's size; the reference model's by default."""

    vocab_size: int = 8000
    d_model: int = 256
    encoder_layers: int = 4
    decoder_layers: int = 2
    heads: int = 4
    ffn: int = 1024


# For tests and smoke runs: trains in seconds, translates badly.
TINY_SHAPE = ModelShape(
    vocab_size=400, d_model=32, encoder_layers=1, decoder_layers=1, heads=2, ffn=64
)


@dataclass(frozen=True)
class Schedule:
    """How long and how a run trains; stored in the run folder, so `--resume` keeps it."""

    minutes: float = 85.0
    lr: float = 1e-3
    warmup_steps: int = 300
    batch_tokens: int = 3000
    eval_every_minutes: float = 10.0
    save_every_minutes: float = 5.0
    seed: int = 1
    threads: int = 2
    max_epochs: float | None = None  # over the new data; None: the time budget alone
    # adaptation: this share of each epoch is the model's original data, so it does not forget
    original_share: float = 0.0
    device: str = "auto"  # auto: CUDA when present, else the CPU

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Progress:
    """What a progress display shows; `dev_chrf` is set after an evaluation."""

    step: int
    epoch: int
    fraction: float  # of the budget (time or epochs, whichever runs out first)
    elapsed: float  # seconds spent, earlier sittings of a resumed run included
    tokens_per_second: float
    loss: float
    dev_chrf: float | None = None


ProgressCallback = Callable[[Progress], None]


@dataclass
class RunState:
    """Where a run stands; saved beside each checkpoint."""

    step: int = 0
    epoch: int = 0
    elapsed: float = 0.0
    tokens: int = 0
    evaluations: list[tuple[int, float, float]] = field(default_factory=list)  # step, min, chrF


def device_for(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def term_lexicon(pairs: Sequence[Pair]) -> dict[str, str]:
    """Dutch word -> English from the corpus's own FreeDict rows (single Dutch words only)."""
    lexicon: dict[str, str] = {}
    for pair in pairs:
        if pair.doc != "freedict" or " " in pair.nl or len(pair.nl) < 4:
            continue
        if pair.nl.lower() in DUTCH_FUNCTION_WORDS or not 1 <= len(pair.en.split()) <= 3:
            continue
        lexicon.setdefault(pair.nl.lower(), pair.en)
    return lexicon


def annotate_terms(
    pairs: Sequence[Pair], lexicon: dict[str, str], share: float, seed: int
) -> tuple[list[Pair], int]:
    """Annotate up to two dictionary terms that the English really uses, in `share` of pairs."""
    chooser = random.Random(seed)
    annotated, count = [], 0
    for pair in pairs:
        if pair.doc == "freedict" or chooser.random() >= share:
            annotated.append(pair)
            continue
        candidates = []
        for match in ANNOTATION_WORD.finditer(pair.nl):
            target = lexicon.get(match.group().lower())
            if target is None:
                continue
            used = re.search(rf"\b{re.escape(target)}\b", pair.en, re.IGNORECASE)
            if used:
                candidates.append((match.end(), used.group()))
        if not candidates:
            annotated.append(pair)
            continue
        dutch = pair.nl
        for end, target in sorted(
            chooser.sample(candidates, min(2, len(candidates))), reverse=True
        ):
            dutch = f"{dutch[:end]} {TERM_OPEN} {target} {TERM_CLOSE}{dutch[end:]}"
        annotated.append(replace(pair, nl=dutch))
        count += 1
    return annotated, count


def train_vocabulary(pairs: Sequence[Pair], out: Path, size: int) -> spm.SentencePieceProcessor:
    """A joint unigram SentencePiece model; `vocab.json` ends with `<pad>` (a converter trap)."""
    text = out / "spm-input.txt"
    sample = random.Random(1).sample(list(pairs), min(len(pairs), 200_000))
    text.write_text("\n".join(s for p in sample for s in (p.nl, p.en)) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(out / "sentencepiece"),
        vocab_size=size,
        model_type="unigram",
        character_coverage=0.9999,
        unk_id=0,
        eos_id=EOS,
        bos_id=-1,
        pad_id=-1,
        input_sentence_size=400_000,
        shuffle_input_sentence=True,
        num_threads=2,
        user_defined_symbols=[TERM_OPEN, TERM_CLOSE],
        hard_vocab_limit=False,  # a small corpus may not fill `size`; take what it has
        minloglevel=2,
    )
    text.unlink()
    return write_vocabulary(out)


def write_vocabulary(folder: Path) -> spm.SentencePieceProcessor:
    """`vocab.json` for the SentencePiece model in `folder`, with `<pad>` as its last entry."""
    processor = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())] + ["<pad>"]
    (folder / "vocab.json").write_text(
        json.dumps({piece: i for i, piece in enumerate(vocabulary)}, ensure_ascii=False),
        encoding="utf-8",
    )
    return processor


def encode(
    processor: spm.SentencePieceProcessor, pairs: Sequence[Pair]
) -> list[tuple[list[int], list[int]]]:
    """Source without `</s>` (as the toolkit feeds CTranslate2), target ending in `</s>`."""
    sources = processor.encode([p.nl for p in pairs])
    targets = processor.encode([p.en for p in pairs])
    return [
        (s[:MAX_TOKENS], t[: MAX_TOKENS - 1] + [EOS]) for s, t in zip(sources, targets, strict=True)
    ]


def make_batches(
    examples: Sequence[tuple[list[int], list[int]]], max_tokens: int, seed: int
) -> list[list[int]]:
    """Index batches of similar lengths, at most `max_tokens` padded tokens each, shuffled."""
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i][1]), len(examples[i][0])))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
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


def collate(
    examples: Sequence[tuple[list[int], list[int]]], indices: Sequence[int], pad: int
) -> tuple[torch.Tensor, ...]:
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


def build_model(vocab_size: int, shape: ModelShape) -> MarianMTModel:
    """A fresh model whose `<pad>` (the last id) row is zero and stays zero."""
    pad = vocab_size - 1
    config = MarianConfig(
        vocab_size=vocab_size,
        d_model=shape.d_model,
        encoder_layers=shape.encoder_layers,
        decoder_layers=shape.decoder_layers,
        encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn,
        max_position_embeddings=256,
        activation_function="relu",
        dropout=0.1,
        attention_dropout=0.0,
        activation_dropout=0.0,
        scale_embedding=True,
        pad_token_id=pad,
        eos_token_id=EOS,
        decoder_start_token_id=pad,
        forced_eos_token_id=EOS,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        decoder_vocab_size=vocab_size,
    )
    model = MarianMTModel(config)
    with torch.no_grad():
        model.get_input_embeddings().weight[pad].zero_()  # type: ignore[index]  # torch/transformers stubs
    freeze_pad_row(model)
    return model


def load_model(checkpoint: Path) -> MarianMTModel:
    """A saved checkpoint in float32 (packages ship it in float16), `<pad>` row kept frozen."""
    # safetensors only: a package is hostile, and a pickled checkpoint could run code
    model = MarianMTModel.from_pretrained(
        checkpoint, torch_dtype=torch.float32, use_safetensors=True
    )
    freeze_pad_row(model)
    return model


def freeze_pad_row(model: MarianMTModel) -> None:
    """The tied output projection would train the `<pad>` row; CTranslate2 needs it zero."""
    weight = model.get_input_embeddings().weight
    pad = model.config.pad_token_id
    if float(weight.detach()[pad].abs().sum()) == 0.0:  # type: ignore[operator]  # torch/transformers stubs
        weight.register_hook(  # type: ignore[operator]  # torch/transformers stubs
            lambda grad: grad.index_fill(0, torch.tensor([pad], device=grad.device), 0.0)
        )


@torch.no_grad()
def greedy(
    model: MarianMTModel,
    processor: spm.SentencePieceProcessor,
    sentences: Sequence[str],
    max_new_tokens: int = 160,
) -> list[str]:
    """Greedy translations, as CTranslate2 decodes (no `</s>` on the source)."""
    pad = model.config.pad_token_id
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    outputs = []
    for start in range(0, len(sentences), 32):
        chunk = [ids[:MAX_TOKENS] for ids in processor.encode(list(sentences[start : start + 32]))]
        length = max(len(c) for c in chunk)
        input_ids = torch.tensor([c + [pad] * (length - len(c)) for c in chunk], device=device)
        generated = model.generate(
            input_ids=input_ids,
            attention_mask=input_ids.ne(pad).long(),  # type: ignore[arg-type]  # torch/transformers stubs
            num_beams=1,
            do_sample=False,
            max_new_tokens=max_new_tokens,
        )
        for row in generated.tolist():
            ids = [i for i in row[1:] if i != pad]
            if EOS in ids:
                ids = ids[: ids.index(EOS)]
            outputs.append(processor.decode(ids))
    model.train(was_training)
    return outputs


def chrf(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    return float(CHRF().corpus_score(list(hypotheses), [list(references)]).score)


class Trainer:
    """Trains `model` in `run`, saving the last checkpoint as it goes; `resume` continues one."""

    def __init__(
        self,
        run: Path,
        model: MarianMTModel,
        processor: spm.SentencePieceProcessor,
        schedule: Schedule,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.run, self.model, self.processor, self.schedule = run, model, processor, schedule
        self.device = device_for(schedule.device)
        self.model.to(self.device)  # type: ignore[arg-type]  # torch/transformers stubs
        self.optimizer = torch.optim.AdamW(
            model.parameters(), lr=schedule.lr, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0
        )
        self.state = RunState()
        self._log = run / "train.log"
        self._echo = log

    def say(self, message: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {message}"
        with self._log.open("a", encoding="utf-8") as log:
            log.write(line + "\n")
        if self._echo:
            self._echo(line)

    def resume(self) -> None:
        """Continue from the run folder's last checkpoint and state."""
        saved = torch.load(self.run / "state.pt", map_location=self.device, weights_only=False)
        checkpoint = self.run / "checkpoint"
        if not checkpoint.exists() and (self.run / "checkpoint.old").exists():
            (self.run / "checkpoint.old").replace(checkpoint)  # interrupted mid-save
        self.model.load_state_dict(load_model(checkpoint).state_dict())
        self.optimizer.load_state_dict(saved["optimizer"])
        self.state = RunState(**saved["state"])
        random.setstate(saved["python_random"])
        torch.set_rng_state(saved["torch_random"])
        self.say(f"resumed at step {self.state.step}, {self.state.elapsed / 60:.1f} min spent")

    def save(self) -> None:
        """Checkpoint and state, each replaced by rename so an interrupt never leaves half."""
        checkpoint = self.run / "checkpoint"
        partial, old = self.run / "checkpoint.partial", self.run / "checkpoint.old"
        shutil.rmtree(partial, ignore_errors=True)
        self.model.save_pretrained(partial)
        if checkpoint.exists():
            shutil.rmtree(old, ignore_errors=True)
            checkpoint.replace(old)
        partial.replace(checkpoint)
        shutil.rmtree(old, ignore_errors=True)
        state = {
            "optimizer": self.optimizer.state_dict(),
            "state": asdict(self.state),
            "python_random": random.getstate(),
            "torch_random": torch.get_rng_state(),
        }
        torch.save(state, self.run / "state.pt.partial")
        (self.run / "state.pt.partial").replace(self.run / "state.pt")

    def evaluate(self, dev: Sequence[Pair]) -> float:
        hypotheses = greedy(self.model, self.processor, [p.nl for p in dev])
        score = chrf(hypotheses, [p.en for p in dev])
        self.state.evaluations.append((self.state.step, self.state.elapsed / 60, score))
        self.say(
            f"step {self.state.step} dev chrF (greedy, {len(dev)} pairs) {score:.1f}; "
            f"e.g. {hypotheses[0]!r}"
        )
        return score

    def train(  # noqa: C901  (to split: issue 25)
        self,
        pairs: Sequence[Pair],
        dev: Sequence[Pair],
        original: Sequence[Pair] = (),
        progress: ProgressCallback | None = None,
    ) -> RunState:
        """Train until the budget is spent; the last checkpoint is saved even on an interrupt."""
        s = self.schedule
        torch.set_num_threads(s.threads)
        pad = self.model.config.pad_token_id
        examples = encode(self.processor, pairs)
        mixed = encode(self.processor, original) if original and s.original_share > 0 else []
        per_epoch = round(len(examples) * s.original_share / (1 - s.original_share)) if mixed else 0
        self.say(
            f"pairs {len(examples)} (+{per_epoch} of {len(mixed)} original per epoch), target "
            f"tokens {sum(len(t) for _, t in examples)}, parameters "
            f"{sum(p.numel() for p in self.model.parameters()) / 1e6:.1f}M, device "
            f"{self.device}, schedule {s.as_dict()}"
        )
        loss_function = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.1)
        budget = s.minutes * 60
        planned_batches = None
        if s.max_epochs:
            sizes = [len(make_batches(examples + mixed[:per_epoch], s.batch_tokens, 0))]
            planned_batches = s.max_epochs * sizes[0]
        state = self.state
        sitting_start, sitting_elapsed, sitting_tokens = time.time(), state.elapsed, state.tokens
        last_save = next_eval = time.time()
        next_eval += s.eval_every_minutes * 60
        last_save += s.save_every_minutes * 60

        def fraction() -> float:
            by_time = state.elapsed / budget
            return max(by_time, state.step / planned_batches) if planned_batches else by_time

        loss = float("nan")
        self.model.train()
        try:
            while fraction() < 1:
                state.epoch += 1
                chooser = random.Random(state.epoch + 1000 * s.seed)
                epoch_examples = examples + (
                    chooser.sample(mixed, min(per_epoch, len(mixed))) if per_epoch else []
                )
                batches = make_batches(epoch_examples, s.batch_tokens, state.epoch + 1000 * s.seed)
                for batch in batches:
                    state.elapsed = sitting_elapsed + time.time() - sitting_start
                    done = fraction()
                    if done >= 1:
                        break
                    state.step += 1
                    warm = min(1.0, state.step / max(s.warmup_steps, 1))
                    lr = s.lr * warm * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * done)))
                    for group in self.optimizer.param_groups:
                        group["lr"] = lr
                    input_ids, mask, decoder_input, labels = (
                        t.to(self.device)
                        for t in collate(epoch_examples, batch, pad)  # type: ignore[arg-type]  # torch/transformers stubs
                    )
                    logits = self.model(
                        input_ids=input_ids, attention_mask=mask, decoder_input_ids=decoder_input
                    ).logits
                    step_loss = loss_function(logits.view(-1, logits.size(-1)), labels.view(-1))
                    self.optimizer.zero_grad()
                    step_loss.backward()
                    torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                    self.optimizer.step()
                    loss = float(step_loss.item())
                    state.tokens += int(labels.ne(-100).sum())
                    rate = (state.tokens - sitting_tokens) / max(time.time() - sitting_start, 1e-9)
                    if state.step % 100 == 0:
                        self.say(
                            f"epoch {state.epoch} step {state.step} loss {loss:.3f} lr {lr:.2e} "
                            f"tok/s {rate:.0f} min {state.elapsed / 60:.1f}"
                        )
                    report = Progress(
                        state.step, state.epoch, fraction(), state.elapsed, rate, loss
                    )
                    now = time.time()
                    if now >= next_eval and dev:
                        next_eval = now + s.eval_every_minutes * 60
                        report.dev_chrf = self.evaluate(dev)
                        self.save()
                        last_save = now
                    elif now >= last_save + s.save_every_minutes * 60:
                        self.save()
                        last_save = now
                    if progress:
                        progress(report)
        except KeyboardInterrupt:
            state.elapsed = sitting_elapsed + time.time() - sitting_start
            self.save()
            self.say(f"interrupted at step {state.step}; the last checkpoint is saved")
            raise
        state.elapsed = sitting_elapsed + time.time() - sitting_start
        final = self.evaluate(dev) if dev else None
        self.save()
        if progress:
            progress(Progress(state.step, state.epoch, 1.0, state.elapsed, 0.0, loss, final))
        self.say(
            f"done: {state.step} steps, {state.epoch} epochs (last partial), {state.tokens} "
            f"target tokens, {state.elapsed / 60:.1f} min"
        )
        return state
