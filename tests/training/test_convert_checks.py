"""The conversion check's tolerance: ties of a degenerate model, never different words."""

from __future__ import annotations

from toolkit.training.convert import _capped_alike


def test_runs_of_spaces_and_a_capped_extra_token_are_alike_but_other_words_are_not() -> None:
    assert _capped_alike("mmmm    aaa   ", "mmmm   aaa    ")
    looping = "of " * 40
    assert _capped_alike(looping + "ofable", looping + "ofablep")
    assert not _capped_alike("Select the brush.", "Select the pen.")
    assert not _capped_alike("short", "shorter text")  # too short to have hit the cap
