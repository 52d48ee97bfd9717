"""Backups: what opening a project costs, and what its backup on open costs, on the sample.

Usage: python benchmarks/backup_bench.py [--runs 5] [--project FILE]
Works on a copy of the project in a temporary folder. Prints, best and median of the runs:
opening the project (``Project(...)``), the backup on open when the project changed since
its newest backup (copy, flush, rename, rotation), the check that finds it unchanged, and
``verify_file`` on the closed project.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "sample-project" / "sample.twb"

from workbench.project import Project  # noqa: E402
from workbench.services.backups import BackupService  # noqa: E402
from workbench.storage.verify import verify_file  # noqa: E402


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _say(what: str, values: list[float]) -> None:
    print(f"{what:<44} best {min(values):7.1f} ms   median {statistics.median(values):7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--project", type=Path, default=SAMPLE)
    args = parser.parse_args()
    if args.project == SAMPLE and not SAMPLE.exists():
        subprocess.run([sys.executable, "-m", "workbench.sample", str(SAMPLE)], check=True)
    opened, changed, unchanged, verified = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / args.project.name
        shutil.copyfile(args.project, path)
        print(f"{args.project}: {path.stat().st_size / 1e6:.2f} MB")
        for _ in range(args.runs):
            start = time.perf_counter()
            project = Project(path, actor="bench")
            opened.append((time.perf_counter() - start) * 1000)
            with project:
                first = project.documents.list()[0].id
                project.documents.update_metadata([first], outlet=f"run {len(changed)}")
            with Project(path, actor="bench") as project:  # changed since its newest backup
                changed.append(_ms(BackupService(project).on_open))
            with Project(path, actor="bench") as project:  # unchanged: no new backup
                unchanged.append(_ms(BackupService(project).on_open))
            verified.append(_ms(lambda: verify_file(path)))
    _say("open the project", opened)
    _say("backup on open (project changed)", changed)
    _say("backup on open (unchanged: skipped)", unchanged)
    _say("verify (closed project)", verified)
    return 0


if __name__ == "__main__":
    sys.exit(main())
