"""Articles in languages we do not annotate are matched to known actors by their capitalised words only."""

from __future__ import annotations

from storyline.annotate.registry import ActorRegistry
from storyline.link.unread import capitalised_runs, unread_story_doc
from storyline.models import Article


def test_capitalised_runs_in_any_script() -> None:
    text = "Bürgermeisterin Ines Hald sagte am Montag in Lisk. Мэр Инес Хальд заявила, O’Brien-Smith lachte."
    assert capitalised_runs(text) == ["Bürgermeisterin Ines Hald", "Montag", "Lisk", "Мэр Инес Хальд", "O’Brien-Smith"]


def test_only_actors_already_known_are_found_and_none_is_created() -> None:
    registry = ActorRegistry()
    hald = registry.resolve("Ines Hald", "PERSON")
    lisk = registry.resolve("Lisk", "GPE")
    registry.changed.clear()
    article = Article(id="a1", source="de.txt", text="Bürgermeisterin Hald sagte am Montag, die Fähre nach Lisk fahre wieder.",
                      raw_text="", title="Fähre nach Lisk")
    doc = unread_story_doc(article, registry)
    assert doc.actor_ids == (lisk.id, hald.id)  # "Fähre", "Montag" and "Bürgermeisterin" are no one
    assert len(registry.actors) == 2 and not registry.changed
