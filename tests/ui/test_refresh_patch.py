"""A step's refresh patches the window in place, and shows exactly what a full reload shows.

One window (``patched``) refreshes as after every step: by the records and passages the step
names. A second window over the same project file (``reloaded``) reads everything again
after each step. After every step, undo and redo of a random-ish sequence (accept, reject,
annotate, edit a label or a type, attach, split, merge, delete) their highlights, records
panel rows and document counts must be the same, under filters, hidden annotators, "My work
only", a sort and presentation mode; a window opened afresh at the end agrees too.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import import_text
from tests.ui.conftest import shown_window
from ui.main_window import MainWindow
from ui.models.record_rows import LABEL
from ui.presentation import present_in_session
from ui.team_watch import changes_of
from workbench.changes import ChangeSet
from workbench.errors import WorkbenchError
from workbench.project import Project

# emoji (two UTF-16 units each) and Cyrillic before and between the names
TEXT = (
    "🙂 Олена Коваль saw 🙂🙂 Іван Петренко leave Херсон on May 4, 2024; then "
    "🙂 Олена left Херсон in June 2024 with Марія and 🙂 Іван. Later Петренко met "
    "Коваль in Миколаїв, and 🙂🙂 Марія Іванова came back to Херсон.\n"
)
OTHER = "🙂 A second report: Олена Коваль and Іван Петренко were in Миколаїв.\n"
NAMES = ["Олена Коваль", "Іван Петренко", "Херсон", "Олена", "Марія", "Іван", "Петренко",
         "Коваль", "Миколаїв", "Марія Іванова", "June 2024", "May 4, 2024"]  # fmt: skip
TYPES = ["person", "place", "event"]
CODES = [*TYPES, "abuse"]  # a code: its passages support no record


def spans(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every [start, end) of ``phrase`` in ``text`` (code points)."""
    found, at = [], text.find(phrase)
    while at >= 0:
        found.append((at, at + len(phrase)))
        at = text.find(phrase, at + 1)
    return found


def team_file(tmp_path: Path) -> Path:
    """Two documents annotated by three annotators; some records suggested, one with
    evidence in both documents, one protected."""
    path = tmp_path / "refresh.twb"
    with Project(path, create=True, actor="lead") as project:
        import_text(project, tmp_path, "kherson.txt", TEXT)
        import_text(project, tmp_path, "mykolaiv.txt", OTHER)
    rng = random.Random(5)
    for actor in ("Anna", "Boris", "Vera"):
        with Project(path, actor=actor) as project:
            made = []
            for phrase in rng.sample(NAMES, 6):
                start, end = rng.choice(spans(TEXT, phrase))
                made += project.review.annotate(1, start, end, rng.choice(TYPES)).record_ids
            project.review.set_status(made[::2], "suggested")
            project.review.attach(2, *spans(OTHER, "Миколаїв")[0], made[1])
            project.review.annotate(2, *spans(OTHER, "Іван Петренко")[0], "person")  # there only
    with Project(path, actor="lead") as project:
        project.records.protect([project.records.list(document_id=1)[0].id])
    return path


def panel_rows(win: MainWindow) -> list[tuple[Any, ...]]:
    """The records panel as drawn: each type row, then its exposed rows' texts in order,
    and every matching record (exposed or not) with what it shows."""
    model = win.records_panel.model
    rows: list[tuple[Any, ...]] = []
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        rows.append(("type", group.data()))
        for child in range(model.rowCount(group)):
            index = model.index(child, 0, group)
            cells = [model.index(child, c, group).data() for c in range(model.columnCount())]
            rows.append((index.data(model.RecordIdRole), *cells))
    rows += [("record", model.record_of(i)) for i in model.matching_ids()]
    return rows


def list_rows(win: MainWindow) -> list[tuple[Any, ...]]:
    """The document list's cells, in its order."""
    proxy = win.document_list.proxy
    return [
        tuple(proxy.index(row, column).data() for column in range(proxy.columnCount()))
        for row in range(proxy.rowCount())
    ]


