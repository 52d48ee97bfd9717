"""Render the screenshots in docs/ from the sample project (offscreen).

Usage: python docs/screenshots.py [--project sample-project/sample.twb] (after `make sample`)
Works on a copy of the project, so the sample is never changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QRectF, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument
from PySide6.QtWidgets import QApplication, QWidget

from ui.actions import open_compare
from ui.app import application
from ui.codebook_editor import CodebookEditor
from ui.export_dialog import ExportDialog
from ui.main_window import MainWindow
from ui.palette import apply_palette
from ui.record_editor import RecordEditor
from ui.report_export import report_picture
from ui.restore_dialog import RestoreDialog
from ui.shortcuts_dialog import ShortcutsDialog
from ui.timeline.panel import TimelinePanel
from ui.welcome import Welcome
from workbench.export.model import Selection
from workbench.export.report import render_html
from workbench.project import Project
from workbench.services.backups import BackupService
from workbench.services.memos import MemoTarget
from workbench.timeline.model import parse_day

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, name: str) -> None:
    path = DOCS / name
    widget.grab().save(str(path))
    print(f"wrote {path.relative_to(ROOT)}")


def timeline(app: QApplication, project: Project, lanes: str, name: str) -> None:
    """The sample's timeline over its busiest two years."""
    panel = TimelinePanel(project.timeline.items)
    panel.resize(1400, 640)
    panel.set_lane_mode(lanes)
    panel.show()
    while panel.canvas.loading:
        app.processEvents()
    low, high = parse_day("2022-08-01"), parse_day("2024-11-01")
    assert low is not None and high is not None
    panel.canvas.fit(low.toordinal(), high.toordinal())
    if lanes == "person":
        chosen = [i.record_id for i in panel.shown_items() if "Roman Tikhonov" in i.persons]
        panel.canvas.set_selected(chosen[:1])
    settle(app)
    save(panel, name)
    panel.close()


def welcome(app: QApplication) -> int:
    """The welcome of a first start, over a researcher's folders (none of them read); 0."""
    home = Path("/home/anna")
    recent = [home / "research" / "deserters-2024.twb", home / "research" / "medics.twb"]
    default = home / ".local" / "share" / "TestimonyWorkbench" / "default.twb"
    page = Welcome(lambda *_: None, default, recent, "Anna K.")
    page.show()
    settle(app)
    save(page, "screenshot-welcome.png")
    page.close()
    return 0


def window_shots(app: QApplication, project: Project) -> None:
    """The window, the record editor, the review queue, shortcuts, restore, dark palette,
    then the document work: codebook, memos, export and the report."""
    window = MainWindow(project, remember_layout=False)
    window.show()
    while window.timeline.loading:  # read on a worker thread
        app.processEvents()
    settle(app)
    save(window, "screenshot-main.png")

    shown = project.records.list(document_id=window.document_id, type_name="event")
    event = next(r for r in shown if r.label.startswith("Roman"))
    window.records_panel.select_record(event.id)
    window.reveal_record(event.id)
    settle(app)
    save(window, "screenshot-review.png")

    types = [c for c in window.codes.values() if c.is_record_type]
    editor = RecordEditor(project.records.get(event.id), types, project.review, window)
    editor.show()
    settle(app)
    save(editor, "screenshot-record-editor.png")
    editor.close()

    queue = window.open_review_queue()
    settle(app)
    save(queue, "screenshot-review-queue.png")
    queue.close()

    shortcuts = ShortcutsDialog(window)
    shortcuts.resize(560, 640)
    shortcuts.show()
    settle(app)
    save(shortcuts, "screenshot-shortcuts.png")
    shortcuts.close()

    service = BackupService(project)
    for _ in range(2):
        service.back_up()
    restore = RestoreDialog(service.list(), project.path, window)
    restore.show()
    settle(app)
    save(restore, "screenshot-restore.png")
    restore.close()

    apply_palette(True)
    interview = next(d for d in project.documents.list() if "fifteen" in d.title)
    window.document_list.select_document(interview.id)
    settle(app)
    save(window, "screenshot-dark.png")
    apply_palette(False)
    document_work(app, project, window)
    presentation(app, project, window)
    window.close()


def presentation(app: QApplication, project: Project, window: MainWindow) -> None:
    """Presentation mode over the first report, its deserter and the place he fled to
    protected (both protections undone afterwards)."""
    first = project.documents.list()[0]
    window.document_list.select_document(first.id)
    named = {r.label: r.id for r in project.records.list(document_id=first.id)}
    protected = [named["Roman Tikhonov"], named["Kazakhstan"]]
    window.run_step("Protect", lambda: project.records.protect(protected))
    window.actions_["presentation"].trigger()
    window.records_panel.select_record(protected[0])
    while window.timeline.loading:
        app.processEvents()
    settle(app)
    save(window, "screenshot-presentation.png")
    window.actions_["presentation"].trigger()
    window.undo_stack.undo()


