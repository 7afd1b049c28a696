"""Normalisation, language and identity."""

from __future__ import annotations

import pytest

from storyline.clean.dedup import DuplicateIndex, article_id, signature
from storyline.clean.language import detect_language
from storyline.clean.normalize import normalize_text


@pytest.mark.parametrize(("raw", "clean"), [
    ("The presidentâ€™s plan", "The president’s plan"),          # mojibake repaired
    ("“open to dialogue”", "“open to dialogue”"),                # curly quotes kept (quote finder needs them)
    ("caf\u00c3\u00a9 &amp; bar", "café & bar"),
    ("a\r\nb\r\n\r\n\r\n\r\nc", "a\nb\n\nc"),
    ("  too   many\u00a0 spaces  ", "too many spaces"),
    ("zero\u200bwidth", "zerowidth"),
])
def test_normalize(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean


@pytest.mark.parametrize(("text", "lang"), [
    ("The talks between the two delegations resumed on Monday, and the envoy said that she was hopeful about the outcome of the meeting in the capital.", "en"),
    ("Die Gespräche zwischen den beiden Delegationen wurden am Montag fortgesetzt, und die Gesandte sagte, dass sie auf ein Ergebnis des Treffens in der Hauptstadt hoffe.", "de"),
    ("Les discussions entre les deux délégations ont repris lundi, et l'envoyée a dit qu'elle était optimiste sur le résultat de la réunion dans la capitale.", "fr"),
    ("Too short to tell.", None),
])
def test_detect_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_article_id_is_stable_and_ignores_case_and_spacing() -> None:
    assert article_id("The ferry  crossed.\n\nIt was late.") == article_id("the ferry crossed. it was late.")
    assert article_id("The ferry crossed.") != article_id("The ferry sank.")
    assert len(article_id("x")) == 16


def test_duplicate_index_finds_edited_copy_only() -> None:
    body = " ".join(f"sentence {i} about the harbour convoy and the inspectors at the checkpoint." for i in range(30))
    index = DuplicateIndex(threshold=0.7, num_perm=128)
    index.add("orig", signature(body, num_perm=128, shingle_size=5))
    copy = body.replace("sentence 7 about", "line seven on") + " Republished under licence."
    match = index.find(signature(copy, num_perm=128, shingle_size=5))
    assert match is not None and match[0] == "orig" and match[1] > 0.8
    other = " ".join(f"paragraph {i}: the festival opens with music and dancing in the old town square." for i in range(30))
    assert index.find(signature(other, num_perm=128, shingle_size=5)) is None
