"""Only the languages we read: articles in others are stored, cleaned and searchable, but not annotated, and say so."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.clean.language import identify_language
from storyline.flow import annotate_pending, ingest
from storyline.report.pages import article_page
from storyline.settings import Settings
from storyline.store.articles import search
from storyline.store.schema import connect

ARTICLES = {
    "en.txt": ("Ferry to Lisk runs again\n\nMayor Ines Hald said on Monday that the ferry to Lisk would run again "
               "by June. \u201cWe are ready to start talks with the union,\u201d Hald told reporters at the harbour."),
    "de.txt": ("Fähre nach Lisk fährt wieder\n\nBürgermeisterin Ines Hald sagte am Montag, die Fähre nach Lisk werde "
               "ab Juni wieder fahren. \u201eWir sind bereit, mit der Gewerkschaft zu verhandeln\u201c, sagte Hald im Hafen."),
    "fr.txt": ("Le ferry pour Lisk reprend\n\nLa maire Ines Hald a déclaré lundi que le ferry pour Lisk reprendrait "
               "en juin. \u00ab Nous sommes prêts à négocier avec le syndicat \u00bb, a dit Hald aux journalistes du port."),
    "ru.txt": ("Паром на Лиск снова пойдёт\n\nМэр Инес Хальд заявила в понедельник, что паром на Лиск снова пойдёт "
               "в июне. \u00abМы готовы начать переговоры с профсоюзом\u00bb, сказала Хальд журналистам в порту."),
    "uk.txt": ("Пором до Ліска знову піде\n\nМерка Інес Гальд заявила в понеділок, що пором до Ліска знову піде "
               "у червні. \u00abМи готові почати переговори з профспілкою\u00bb, сказала Гальд журналістам у порту."),
    # mixed: an English report quoting a German statement at length is English
    "mixed-en.txt": ("Union answers the mayor\n\nThe dockers' union in Lisk answered the mayor on Tuesday with a long "
                     "statement in German, which the harbour office published on its website in the afternoon.\n\n"
                     "Die Gewerkschaft ist zu Gesprächen bereit, aber nicht zu jedem Preis.\n\n"
                     "The statement said the union would meet the mayor next week, and that the ferry crews "
                     "expected a written offer before any talks about the timetable could begin."),
    # mixed: a German article under English navigation lines is German
    "mixed-de.txt": ("Hafen von Lisk\n\nHome News Sport\n\nDie Hafenverwaltung von Lisk hat am Mittwoch neue Fahrpläne "
                     "für den Sommer veröffentlicht, nachdem die Gespräche mit der Gewerkschaft begonnen hatten.\n\n"
                     "Nach Angaben der Verwaltung sollen die ersten Fähren am ersten Juni um sechs Uhr morgens ablegen "
                     "und bis zum späten Abend zwischen beiden Ufern verkehren.\n\nRead more about the ferry"),
}
EXPECTED = {"en.txt": "en", "de.txt": "de", "fr.txt": "fr", "ru.txt": "ru", "uk.txt": "uk", "mixed-en.txt": "en", "mixed-de.txt": "de"}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_the_language_of_most_of_the_text_is_identified(name: str) -> None:
    language, evidence = identify_language(ARTICLES[name])
    assert language == EXPECTED[name]
    assert evidence is not None and evidence.method == "py3langid" and "of the identified text" in evidence.text
    if name.startswith("mixed-en"):
        assert "also de" in evidence.text  # a mixed text says so


def test_too_little_text_stays_unknown() -> None:
    assert identify_language("Putin, Zelensky, Trump") == (None, None)


def test_articles_in_other_languages_are_stored_and_searchable_but_not_annotated(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "s.db"
    summary = ingest([str(folder)], Settings(db=str(db), workers=1))
    assert len(summary.ingested) == len(ARTICLES) and not summary.failed
    conn = connect(db)
    language = {Path(r[0]).name: (r[1], r[2]) for r in conn.execute("SELECT source, language, id FROM articles")}
    assert {name: lang for name, (lang, _) in language.items()} == EXPECTED
    annotated = {r[0] for r in conn.execute("SELECT article_id FROM annotated")}
    assert annotated == {language["en.txt"][1], language["mixed-en.txt"][1]}
    foreign = [aid for name, (lang, aid) in language.items() if lang != "en"]
    assert not conn.execute(f"SELECT COUNT(*) FROM mentions WHERE article_id IN ({','.join('?' * len(foreign))})", foreign).fetchone()[0]
    skips = dict(conn.execute("SELECT article_id, reason FROM annotation_skips"))
    assert set(skips) == set(foreign) and skips[language["de.txt"][1]] == "written in de; Storyline annotates en"
    # placed in stories all the same, by the known actors their names refer to, their dates and words
    story = dict(conn.execute("SELECT article_id, story_id FROM story_members"))
    assert set(story) == {aid for _, aid in language.values()}
    assert story[language["fr.txt"][1]] == story[language["en.txt"][1]]  # « la maire Ines Hald », Lisk, the ferry
    evidence = conn.execute("SELECT evidence FROM story_members WHERE article_id = ?", (language["de.txt"][1],)).fetchone()[0]
    assert "hald" in evidence  # matched to the mayor of the English article, though not annotated
    # searchable all the same, and the page says why it has no quotes
    assert [a.id for a in search(conn, "Gewerkschaft")] and [a.id for a in search(conn, "профспілкою")] == [language["uk.txt"][1]]
    page = article_page(conn, language["ru.txt"][1])
    assert page is not None and page.not_annotated == "written in ru; Storyline annotates en" and not page.quotes
    shown = CliRunner().invoke(app, ["show", language["ru.txt"][1], "--db", str(db)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "not annotated: written in ru; Storyline annotates en" in shown.stdout
    done = CliRunner().invoke(app, ["annotate", "--db", str(db)])
    assert done.exit_code == 0 and "5 not annotated, written in a language not in the `languages` setting (en)" in done.stderr
    # reading German too: the German articles are annotated on the next run, the others stay skipped
    assert annotate_pending(conn, Settings(db=str(db), workers=1, languages="en,de")) == 2
    assert {language["de.txt"][1], language["mixed-de.txt"][1]} <= {r[0] for r in conn.execute("SELECT article_id FROM annotated")}
    assert set(dict(conn.execute("SELECT article_id, reason FROM annotation_skips"))) == {language[n][1] for n in ("fr.txt", "ru.txt", "uk.txt")}
    placed = [r[0] for r in conn.execute("SELECT article_id FROM story_members")]
    assert sorted(placed) == sorted(aid for _, aid in language.values())  # linked again once annotated, never twice


def test_the_page_of_a_skipped_article_says_so(tmp_path: Path) -> None:
    from storyline.report.writer import write_report

    (tmp_path / "de.txt").write_text(ARTICLES["de.txt"], encoding="utf-8")
    db = tmp_path / "s.db"
    ingest([str(tmp_path / "de.txt")], Settings(db=str(db), workers=1))
    out = tmp_path / "report"
    write_report(connect(db, readonly=True), out)
    (page,) = (out / "articles").glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert 'id="not-annotated"' in html and "written in de; Storyline annotates en" in html
