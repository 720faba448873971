"""Package a trained checkpoint as an Argos `.argosmodel` that can also be adapted later.

Besides what Argos reads (`metadata.json`, the int8 CTranslate2 `model/`, the SentencePiece
model) the package carries `training/`: the weights in float16 (safetensors, never a
pickle), `vocab.json` and a sample of the pairs it was trained on, so `toolkit model adapt`
can continue training it without forgetting. Its README records the data (file names, pair
counts), a summary of the training log and the held-out scores; `metadata.json` carries the
same under `toolkit_training`, which `toolkit model list` shows.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from toolkit.training.convert import Conversion, convert
from toolkit.training.corpus import Pair, write_jsonl
from toolkit.training.marian import TERM_CLOSE, TERM_OPEN, load_model

TRAINING_KEY = "toolkit_training"  # metadata.json: origin, data, scores, what adapt reads
TRAINING_FOLDER = "training"
ORIGINAL_SAMPLE = "original.jsonl"
ORIGINAL_SAMPLE_PAIRS = 20_000  # what adapt mixes in; about 1 MB zipped


@dataclass(frozen=True)
class PackageInfo:
    """What a package says about itself, beside the model."""

    name: str  # the package folder: the name `toolkit model list` and `--model` use
    description: str
    origin: str  # bundled, trained or adapted
    version: str = "1.0"
    base: str = ""  # the model an adapted one continues
    reference: bool = False  # the bundled reference model
    data: Sequence[dict[str, Any]] = ()  # file, pairs, skipped
    scores: dict[str, float] = field(default_factory=dict)  # held-out chrF by set
    log_summary: Sequence[str] = ()
    readme_extra: str = ""  # e.g. the corpus's sources and licences
    term_annotations: bool = False

    def metadata(self) -> dict[str, Any]:
        metadata: dict[str, Any] = {
            "package_version": self.version,
            "argos_version": "1.9",
            "from_code": "nl",
            "from_name": "Dutch",
            "to_code": "en",
            "to_name": "English",
            "type": "translate",
            "package_name": self.name,
            "description": self.description,
            "max_positions": 256,
            TRAINING_KEY: {
                "origin": self.origin,
                "base": self.base,
                "data": list(self.data),
                "scores": self.scores,
                "weights": f"{TRAINING_FOLDER}/checkpoint",
                "original_pairs": f"{TRAINING_FOLDER}/{ORIGINAL_SAMPLE}",
            },
        }
        if self.reference:
            metadata["reference"] = True
        if self.term_annotations:
            metadata["term_annotations"] = {"open": TERM_OPEN, "close": TERM_CLOSE}
        return metadata

    def readme(self, conversion: Conversion) -> str:
        lines = [f"# {self.name} {self.version}", "", f"{self.description}.", ""]
        if self.base:
            lines += [f"Adapted from `{self.base}`.", ""]
        if self.data:
            lines += ["## Training data", "", "| file | pairs | not used |", "| --- | --- | --- |"]
            lines += [f"| {d['file']} | {d['pairs']} | {d.get('skipped', 0)} |" for d in self.data]
            lines.append("")
        if self.readme_extra:
            lines += [self.readme_extra.rstrip(), ""]
        if self.scores:
            lines += ["## Held-out scores (chrF, greedy)", "", "| set | chrF |", "| --- | --- |"]
            lines += [f"| {name} | {score:.1f} |" for name, score in self.scores.items()]
            lines.append("")
        lines += ["## Conversion", "", conversion.as_line(), ""]
        if self.log_summary:
            lines += ["## Training log summary", "", "```", *self.log_summary, "```", ""]
        return "\n".join(lines)


def log_summary(log: Path, head: int = 2, tail: int = 6) -> list[str]:
    """The first and last lines of a run's log, its evaluations in between."""
    if not log.is_file():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()
    evaluations = [line for line in lines[head:-tail] if " dev chrF " in line]
    return [*lines[:head], *evaluations, *lines[-tail:]] if len(lines) > head + tail else lines


def write_package(
    out: Path,
    info: PackageInfo,
    checkpoint: Path,
    vocabulary: Path,
    original: Sequence[Pair],
    check_sentences: Sequence[str],
    seed: int = 1,
) -> Conversion:
    """Convert, check and write the `.argosmodel` to `out` (atomically: all or nothing)."""
    with tempfile.TemporaryDirectory(prefix="toolkit-package-") as scratch:
        work = Path(scratch)
        package = work / info.name
        conversion = convert(checkpoint, vocabulary, package / "model", check_sentences, work)
        shutil.copy(vocabulary / "sentencepiece.model", package / "sentencepiece.model")
        training = package / TRAINING_FOLDER
        model = load_model(checkpoint).to(torch.float16)  # type: ignore[arg-type]  # torch/transformers stubs
        model.save_pretrained(training / "checkpoint", safe_serialization=True)
        shutil.copy(vocabulary / "vocab.json", training / "vocab.json")
        sample = list(original)
        if len(sample) > ORIGINAL_SAMPLE_PAIRS:
            sample = random.Random(seed).sample(sample, ORIGINAL_SAMPLE_PAIRS)
        write_jsonl(training / ORIGINAL_SAMPLE, sample)
        (package / "metadata.json").write_text(
            json.dumps(info.metadata(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (package / "README.md").write_text(info.readme(conversion), encoding="utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(package.rglob("*")):
                archive.write(path, str(path.relative_to(work)))
        partial.replace(out)
    return conversion
