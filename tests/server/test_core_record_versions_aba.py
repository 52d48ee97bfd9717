"""The core tests of record versions that only grow, on a project on the server, and the
same sequence with both annotators connected at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import import_text
from tests.core.test_record_versions_aba import *  # noqa: F403
from tests.core.test_record_versions_aba import TEXT, Team, refused, span
from workbench.project import Project

# A server's sequence never gives an id twice: that undo has nothing to refuse here (below).
del test_an_undo_never_writes_over_a_record_that_took_the_id_of_one_it_brings_back  # noqa: F821


@pytest.fixture
def address(server_url: str) -> str:
    """The annotators' project is a database on the server."""
    return server_url


def test_a_deleted_record_brought_back_by_an_undo_leaves_a_record_made_since(
    team: Team, olena: int
) -> None:
    with team("anna") as anna:
        step = anna.review.delete([olena], seen={olena: 1})
    with team("boris") as boris:
        doc = boris.documents.list()[0].id
        (petro,) = boris.review.annotate(doc, *span("Petro Ivanenko"), "person").record_ids
        assert petro != olena
    with team("anna") as anna:
        anna.steps.restore(step.before, step.after)
        assert sorted(r.label for r in anna.records.list()) == ["Olena Marchenko", "Petro Ivanenko"]
        assert anna.records.get(olena).version == 2


def test_a_view_kept_open_across_anothers_edit_undo_and_edit_is_refused(
    server_url: str, tmp_path: Path
) -> None:
    """Anna's window stays open on what she read while boris edits, undoes and edits again
    in his."""
    with Project(server_url, actor="anna") as anna, Project(server_url, actor="boris") as boris:
        doc = import_text(anna, tmp_path, "t.txt", TEXT)
        (olena,) = anna.review.annotate(doc.id, *span("Olena Marchenko"), "person").record_ids
        first = boris.review.edit(olena, note="boris's first", seen=1)
        read = anna.records.get(olena)
        boris.steps.restore(first.before, first.after)
        boris.review.set_status([olena], "accepted", seen={olena: boris.records.get(olena).version})
        error = refused(
            anna, lambda: anna.review.edit(olena, note="anna's, on boris's", seen=read.version)
        )
        assert str(error).startswith("another annotator changed “Olena Marchenko” since")
        # boris's own undo, redo and undo pass: nobody wrote between them
        second = boris.review.edit(olena, label="Olena M.", seen=4)
        boris.steps.restore(second.before, second.after)
        boris.steps.restore(second.after, second.before)
        boris.steps.restore(second.before, second.after)
        assert (anna.records.get(olena).label, anna.records.get(olena).version) == (
            "Olena Marchenko",
            8,
        )
