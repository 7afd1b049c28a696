"""Clear answers at the command line: a port in use, an ambiguous id prefix."""

from __future__ import annotations

import socket
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app
from storyline.store.schema import connect


def test_serve_on_a_port_in_use_says_so_first(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "s.db"), "--port", str(port)])
    assert done.exit_code == 2
    assert done.stderr.splitlines()[0] == f"error: 127.0.0.1:{port} is in use (another server?); choose another with --port"
    assert not (tmp_path / "s.db").exists()  # refused before touching the database


def test_an_ambiguous_id_prefix_lists_the_candidates(demo_store: str) -> None:
    ids = sorted(r[0] for r in connect(demo_store).execute("SELECT id FROM articles"))
    prefix = next(a[:1] for a, b in zip(ids, ids[1:]) if a[:1] == b[:1])
    done = CliRunner().invoke(app, ["show", prefix, "--db", demo_store], env={"COLUMNS": "400"})
    shared = [i for i in ids if i.startswith(prefix)]
    assert done.exit_code == 1 and "is the start of several article ids" in done.stderr
    assert all(i in done.stderr for i in shared[:10])
    missing = CliRunner().invoke(app, ["sources", "zz", "--db", demo_store])
    assert missing.exit_code == 1 and "no article with id 'zz'" in missing.stderr


def test_a_password_in_a_postgresql_url_is_never_printed(pg_store: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ferry news\n\nThe Lundholm ferry sailed again on Monday, the harbour authority said.\n", encoding="utf-8")
    url = pg_store.replace("postgresql://postgres@", "postgresql://postgres:hunter2@")  # the test server trusts, so any password opens it
    done = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", url])
    assert done.exit_code == 0 and "hunter2" not in done.stderr + done.stdout
    assert done.stderr.splitlines()[-1].endswith(" -> " + url.replace(":hunter2@", ":***@"))
    missing = CliRunner().invoke(app, ["list", "--db", url.rsplit("/", 1)[0] + "/no_such_database"])
    assert missing.exit_code == 2 and "hunter2" not in missing.stderr and "postgres:***@" in missing.stderr
