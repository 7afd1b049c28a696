"""Property tests ("fuzzing as a habit"): the cleaner, the quote and attribution finders and the
time grammar never crash and keep every offset inside the text.

Each test runs a few dozen examples in the normal ``pytest`` run; ``STORYLINE_FUZZ_EXAMPLES=2000``
raises every test's count for a longer campaign (``tools/fuzz.py`` runs one).
"""