def document_work(app: QApplication, project: Project, window: MainWindow) -> None:
    """The codebook editor, the memo pane, the Export dialog and a page of the report."""
    window.actions_["codebook"].trigger()
    codebook = window.findChild(CodebookEditor)
    assert codebook is not None
    found = codebook.tree.findItems("Abuse / punishment", Qt.MatchFlag.MatchRecursive)
    codebook.tree.setCurrentItem(found[0])
    settle(app)
    save(codebook, "screenshot-codebook.png")
    codebook.close()

    project.memos.write(MemoTarget.project(), "Every casualty figure needs a second source "
                        "before it goes into the report.")  # fmt: skip
    document = window.document_id
    assert document is not None
    project.memos.write(MemoTarget.document(document), "Ask the outlet whether the surgeon "
                        "agreed to be named; her colleague did not.")  # fmt: skip
    window.apply_changes()
    window.open_memo("document")
    window.memo_pane.find_field.setText("second source")
    settle(app)
    save(window, "screenshot-memos.png")

    window.actions_["export"].trigger()
    export = window.findChild(ExportDialog)
    assert export is not None
    export.what.setCurrentIndex(export.what.findData("timeline"))
    settle(app)
    save(export, "screenshot-export.png")
    export.close()

    data = project.exports.dataset(Selection(statuses=frozenset({"accepted", "suggested"})))
    page = QTextDocument()
    picture = report_picture(data)
    if picture is not None:
        page.addResource(QTextDocument.ResourceType.ImageResource, QUrl("timeline.png"),
                         QImage.fromData(picture))  # fmt: skip
    page.setHtml(render_html(data, "timeline.png" if picture is not None else None))
    page.setTextWidth(760)
    image = QImage(800, 1000, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.translate(20, 10)
    page.drawContents(painter, QRectF(0, 0, 760, 990))
    painter.end()
    image.save(str(DOCS / "screenshot-report.png"))


def annotator_shots(app: QApplication, path: Path) -> None:
    """Two annotators over the first document: their layers, and the compare view."""
    with Project(path, actor="Sample annotator", create=False) as project:
        text = project.documents.text(1)
        marks = [(a.start, a.end, a.code) for a in project.annotations.for_document(1)
                 if a.end - a.start < 60][:8]  # fmt: skip
    for actor, edit in (("Anna", _anna), ("Boris", _boris)):
        with Project(path, actor=actor, create=False) as project:
            for i, mark in enumerate(marks):
                changed = edit(i, mark)
                if changed is not None and changed[0] < changed[1] <= len(text):
                    project.review.annotate(1, *changed)
    with Project(path, actor="Lead", create=False) as project:
        window = MainWindow(project, remember_layout=False)
        window.resize(1400, 860)
        window.show()
        window.document_list.select_document(1)
        window.layers_bar.set_shown(["Anna", "Boris"])
        settle(app)
        save(window, "screenshot-layers.png")
        view = open_compare(window)
        for name, tick in view._ticks.items():
            tick.setChecked(name in ("Anna", "Boris"))
        view.resize(1100, 520)
        view.decide(["Boris"])
        settle(app)
        save(view, "screenshot-compare.png")
        view.close()
        window.close()


def _anna(_i: int, mark: tuple[int, int, str]) -> tuple[int, int, str]:
    """Anna's passage ``i``: the sample's own."""
    return mark


def _boris(i: int, mark: tuple[int, int, str]) -> tuple[int, int, str] | None:
    """Boris's version of Anna's passage ``i``: the same, shorter, another code, or none."""
    start, end, code = mark
    if i % 4 == 1:
        return (start + 1, end, code)
    if i % 4 == 2:
        return (start, end, "place" if code != "place" else "person")
    return None if i % 4 == 3 else mark


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", type=Path, default=ROOT / "sample-project" / "sample.twb")
    args = parser.parse_args()
    QStandardPaths.setTestModeEnabled(True)  # the palette switch must not touch real settings
    app = application()
    apply_palette(False)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "sample.twb"
        shutil.copy(args.project, copy)
        with Project(copy, actor="Sample annotator", create=False) as project:
            window_shots(app, project)
            timeline(app, project, "person", "screenshot-timeline-person.png")
            timeline(app, project, "event_type", "screenshot-timeline-event-type.png")
        annotator_shots(app, copy)
    return welcome(app)


if __name__ == "__main__":
    sys.exit(main())
