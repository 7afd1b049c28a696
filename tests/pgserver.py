"""A throwaway PostgreSQL server for the test run, from Debian's packages (../shared/RECIPES.md).

initdb refuses to run as root, so as root the server runs as the ``postgres`` user that Debian's
package creates: a cluster in a fresh temporary folder, a free port on 127.0.0.1, fsync off, one
database ``testdb``, trust authentication for ``postgres``. :meth:`PostgresServer.stop` stops it and
removes the folder. Elsewhere (not root, PostgreSQL not installed) :func:`unavailable_reason` says why
and the tests that need it are skipped.

    with PostgresServer.start() as server:
        engine = sqlalchemy.create_engine(server.url)
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

__all__ = ["PostgresServer", "find_bin", "unavailable_reason"]

_BIN_GLOB = "/usr/lib/postgresql/*/bin"
_USER = "postgres"
_DATABASE = "testdb"


def find_bin() -> Path | None:
    """Return the newest ``/usr/lib/postgresql/VERSION/bin`` that has initdb, or None."""
    found = [p for p in Path("/").glob(_BIN_GLOB.lstrip("/")) if (p / "initdb").exists()]
    return max(found, key=lambda p: _version(p.parent.name), default=None)


def _version(name: str) -> tuple[int, ...]:
    """``"15"`` -> (15,); ``"9.6"`` -> (9, 6); anything else sorts first."""
    try:
        return tuple(int(part) for part in name.split("."))
    except ValueError:
        return (0,)


def unavailable_reason() -> str | None:
    """Say why a throwaway server cannot be started here, or return None when it can."""
    if find_bin() is None:
        return f"PostgreSQL is not installed (no {_BIN_GLOB}/initdb): run `make postgresql` or `apt-get install postgresql`"
    if os.geteuid() != 0:
        return "the throwaway PostgreSQL server needs root (it runs initdb as the postgres user)"
    try:
        pwd.getpwnam(_USER)
    except KeyError:
        return f"no {_USER!r} user (Debian's postgresql package creates it)"
    if shutil.which("runuser") is None:
        return "runuser is missing (util-linux)"
    return None


def _free_port() -> int:
    """A TCP port nothing listens on now (the server binds it a moment later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One running throwaway cluster; :meth:`start` makes it, :meth:`stop` removes it."""

    def __init__(self, bin_dir: Path, root: Path, port: int) -> None:
        self.bin_dir = bin_dir
        self.root = root
        self.port = port

    @property
    def data(self) -> Path:
        """The cluster's data directory."""
        return self.root / "data"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the test database (driver psycopg 3)."""
        return f"postgresql+psycopg://{_USER}@127.0.0.1:{self.port}/{_DATABASE}"

    @property
    def dsn(self) -> str:
        """The libpq connection string of the test database (for psycopg directly)."""
        return f"postgresql://{_USER}@127.0.0.1:{self.port}/{_DATABASE}"

    @classmethod
    def start(cls) -> PostgresServer:
        """Create a cluster in a temporary folder, start it on a free port and create ``testdb``.

        Raises:
            RuntimeError: PostgreSQL cannot run here (the reason of :func:`unavailable_reason`), or a step
                failed (its output and the server log's tail are in the message).
        """
        reason = unavailable_reason()
        bin_dir = find_bin()
        if reason is not None or bin_dir is None:
            raise RuntimeError(reason or "PostgreSQL is not installed")
        root = Path(tempfile.mkdtemp(prefix="pgtest."))
        shutil.chown(root, _USER, _USER)
        server = cls(bin_dir, root, _free_port())
        try:
            server._run("initdb", "-D", str(server.data), "-U", _USER, "-A", "trust", "-E", "UTF8",
                        "--locale=C.UTF-8", "--no-sync")
            options = (f"-c listen_addresses=127.0.0.1 -p {server.port} -k {root}"
                       " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            server._run("pg_ctl", "-D", str(server.data), "-l", str(root / "server.log"), "-w", "-t", "30",
                        "start", "-o", options)
            server._run("createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", _USER, _DATABASE)
        except BaseException:
            server.stop()
            raise
        return server

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are closed) and remove its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def _run(self, program: str, *args: str) -> None:
        """Run one of the server's programs as the postgres user, in the cluster's folder."""
        command = ["runuser", "-u", _USER, "--", str(self.bin_dir / program), *args]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}\n{tail}")
