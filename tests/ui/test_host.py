"""Panels and dialogs need only a host (ui/host.py), not the main window: one made of the
core and a worker is enough to run them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from ui.background import BackgroundRunner
from ui.host import ChangeSlot
from ui.merge_proposals import MergeProposals
from workbench.project import Project
from workbench.services.steps import StepResult


class CoreHost:
    """A host with no window: the project, a worker, steps run at once, errors kept."""

    def __init__(self, project: Project, parent: QWidget) -> None:
        self.project = project
        self.background = BackgroundRunner(parent)
        self.errors: list[str] = []
        self.steps: list[str] = []
        self.slots: list[ChangeSlot] = []

    def run_step(self, text: str, step: Callable[[], StepResult | None]) -> StepResult | None:
        result = step()
        self.steps.append(text)
        for slot in self.slots:
            slot(None if result is None else result.changes, "test")
        return result

    def show_error(self, message: str) -> None:
        self.errors.append(message)

    def follow_changes(self, slot: ChangeSlot) -> None:
        self.slots.append(slot)


def test_merge_proposals_run_on_a_host_made_of_the_core(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    for name, text in (("a.txt", "Pavel Zhilyaev left.\n"), ("b.txt", "Pavel Zhylyaev fled.\n")):
        doc = import_text(project, tmp_path, name, text)
        project.review.annotate(doc.id, 0, 14, "person")
    parent = QWidget()
    qtbot.addWidget(parent)
    host = CoreHost(project, parent)
    dialog = MergeProposals(host, parent)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.topLevelItemCount() == 1)
    assert dialog.table.selectedItems() == [dialog.table.topLevelItem(0)]  # chosen on load
    dialog.merge_selected()
    assert host.steps and host.steps[0].startswith("Merge ")
    assert len(project.records.list(type_name="person")) == 1
    assert host.errors == []
    qtbot.waitUntil(lambda: dialog.table.topLevelItemCount() == 0)  # re-read after the change