def seen(win: MainWindow) -> dict[str, Any]:
    view = win.document_view
    return {
        "highlights": view.highlights(),
        "layers": view.layers(),
        "panel": panel_rows(win),
        "selected": win.records_panel.selected_record_ids(),
        "documents": list_rows(win),
        "text": view.toPlainText(),
    }


def same_filters(source: MainWindow, target: MainWindow) -> None:
    """Give ``target``'s records panel the filters of ``source``'s."""
    mine, theirs = source.records_panel, target.records_panel
    theirs.filter.setText(mine.filter.text())
    theirs.status_filter.setCurrentIndex(mine.status_filter.currentIndex())
    theirs.type_filter.setCurrentIndex(mine.type_filter.currentIndex())


class Steps:
    """Random-ish review steps through the patched window, each valid where it is done."""

    def __init__(self, win: MainWindow, rng: random.Random) -> None:
        self.win, self.rng = win, rng
        self.project = win.project

    def records(self) -> list[int]:
        return [r.id for r in self.project.records.list(document_id=1)]

    def pick(self) -> int:
        return self.rng.choice(self.records())

    def accept(self) -> None:
        self.win.set_record_status([self.pick()], "accepted")

    def reject(self) -> None:
        self.win.set_record_status([self.pick()], "rejected")

    def reopen(self) -> None:
        self.win.set_record_status(self.rng.sample(self.records(), 2), "suggested")

    def annotate(self) -> None:
        start, end = self.rng.choice(spans(TEXT, self.rng.choice(NAMES)))
        self.win.document_view.reveal(start, end, flash=False)
        self.win.annotate(self.rng.choice(CODES), snap=False)

    def label(self) -> None:
        record = self.pick()
        label = f"{self.rng.choice(NAMES)} 🙂{self.rng.randint(0, 99)}"
        self.win.run_step("Edit record", lambda: self.project.review.edit(record, label=label))

    def retype(self) -> None:
        record, kind = self.pick(), self.rng.choice(TYPES)
        self.win.run_step("Edit record", lambda: self.project.review.edit(record, type_name=kind))

    def attach(self) -> None:
        record, (document, text) = self.pick(), self.rng.choice([(1, TEXT), (2, OTHER)])
        start, end = self.rng.choice(spans(text, "Олена Коваль"))
        review = self.project.review
        self.win.run_step("Attach passage", lambda: review.attach(document, start, end, record))

    def split(self) -> None:
        several = [r.id for r in self.project.records.list(document_id=1) if r.evidence_count > 1]
        if several:
            record = self.rng.choice(several)
            first = self.project.annotations.for_record(record)[0].id
            self.win.run_step("Split record", lambda: self.project.review.split(record, [first]))

    def merge(self) -> None:
        by_type: dict[str, list[int]] = {}
        for r in self.project.records.list(document_id=1):
            by_type.setdefault(r.type, []).append(r.id)
        pairs = [ids for ids in by_type.values() if len(ids) > 1]
        if pairs:
            target, source = self.rng.sample(self.rng.choice(pairs), 2)
            self.win.run_step("Merge", lambda: self.project.review.merge(target, [source]))

    def delete(self) -> None:
        if len(self.records()) > 4:
            record = self.pick()
            self.win.run_step("Delete", lambda: self.project.review.delete([record]))

    def undo(self) -> None:
        self.win.undo_stack.undo()

    def redo(self) -> None:
        self.win.undo_stack.redo()

    def theirs(self) -> None:
        """A change made outside the window, told as a team project tells another's: by
        the ids its audit entries name (``changes_of``), which leave out the passages a
        deletion took and the statuses an acceptance gave them."""
        review, last = self.project.review, self.project.audit.list(limit=1)[0].id
        record, other = self.rng.sample(self.records(), 2)
        elsewhere = [
            r.id for r in self.project.records.list(document_id=2) if r.id not in self.records()
        ]
        start, end = self.rng.choice(spans(TEXT, self.rng.choice(NAMES)))
        done = self.rng.choice(
            [
                lambda: review.set_status([record], self.rng.choice(["accepted", "rejected"])),
                lambda: review.edit(record, label=f"{self.rng.choice(NAMES)} 🙂"),
                lambda: review.annotate(1, start, end, self.rng.choice(CODES)),
                lambda: review.delete([record]),
                lambda: review.delete(elsewhere[:1] or [record]),  # a record not shown here
                lambda: review.attach(1, start, end, record),
                lambda: review.merge(record, [other]),
            ]
        )
        try:
            done()
        except WorkbenchError:  # two records of different types are not merged
            return
        entries = [e for e in reversed(self.project.audit.list(limit=50)) if e.id > last]
        self.win.apply_changes(changes_of(entries), "team")

    def protect(self) -> None:
        record = self.project.records.get(self.pick())
        self.win.protect_records([record.id], protected=not record.protected)

    def select(self) -> None:
        self.win.records_panel.select_record(self.pick())

    def random(self) -> str:
        kinds: list[Callable[[], None]] = [
            self.accept, self.reject, self.reopen, self.annotate, self.label, self.retype,
            self.attach, self.split, self.merge, self.delete, self.undo, self.undo, self.redo,
            self.select, self.protect, self.theirs, self.theirs,
        ]  # fmt: skip
        step = self.rng.choice(kinds)
        step()
        return step.__name__


