"""REFI-QDA: what exporting the sample project as ``.qdpx`` costs, and reading it back.

Usage: python benchmarks/qdpx_bench.py [--runs 5] [--project FILE]
Works on a copy of the project in a temporary folder (the sample is built first if it is
missing). Prints, best and median of the runs: the ``.qdpx`` export through the export path
(dataset, writer, partial file renamed), the ``.qdc`` codebook export, and ``import-project``
of the ``.qdpx`` into a new project; and the size of the package.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "sample-project" / "sample.twb"
BUDGET_S = 1.0  # the sample's .qdpx must take at most this

from workbench.project import Project  # noqa: E402


def _say(what: str, values: list[float]) -> None:
    print(f"{what:<40} best {min(values):7.3f} s   median {statistics.median(values):7.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--project", type=Path, default=SAMPLE)
    args = parser.parse_args()
    if args.project == SAMPLE and not SAMPLE.exists():
        subprocess.run([sys.executable, "-m", "workbench.sample", str(SAMPLE)], check=True)
    exports, codebooks, imports = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / args.project.name
        shutil.copy2(args.project, path)
        with Project(path, actor="bench") as project:
            counts = (len(project.documents.list()), len(project.records.list()))
            for run in range(args.runs):
                out = folder / f"run{run}.qdpx"
                start = time.perf_counter()
                project.exports.export("project", "qdpx", out)
                exports.append(time.perf_counter() - start)
                start = time.perf_counter()
                project.exports.export("codebook", "qdc", folder / f"run{run}.qdc")
                codebooks.append(time.perf_counter() - start)
        size = (folder / "run0.qdpx").stat().st_size
        for run in range(args.runs):
            with Project(folder / f"new{run}.twb", actor="bench") as new:
                start = time.perf_counter()
                new.project_import.import_file(folder / f"run{run}.qdpx")
                imports.append(time.perf_counter() - start)
    print(f"{args.project.name}: {counts[0]} documents, {counts[1]} records; "
          f".qdpx {size / 1024:.0f} KB")  # fmt: skip
    _say(".qdpx export", exports)
    _say(".qdc export", codebooks)
    _say(".qdpx import into a new project", imports)
    if statistics.median(exports) > BUDGET_S:
        print(f"over budget: the .qdpx export should take at most {BUDGET_S:g} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
