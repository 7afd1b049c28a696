"""Corpus-level steps: they take records from many articles and link them (timeline, later stories and claims)."""