Setting = Callable[[MainWindow], None]


def nothing(_win: MainWindow) -> None:
    pass


def suggested_by_label(win: MainWindow) -> None:
    panel = win.records_panel
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("suggested"))
    panel.tree.sortByColumn(LABEL, Qt.SortOrder.DescendingOrder)


def persons_filtered(win: MainWindow) -> None:
    panel = win.records_panel
    panel.filter.setText("о")
    panel.type_filter.setCurrentIndex(max(0, panel.type_filter.findData("person")))


def vera_hidden(win: MainWindow) -> None:
    win.layers_bar.set_shown(["Anna", "Boris", "lead", "tester"])


def my_work_only(win: MainWindow) -> None:
    win.layers_bar.mine.setChecked(True)


def presenting(win: MainWindow) -> None:
    if not win.actions_["presentation"].isChecked():
        win.actions_["presentation"].trigger()
    vera_hidden(win)


@pytest.fixture(autouse=True)
def _presentation_off() -> Iterator[None]:
    present_in_session(False)
    yield
    present_in_session(False)


@pytest.mark.parametrize(
    "setting",
    [nothing, suggested_by_label, persons_filtered, vera_hidden, my_work_only, presenting],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_every_step_shows_what_a_full_reload_shows(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: Setting, seed: int
) -> None:
    path = team_file(tmp_path)
    with (
        Project(path, actor="Anna") as project,
        ExitStack() as windows,
    ):
        patched = windows.enter_context(shown_window(qtbot, project))
        reloaded = windows.enter_context(shown_window(qtbot, project))
        for win in (patched, reloaded):
            setting(win)
        steps, patches = Steps(patched, random.Random(f"{seed} {setting.__name__}")), []
        read = patched.shown.patch

        def counted(changes: ChangeSet, codes: Any) -> Any:
            found = read(changes, codes)
            patches.append(found is not None)
            return found

        monkeypatch.setattr(patched.shown, "patch", counted)
        for number in range(40):
            done = steps.random()
            reloaded.apply_changes(None)  # read everything again
            same_filters(patched, reloaded)  # selecting a record may have cleared them
            mine, theirs = seen(patched), seen(reloaded)
            del mine["selected"], theirs["selected"]  # the steps select in one window only
            assert mine == theirs, f"step {number}: {done}"
        assert sum(patches) >= 20  # the steps were patched in place, not read again whole
        fresh = windows.enter_context(shown_window(qtbot, project))
        setting(fresh)
        same_filters(patched, fresh)
        assert fresh.document_view.highlights() == patched.document_view.highlights()
        assert sorted(map(str, panel_rows(fresh))) == sorted(map(str, panel_rows(patched)))
        assert list_rows(fresh) == list_rows(patched)


def test_selection_and_scroll_stay_on_a_patched_row(qtbot: QtBot, tmp_path: Path) -> None:
    """Accepting the selected record keeps it selected and the document where it was."""
    path = team_file(tmp_path)
    with Project(path, actor="Anna") as project, shown_window(qtbot, project) as win:
        panel = win.records_panel
        record = project.records.list(document_id=1)[3].id
        assert panel.select_record(record)
        persistent = panel.tree.currentIndex()
        win.document_view.verticalScrollBar().setValue(1)
        scrolled = win.document_view.verticalScrollBar().value()
        win.set_record_status([record], "rejected")
        assert panel.selected_record_ids() == [record]
        assert panel.tree.currentIndex() == persistent
        assert win.document_view.verticalScrollBar().value() == scrolled
        assert project.records.get(record).status == "rejected"
        drawn = {h.annotation_id for h in win.document_view.highlights()}
        passages = {a.id for a in project.annotations.for_record(record) if a.document_id == 1}
        assert not drawn & passages  # rejected passages are not drawn


def test_too_many_ids_read_the_document_again(qtbot: QtBot, tmp_path: Path) -> None:
    """A change naming more rows than a patch is worth takes the full read."""
    path = team_file(tmp_path)
    with Project(path, actor="Anna") as project, shown_window(qtbot, project) as win:
        many = ChangeSet().change("record", *range(1, 5000))
        assert win.shown.patch(many, win.codes) is None
        assert win.shown.patch(ChangeSet().change("record", 1), win.codes) is not None


def test_a_passage_named_gone_takes_its_records_along(qtbot: QtBot, tmp_path: Path) -> None:
    """A change naming only the passages that went (not the record a deletion took with
    them) still takes that record out of the panel."""
    path = team_file(tmp_path)
    with Project(path, actor="Anna") as project, shown_window(qtbot, project) as win:
        record = next(r for r in project.records.list(document_id=1) if r.document_ids == (1,))
        passages = [a.id for a in project.annotations.for_record(record.id)]
        project.review.delete([record.id])
        win.apply_changes(ChangeSet().remove("annotation", *passages), "elsewhere")
        assert not win.records_panel.model.has_record(record.id)
        drawn = {h.annotation_id for h in win.document_view.highlights()}
        assert not drawn & set(passages)


def test_a_split_shows_its_new_record_while_an_annotator_is_hidden(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """With an annotator hidden, the record a split makes of a shown annotator's passage is
    listed (the split names records only, no passage)."""
    path = team_file(tmp_path)
    with Project(path, actor="Anna") as project, shown_window(qtbot, project) as win:
        win.layers_bar.set_shown(["Anna", "Boris"])
        (record,) = project.review.annotate(1, *spans(TEXT, "Коваль")[0], "person").record_ids
        project.review.attach(1, *spans(TEXT, "Коваль")[1], record)
        win.apply_changes(None)
        first = project.annotations.for_record(record)[0].id
        result = win.run_step("Split record", lambda: project.review.split(record, [first]))
        assert result is not None
        (made,) = set(result.changes.added["record"])
        assert made in win.records_panel.model.matching_ids()


def test_a_name_attached_to_a_protected_record_elsewhere_is_hidden_at_once(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Presenting, a passage another annotator attaches to a protected record (told by the
    passage's id alone) has its name masked in the text and in the labels."""
    path = team_file(tmp_path)
    with Project(path, actor="Anna") as project, shown_window(qtbot, project) as win:
        win.actions_["presentation"].trigger()
        protected = next(r for r in project.records.list() if r.protected)
        assert "Миколаїв" in win.document_view.toPlainText()
        last = project.audit.list(limit=1)[0].id
        project.review.attach(1, *spans(TEXT, "Миколаїв")[0], protected.id)
        entries = [e for e in reversed(project.audit.list(limit=50)) if e.id > last]
        changes = changes_of(entries)
        assert changes is not None
        assert not changes.touches("record")
        win.apply_changes(changes, "team")
        assert "Миколаїв" not in win.document_view.toPlainText()
        labels = [r.label for i in win.records_panel.model.matching_ids()
                  if (r := win.records_panel.model.record_of(i))]  # fmt: skip
        assert not any("Миколаїв" in label for label in labels)
