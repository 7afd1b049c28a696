"""Meta-tests: the public API, CLI help, settings documentation."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

import storyline
from storyline.cli import app
from storyline.settings import Settings, load_settings
from storyline.errors import ConfigError
from tests.conftest import REPO

COMMANDS = ["ingest", "list", "show", "set", "search", "export", "annotate", "actors", "quotes", "sources", "timeline", "stories", "claims", "framing", "digest", "watch", "copy"]


def test_public_api_is_what_we_mean_to_export() -> None:
    assert sorted(storyline.__all__) == sorted([
        "Article", "Evidence", "Failure", "IngestSummary", "RawDocument", "Removal", "Settings", "load_settings",
        "clean_document", "ingest", "export_document", "open_store", "iter_articles", "load_article", "search",
        "open", "Reader",  # storyline.open("story.db") for notebooks (docs/python.md)
        "StorylineError", "InputError", "FetchError", "ExtractError", "StoreError", "ConfigError",
    ])
    for name in storyline.__all__:
        assert getattr(storyline, name) is not None


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_db_option(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert re.search(r"Example: storyline " + command, result.stdout), result.stdout
    assert "--db" in result.stdout


def test_every_command_is_documented() -> None:
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"## storyline {command}" in doc


def test_every_setting_has_help_and_is_documented() -> None:
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    from dataclasses import fields
    for f in fields(Settings):
        assert f.metadata.get("help"), f.name
        assert f"`{f.name}`" in doc, f"setting {f.name} missing from docs/cli.md"


def test_settings_precedence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "storyline.toml").write_text('db = "from-file.db"\nmax_redirects = 2\n', encoding="utf-8")
    s = load_settings(env={"STORYLINE_MAX_REDIRECTS": "7"}, cwd=tmp_path)
    assert (s.db, s.max_redirects) == ("from-file.db", 7)
    assert s.with_overrides(db="flag.db", max_redirects=None).db == "flag.db"
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings(env={}, cwd=tmp_path).with_overrides(colour="red")
    with pytest.raises(ConfigError, match="max_bytes"):
        load_settings(env={"STORYLINE_MAX_BYTES": "lots"}, cwd=tmp_path)


def test_mypy_strict_is_clean_on_src() -> None:
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_store_depends_on_no_stage() -> None:
    """store/ takes records from models.py only: no import of a stage's module (clean, annotate, link, flow, ingest)."""
    import ast

    stages = {"clean", "annotate", "link", "flow", "ingest"}
    found = []
    for path in sorted((REPO / "src" / "storyline" / "store").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 2 and (node.module or "").split(".")[0] in stages:
                found.append(f"{path.name}: from ..{node.module}")
    assert not found, found


def test_the_time_package_has_no_import_cycle() -> None:
    """annotate/time/: no module imports another that (directly or not) imports it back."""
    import ast

    folder = REPO / "src" / "storyline" / "annotate" / "time"
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        graph[path.stem] = {node.module for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph.get(start, ()))

    assert len(graph) >= 12
    assert not [m for m in graph if m != "__init__" and reaches(m, m, {m})]


INGEST_LAYERS = ["decode", "fetch", "feeds", "records", "pages", "warc", "mediacloud", "files", "usermeta", "sources"]
"""ingest/ in one direction (docs/cleaning.md, "The way in"): each module imports only modules before it."""


def test_ingest_runs_one_way() -> None:
    import ast

    folder = REPO / "src" / "storyline" / "ingest"
    assert sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__") == sorted(INGEST_LAYERS)
    upward = []
    for position, name in enumerate(INGEST_LAYERS):
        tree = ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                target = (node.module or "").split(".")[0]
                if target not in INGEST_LAYERS[:position]:
                    upward.append(f"{name} imports {target}")
    assert not upward, upward
    fetching = [n for n in INGEST_LAYERS if "fetch(" in (folder / f"{n}.py").read_text(encoding="utf-8") and n not in ("fetch", "sources")]
    assert not fetching, f"only sources.py fetches: {fetching}"


def test_no_sql_outside_the_store() -> None:
    """Only store/ talks to the database in SQL (a second backend then needs only store/ ported)."""
    pattern = re.compile(r"\.execute(?:many)?\(\s*f?[\"'](?:SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN)", re.I)
    found = [f"{p.relative_to(REPO)}" for p in (REPO / "src" / "storyline").rglob("*.py")
             if "store" not in p.relative_to(REPO / "src" / "storyline").parts and pattern.search(p.read_text(encoding="utf-8"))]
    assert not found, found


@pytest.mark.parametrize("command", ["ingest", "watch", "quotes"])
def test_each_example_in_help_stands_on_its_own_lines(command: str) -> None:
    """Click rewraps a paragraph: two examples in one paragraph would print run together."""
    shown = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"}).stdout
    lines = [line.strip() for line in shown.splitlines() if "Example:" in line]
    assert lines and all(line.startswith("Example:") and line.count("Example:") == 1 for line in lines), shown
