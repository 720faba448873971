"""The engine's confidence per token: undoing CTranslate2's length normalisation, checked
against CTranslate2 itself on the seeded test model."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from toolkit.qa.confidence import mean_log_prob

# (score, tokens, length penalty, mean per token)
CASES = [
    # no penalty: the score is the plain sum
    (-3.0, 6, 0.0, -0.5),
    # penalty 1: the score already is the mean
    (-0.5, 6, 1.0, -0.5),
    # argostranslate's 0.2: sum / 6 ** 0.2, so the mean is score * 6 ** -0.8
    (-3.0, 6, 0.2, -3.0 * 6**-0.8),
    # an empty hypothesis counts as one token, never a division by zero
    (-1.0, 0, 0.2, -1.0),
]


@pytest.mark.parametrize(("score", "tokens", "penalty", "mean"), CASES)
def test_mean_log_prob(score, tokens, penalty, mean) -> None:
    assert mean_log_prob(score, tokens, penalty) == pytest.approx(mean)


@pytest.mark.parametrize("beam_size", [1, 4])
@pytest.mark.parametrize("penalty", [0.0, 0.2, 1.0])
def test_ctranslate2_scores_are_the_sum_over_length_to_the_penalty(
    seeded_package: Path, tmp_path: Path, beam_size: int, penalty: float
) -> None:
    """What `mean_log_prob` relies on: CTranslate2's returned score, undone, is the mean of
    the token log-probabilities `score_batch` gives, the end-of-sentence token included."""
    import ctranslate2
    import sentencepiece

    zipfile.ZipFile(seeded_package).extractall(tmp_path)
    [package] = [p for p in tmp_path.iterdir() if p.is_dir()]
    translator = ctranslate2.Translator(str(package / "model"))
    tokenizer = sentencepiece.SentencePieceProcessor(
        model_file=str(package / "sentencepiece.model")
    )
    source = tokenizer.encode("De president van Oekraïne sprak gisteren.", out_type=str)
    # the seeded model hardly ever stops on its own: make a token it emits the end token
    [greedy] = translator.translate_batch([source], beam_size=1, max_decoding_length=12)
    end = greedy.hypotheses[0][4]
    [result] = translator.translate_batch(
        [source],
        beam_size=beam_size,
        length_penalty=penalty,
        return_scores=True,
        max_decoding_length=40,
        end_token=end,
    )
    hypothesis = result.hypotheses[0]
    assert end not in hypothesis and len(hypothesis) < 40  # it stopped on the end token
    [scored] = translator.score_batch([source], [hypothesis + [end]])
    # score_batch appends </s> after our end token; decoding stopped before that
    log_probs = scored.log_probs[: len(hypothesis) + 1]
    expected = sum(log_probs) / len(log_probs)
    got = mean_log_prob(result.scores[0], len(hypothesis) + 1, penalty)
    assert got == pytest.approx(expected, abs=0.01)
