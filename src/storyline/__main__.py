"""``python -m storyline``: the command line."""

from .cli import main

main()
