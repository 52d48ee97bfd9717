"""What the benchmarks share: memory readings, of this process or of a tree of processes."""

from __future__ import annotations

import itertools
import os
import resource
import threading
import time
from pathlib import Path


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident set size of this process now, in MB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _status(pid: int) -> dict[str, str]:
    """The fields of /proc/PID/status (empty once the process has gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return {}
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)


def _children(pids: set[int]) -> set[int]:
    """Processes whose parent is one of ``pids`` (Linux, by /proc/*/stat)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) in pids:
                found.add(int(entry.name))
    return found


class TreeMemory(threading.Thread):
    """Samples the resident memory of a process and its descendants until stopped: each
    one's peak (VmHWM) and the peak of their sum (VmRSS sampled together)."""

    def __init__(self, root: int, every: float = 0.1, rescan: int = 10) -> None:
        super().__init__(daemon=True)
        self.root, self.every, self.rescan = root, every, rescan
        self.peaks: dict[int, tuple[str, float]] = {}  # pid -> (what it runs, peak MB)
        self.total_peak = 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        pids = {self.root}
        for turn in itertools.count():
            if turn % self.rescan == 0:  # looking for new processes costs most: less often
                pids = {self.root}
                pids |= _children(pids)
                pids |= _children(pids)
            total = 0.0
            for pid in pids:
                status = _status(pid)
                if "VmHWM" not in status:
                    continue
                hwm = int(status["VmHWM"].split()[0]) / 1024
                total += int(status["VmRSS"].split()[0]) / 1024
                name = self.peaks[pid][0] if pid in self.peaks else _role(pid)
                self.peaks[pid] = (name, max(hwm, self.peaks.get(pid, (name, 0.0))[1]))
            self.total_peak = max(self.total_peak, total)
            if self._stop_event.wait(self.every):
                return

    def stop(self) -> None:
        """Stop sampling (after one more sample)."""
        time.sleep(self.every * 1.5)
        self._stop_event.set()
        self.join()

    def describe(self) -> str:
        """Per-process peaks and the peak of the total, in MB."""
        parts = [f"{name} {mb:.0f}" for name, mb in sorted(self.peaks.values())]
        return f"{', '.join(parts)}; total at once {self.total_peak:.0f} MB"


def _role(pid: int) -> str:
    try:
        worker = b"workbench.worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        worker = False
    return "worker" if worker else "owner"
