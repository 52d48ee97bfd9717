"""Start-up: from launching the application to a painted main window on the sample project.

Usage: python benchmarks/startup_bench.py [--runs 3]
Each run is a fresh process (`main.py --project ... --screenshot`), timed from launch to
the moment the window has been painted (reported by the process), so interpreter start,
imports, opening the project and building and painting the window count; writing the PNG
and exiting do not (they are also printed). Prints the best and median of the runs.

A user's Python keeps compiled modules in __pycache__ after the first launch, so one untimed
launch comes first, and the runs may write that cache even where PYTHONDONTWRITEBYTECODE is
set (as in some development shells, where every launch would compile every module of the
project again, ~0.15 s more).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-project" / "sample.twb"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not SAMPLE.exists():
        subprocess.run(
            [sys.executable, "-m", "workbench.sample", str(SAMPLE)], check=True, cwd=ROOT
        )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_PAINT_TIME": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times, totals = [], []
    phases: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(-1, args.runs):  # -1: the untimed first launch
            shot = Path(tmp) / f"shot{run}.png"
            launched = time.time()
            start = time.perf_counter()
            result = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "main.py"),
                    "--project",
                    str(SAMPLE),
                    "--screenshot",
                    str(shot),
                ],
                check=True,
                env=env,
                capture_output=True,
            )
            if run < 0:
                continue
            totals.append(time.perf_counter() - start)
            lines = result.stdout.decode().splitlines()
            marks = {name: float(stamp) for name, stamp in (line.split() for line in lines)}
            times.append(marks["painted"] - launched)
            previous = launched
            for name, stamp in marks.items():  # in the order the phases ended
                label = "interpreter and imports" if name == "application" else name
                phases.setdefault(label.replace("_", " "), []).append(stamp - previous)
                previous = stamp
            assert shot.stat().st_size > 0
    best, median = min(times), statistics.median(times)
    print(
        f"start to painted window  best {best:.2f} s, median {median:.2f} s over {len(times)} runs"
    )
    print(f"whole process (+ PNG, exit) median {statistics.median(totals):.2f} s")
    medians = {name: statistics.median(spans) for name, spans in phases.items()}
    for name, span in medians.items():
        print(f"  {name:<24} median {span:.2f} s")
    print(f"dominated by             {max(medians, key=lambda n: medians[n])}")
    print("target                   <= 0.8 s median to the painted window")
    return 0


if __name__ == "__main__":
    sys.exit(main())
