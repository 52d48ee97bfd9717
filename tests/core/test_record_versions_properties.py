"""Property: whatever two annotators do to a few records (steps, undos and redos, in any
order, some refused because the other wrote first), a record's version only grows, across its
removal and return too, and one version of a record always names one state of it: a version
an editor read is never matched by a record that has changed since. A refused action changes
nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import import_text, review_rows
from tests.core.properties import budget
from workbench.domain import RecordInfo
from workbench.errors import NotFoundError, StepConflictError
from workbench.project import Project
from workbench.services.steps import StepResult

TEXT = "Свідчення 🙂: Olena Marchenko met Petro Ivanenko and Ivan Franko in Kherson.\n"
NAMES = ("Olena Marchenko", "Petro Ivanenko", "Ivan Franko")
ACTIONS = ("read", "edit", "attach", "delete", "merge", "undo", "redo")


@dataclass
class Annotator:
    """One annotator's undo stack (steps done up to ``done``) and the versions they read."""

    stack: list[StepResult] = field(default_factory=list)
    done: int = 0
    read: dict[int, int] = field(default_factory=dict)

    def push(self, step: StepResult) -> None:
        del self.stack[self.done :]  # a new step drops what could be redone
        self.stack.append(step)
        self.done += 1


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, int]]:
    """One project file and document for every example (each makes records of its own)."""
    folder = tmp_path_factory.mktemp("versions")
    with Project(folder / "p.twb", actor="anna") as project:
        yield project, import_text(project, folder, "t.txt", TEXT).id


def _state(info: RecordInfo) -> RecordInfo:
    return replace(info, version=0)


def _act(project: Project, who: Annotator, action: str, one: int, other: int, n: int) -> None:
    """Do ``action`` as ``who`` would in the window: a step given the versions read."""
    review, doc = project.review, project.documents.list()[0].id
    seen = {i: who.read[i] for i in (one, other) if i in who.read}
    if action == "read":
        who.read = {r.id: r.version for r in project.records.list()}
    elif action == "edit":
        who.push(review.edit(one, note=f"note {n}", seen=seen.get(one)))
    elif action == "attach":
        who.push(review.attach(doc, TEXT.index("Kherson"), TEXT.index("Kherson") + 7, one))
    elif action == "delete":
        who.push(review.delete([one], seen={one: seen[one]} if one in seen else None))
    elif action == "merge" and one != other:
        who.push(review.merge(one, [other], seen=seen or None))
    elif action == "undo" and who.done:
        step = who.stack[who.done - 1]
        project.steps.restore(step.before, step.after)
        who.done -= 1
    elif action == "redo" and who.done < len(who.stack):
        step = who.stack[who.done]
        project.steps.restore(step.after, step.before)
        who.done += 1


@budget(30)
@given(
    st.lists(
        st.tuples(
            st.sampled_from((0, 1)),
            st.sampled_from(ACTIONS),
            st.integers(0, len(NAMES) - 1),
            st.integers(0, len(NAMES) - 1),
        ),
        max_size=16,
    )
)
def test_versions_only_grow_and_one_version_names_one_state(
    shared: tuple[Project, int], actions: list[tuple[int, str, int, int]]
) -> None:
    project, doc = shared
    annotators = (Annotator(), Annotator())
    records: list[int] = []
    for n, name in enumerate(NAMES):  # made as steps, so undo removes them and redo brings
        start = TEXT.index(name)  # them back
        step = project.review.annotate(doc, start, start + len(name), "person")
        annotators[n % 2].push(step)
        records += step.record_ids
    highest: dict[int, int] = {}
    states: dict[tuple[int, int], RecordInfo] = {}
    for n, (who, action, one, other) in enumerate(actions):
        before = review_rows(project, versions=True)
        try:
            _act(project, annotators[who], action, records[one], records[other], n)
        except (StepConflictError, NotFoundError):
            assert review_rows(project, versions=True) == before  # refused: nothing changed
        present = {r.id: r for r in project.records.list() if r.id in records}
        for record_id, info in present.items():
            assert info.version >= highest.get(record_id, 0)
            highest[record_id] = info.version
            assert states.setdefault((record_id, info.version), _state(info)) == _state(info)
