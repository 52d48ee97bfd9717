"""Records panel: filtering 100,000 records.

Usage: python benchmarks/records_filter_bench.py [--records 100000] (runs offscreen)
Prints the time to load the records and the time each filter takes to apply and repaint.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from ui.records_panel import RecordsPanel
from workbench.domain import RecordInfo

TYPES = ["person", "place", "organization", "event", "figure"]
WORDS = ["Kharkiv", "Alfyorov", "Storm-Z", "deserted", "wounded", "Astana", "Olena", "brigade"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    rng = random.Random(5)
    now = datetime(2024, 5, 1)
    records = [
        RecordInfo(
            id=i,
            type=TYPES[i % 5],
            label=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}",
            status=rng.choice(["suggested", "accepted", "rejected"]),
            origin="extracted",
            confidence=rng.random(),
            note="",
            date_text=None,
            date_edtf=None,
            date_earliest=None,
            date_latest=None,
            created_by="bench",
            created_at=now,
            evidence_count=rng.randint(1, 5),
            document_ids=(1,),
        )
        for i in range(args.records)
    ]
    panel = RecordsPanel()
    panel.resize(500, 900)
    panel.show()
    start = time.perf_counter()
    panel.set_records(records, 1)
    app.processEvents()
    load = time.perf_counter() - start
    print(f"records           {len(records):,}; load and first layout {load * 1000:.0f} ms")
    for query in ("abc", "kharkiv 12", "olena", "777"):
        start = time.perf_counter()
        panel.filter.setText(query)
        app.processEvents()
        print(
            f"filter {query!r:<12} {(time.perf_counter() - start) * 1000:6.1f} ms (target <= 100)"
        )
        panel.filter.setText("")
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
