"""English: the language knowledge the toolkit applies to English text, as data.

Each word list is here once, named for what it is; `tests/lang/` holds their golden copies.
Nothing here imports the toolkit.
"""

from __future__ import annotations

# Frequent English words that carry no content: what a rewritten sentence must keep is its
# other words (enforcement's collateral-damage check)
STOP_WORDS = frozenset(
    "the a an of to in on for and or but with by from at as is are was were be been this that "
    "these those it its their his her they he she we you not".split()
)

# Articles, determiners, possessives and short prepositions: a word the decoder attends to
# on behalf of the noun after it (the placement step looks past them, `engines.argos`)
FUNCTION_WORDS = frozenset(
    "the a an this that these those its their his her our your my of to in on for".split()
)

# English words whose doubling is grammatical ("that that", "had had", "so so", "ha ha"):
# neither a repetition loop (QA) nor a repair's defect (enforcement)
GRAMMATICAL_DOUBLES = frozenset({"that", "had", "is", "do", "very", "so", "bye", "no", "ha"})

# Words spelt with a, i or o first that still take "a" (a one-off, a once-famous)
A_BEFORE_VOWEL_LETTER = ("one", "once", "ouija")

# Numbers written as words, with their value (the numbers check)
NUMBER_WORDS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "hundred": 100,
    "thousand": 1000, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "single": 1, "double": 2, "once": 1, "twice": 2, "half": 0.5,
}  # fmt: skip


# English words that stutter by nature (risk: a repeated chunk inside them is no loop)
STUTTERING_WORDS = frozenset(
    "banana bananas cocoa murmur tartar papa mama dodo tutu bonbon pompom tomtom "
    "mississippi coco kiwi beriberi".split()
)
