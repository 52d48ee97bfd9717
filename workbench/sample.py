"""Building the bundled sample project from resources/sample (used by ``make run``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from workbench.paths import SAMPLE_DIR
from workbench.project import Project
from workbench.services.documents import ImportOptions, ImportReport


def build_sample_project(
    path: Path, sample_dir: Path = SAMPLE_DIR, *, extract: bool = False
) -> ImportReport:
    """Import every document of the sample manifest into ``path``; optionally run extraction."""
    manifest = json.loads((sample_dir / "manifest.json").read_text(encoding="utf-8"))
    report = ImportReport()
    with Project(path, actor="sample") as project:
        for entry in manifest:
            options = ImportOptions(
                published=entry.get("published"),
                title=entry.get("title"),
                source=entry.get("source"),
                language=entry.get("language"),
            )
            single = project.documents.import_paths([sample_dir / entry["file"]], options)
            report.imported += single.imported
            report.refused += single.refused
            report.notes += single.notes
        if extract:
            project.extraction.run()
    return report


def main(argv: list[str] | None = None) -> int:
    """``python -m workbench.sample PROJECT``: build the sample project if it is not there."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m workbench.sample PROJECT_FILE", file=sys.stderr)  # noqa: T201
        return 2
    report = build_sample_project(Path(args[0]), extract=True)
    for refusal in report.refused:
        print(f"{refusal.path.name}: refused: {refusal.message}", file=sys.stderr)  # noqa: T201
    print(f"sample project {args[0]}: {len(report.imported)} document(s)", file=sys.stderr)  # noqa: T201
    return 1 if report.refused else 0


if __name__ == "__main__":
    sys.exit(main())
