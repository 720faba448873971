"""`python -m toolkit` runs the same CLI as the `toolkit` console script."""

from toolkit.cli import main

main()
