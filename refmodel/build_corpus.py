"""Build the reference model's Dutch–English corpus from Debian packages.

The builder lives in `toolkit.training.debian` (it is also `toolkit model train --base
debian`); this script runs it:

    python refmodel/build_corpus.py --work /tmp/corpus --out refmodel/data
"""

from __future__ import annotations

import sys

from toolkit.training.debian import dictionary_pairs, main

__all__ = ["dictionary_pairs", "main"]

if __name__ == "__main__":
    sys.exit(main())
