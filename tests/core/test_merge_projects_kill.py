"""A merge killed at any statement leaves the project as it was: it is one transaction.

Run as a script (``python tests/core/test_merge_projects_kill.py PROJECT OTHER KILL_AT``), it
merges OTHER into PROJECT and dies by SIGKILL right before its statement number KILL_AT
(0: never), counting every statement of every engine once the project is open; it prints
how many statements the merge ran.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if __name__ != "__main__":  # the test imports what the driver process need not
    from tests.core.test_merge_projects import _diverge, make_base
    from workbench.project import Project


def _state(path: Path) -> str:
    """A digest of every row of every table (the audit log and search index included)."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]  # fmt: skip
        for table in tables:
            found = conn.execute(f'SELECT * FROM "{table}"')
            for row in sorted(repr(row) for row in found):
                digest.update(f"{table}: {row}".encode())
    finally:
        conn.close()
    return digest.hexdigest()


def _run(project: Path, other: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, __file__, str(project), str(other), str(kill_at)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def test_a_merge_killed_anywhere_leaves_the_project_as_it_was(tmp_path: Path) -> None:
    lead = make_base(tmp_path / "lead.twb")
    anna, boris, _chen = _diverge(lead)
    before, theirs = _state(anna), _state(boris)
    trial = tmp_path / "trial.twb"
    shutil.copyfile(anna, trial)
    whole = _run(trial, boris, 0)
    assert whole.returncode == 0, whole.stderr
    total = int(whole.stdout.split()[-1])
    assert _state(trial) != before  # the merge does write when not killed
    points = sorted({1, 2, total // 4, total // 2, 3 * total // 4, total - 1, total})
    for kill_at in points:
        shutil.copyfile(anna, trial)
        for leftover in trial.parent.glob("trial.twb-*"):
            leftover.unlink()
        killed = _run(trial, boris, kill_at)
        assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stderr[-2500:])
        with Project(trial):  # opening recovers the journal as SQLite does
            pass
        assert _state(trial) == before, f"killed before statement {kill_at} of {total}"
    assert _state(boris) == theirs


def _driver(project: str, other: str, kill_at: int) -> None:
    from sqlalchemy import Engine, event  # noqa: PLC0415

    from workbench.project import Project  # noqa: PLC0415
    from workbench.services.merge_projects import merge_project  # noqa: PLC0415

    count = [0]
    armed = [False]

    def tick(*_args: Any) -> None:
        if not armed[0]:
            return
        count[0] += 1
        if count[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "before_cursor_execute", tick)
    with Project(Path(project), actor="lead") as opened:
        armed[0] = True
        merge_project(opened, Path(other))
        armed[0] = False
    print(count[0])


if __name__ == "__main__":
    _driver(sys.argv[1], sys.argv[2], int(sys.argv[3]))
