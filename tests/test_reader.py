"""storyline.open() for notebooks: records, DataFrames with the same columns, short reprs."""

from __future__ import annotations

from pathlib import Path

import pytest

import storyline
from storyline.store.db import is_url
from storyline.store.schema import connect


def test_records_carry_outlet_and_date_and_reprs_stay_short(demo_store: str) -> None:
    name = demo_store if is_url(demo_store) else Path(demo_store).name  # a URL is shown whole (it has no password here)
    with storyline.open(demo_store) as story:
        assert repr(story) == f"<storyline.Reader {name}: {connect(demo_store).execute('SELECT COUNT(*) FROM articles').fetchone()[0]} articles>"
        quotes = story.quotes()
        assert quotes and {"text", "speaker_name", "direct", "outlet", "published", "title"} <= set(quotes[0])
        stored = dict(connect(demo_store).execute("SELECT id, outlet FROM articles"))
        assert all(q["outlet"] == stored[q["article_id"]] for q in quotes)
        articles = story.articles()
        assert "text" not in articles[0] and "text" in story.articles(text=True)[0]
        rows = story.claim_appearances()
        assert rows and {"group_id", "group_text", "independent_origins", "article_id", "outlet"} <= set(rows[0])
        assert story.timeline() and story.actors()


def test_frames_have_the_same_columns_as_the_records(demo_store: str) -> None:
    pytest.importorskip("pandas")
    with storyline.open(demo_store) as story:
        frame = story.quotes(as_frame=True)
        assert list(frame.columns) == list(story.quotes()[0]) and len(frame) == len(story.quotes())
        assert len(story.articles(as_frame=True)) == len(story.articles())


def test_a_missing_database_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(storyline.StorylineError, match="no such database"):
        storyline.open(tmp_path / "nothing.db")


def test_the_worked_example_in_the_docs_runs(demo_store: str, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas")
    from tests.conftest import REPO

    text = (REPO / "docs" / "python.md").read_text(encoding="utf-8")
    code = text.split("## A worked example", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    names: dict[str, object] = {}
    exec(compile(code.replace('"story.db"', repr(demo_store)), "docs/python.md", "exec"), names)
    assert "Teodor Vasko" in capsys.readouterr().out  # the demo's most quoted speaker
    assert len(names["claims"]) and len(names["tellings"]) >= len(names["claims"])  # type: ignore[arg-type]
