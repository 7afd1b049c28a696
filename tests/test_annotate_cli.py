"""Annotation through ingest, stored, exported and shown by the CLI, on the real seeds."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from tests.conftest import SEEDS
from tests.test_set_cli import module_store, query


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seeds ingested once per module into a store on each backend."""
    if not SEEDS.exists():
        pytest.skip("seeds not found")
    for db in module_store(request, tmp_path_factory.mktemp("ann")):
        result = CliRunner().invoke(app, ["ingest", str(SEEDS), "--db", db, "-q"])
        assert result.exit_code == 0, result.stderr
        yield db


def test_actors_group_variants_across_articles(seeded: str) -> None:
    doc = json.loads(CliRunner().invoke(app, ["export", "--db", seeded]).stdout)
    zelensky = [a for a in doc["actors"] if a["name"].startswith("Volodymyr Zelensk")]
    assert len(zelensky) == 1
    assert {"Volodymyr Zelensky", "Volodymyr Zelenskyy"} <= set(zelensky[0]["variants"])
    putin = next(a for a in doc["actors"] if a["name"] == "Vladimir Putin")
    labels = {m["text"].lower() for m in doc["mentions"] if m["actor_id"] == putin["id"] and m["kind"] == "label"}
    assert {"russian president", "the kremlin chief", "the dictator", "the kremlin tyrant", "the kremlin boss"} <= labels
    wartime = [m for m in doc["mentions"] if m["text"] == "the wartime leader"]
    assert wartime and wartime[0]["actor_id"] == zelensky[0]["id"]


def test_quotes_command_filters_by_speaker(seeded: str) -> None:
    out = CliRunner().invoke(app, ["quotes", "--speaker", "Peskov", "--db", seeded], env={"COLUMNS": "200"}).stdout
    assert "Dmitry Peskov" in out and "open to dialogue" in out
    assert "Blinken" not in out


def test_sources_tree_shows_the_chain(seeded: str) -> None:
    ((article_id,),) = query(seeded, "SELECT id FROM articles WHERE source LIKE '%001_%'")
    out = CliRunner().invoke(app, ["sources", article_id, "-f", "table", "--db", seeded], env={"COLUMNS": "200"}).stdout
    reuters = out.index("Reuters (outlet)")
    assert out.index("four sources in Russia (anonymous, 4)") > reuters
    assert "the dictator → Vladimir Putin (person)" in out  # the label resolved, as quotes resolve it
    assert "one source familiar with the dictator (anonymous" in out


def test_quotes_and_sources_give_one_speaker(seeded: str) -> None:
    """The speaker a quote is given and the source its attribution is given come from one resolution."""
    rows = query(seeded, "SELECT q.speaker, q.speaker_name, t.source_kind, t.source_name FROM quotes q JOIN attributions t"
                 " ON t.article_id = q.article_id AND t.start = q.start AND t.\"end\" = q.\"end\"")
    (kind, name, speaker), *_ = query(
        seeded, "SELECT t.source_kind, t.source_name, q.speaker_name FROM attributions t JOIN quotes q ON q.article_id = t.article_id"
        " AND q.start = t.start WHERE t.content LIKE '%popularity has fallen%' ORDER BY t.article_id, t.start")
    assert rows
    for words, quoted, source_kind, resolved in rows:
        if resolved is not None:
            assert resolved == quoted, (words, quoted, resolved)
        if source_kind == "anonymous":
            assert resolved is None, words
    # "one source familiar with the dictator" is an unnamed source, not the dictator, in both views
    assert (kind, name) == ("anonymous", None) and speaker != "Vladimir Putin"


def test_text_change_clears_annotations(seeded: str) -> None:
    ((annotated,),) = query(seeded, "SELECT COUNT(*) FROM annotated")
    ((articles,),) = query(seeded, "SELECT COUNT(*) FROM articles")
    assert annotated == articles == 5
    result = CliRunner().invoke(app, ["annotate", "--db", seeded])
    assert "annotated 0 article(s)" in result.stderr
    result = CliRunner().invoke(app, ["annotate", "--all", "--db", seeded])
    assert "annotated 5 article(s)" in result.stderr


def test_version_is_printed_and_matches_the_installed_package() -> None:
    from importlib.metadata import version

    from typer.testing import CliRunner

    from storyline.cli import app

    done = CliRunner().invoke(app, ["--version"])
    assert done.exit_code == 0 and done.stdout.strip() == f"storyline {version('storyline')}"
