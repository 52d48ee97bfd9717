"""Properties of import: whatever bytes a file holds, it becomes a document or one clear line.

Every example goes the whole way a file goes (``DocumentService.import_file``: reading,
the importer its suffix picks, title, date and language detection, the insert) into a real
project. Valid small files of each format are damaged the way real bugs are found: bytes
flipped, cut or inserted in the raw file, inside a DOCX's XML parts (re-zipped, so the zip
itself stays readable), in a web page of any declared charset, in UTF-16 text.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.core.properties import budget
from tests.core.property_files import FILES, identity_pdf
from workbench.domain import DocumentInfo
from workbench.importers import ImportRefused
from workbench.importers.isolated import reader_batch
from workbench.project import Project
from workbench.services.documents import ImportOptions, ImportReport, collect_files

# No date detection from the opening lines for half the files, as the import dialog allows.
_OPTIONS = (ImportOptions(), ImportOptions(detect_published=False, language="en"))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, Path]]:
    """A real project and a folder for the files to import, with one PDF reader process:
    one for the whole module (a new project for each example would cost more than the
    import, and a function's tmp_path would be shared by every example anyway)."""
    folder = tmp_path_factory.mktemp("properties")
    with Project(folder / "fuzz.twb", actor="tester") as project, reader_batch():
        yield project, folder


def imported(workspace: tuple[Project, Path], name: str, data: bytes) -> DocumentInfo | None:
    """Import ``data`` as a file named ``name``: the document, or None after a refusal in one
    clear line. Any other exception fails the property."""
    project, folder = workspace
    path = folder / name
    path.write_bytes(data)
    try:
        info, notes = project.documents.import_file(path, _OPTIONS[len(data) % 2])
    except ImportRefused as refused:
        _assert_one_line(str(refused))
        return None
    text = project.documents.text(info.id)
    assert text.strip()
    assert info.chars == len(text)
    text.encode("utf-8")  # no lone surrogates: the text is valid Unicode
    assert info.title.strip()
    _assert_one_line(info.title)
    if info.published is not None:
        date.fromisoformat(info.published)
    for note in notes:
        _assert_one_line(note)
    return info


def _assert_one_line(message: str) -> None:
    assert message.strip()
    assert "\n" not in message
    assert "\r" not in message
    assert "Traceback" not in message


# --- every kind of file -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FILES))
def test_any_file_becomes_a_document_or_one_line(
    workspace: tuple[Project, Path], name: str
) -> None:
    """Any bytes, valid files damaged, pages and Word bodies of any shape, pages declaring any
    charset, PDFs showing any character codes (``property_files.FILES``)."""
    strategy, count = FILES[name]

    @budget(count)
    @given(data=strategy)
    def check(data: bytes) -> None:
        imported(workspace, name, data)

    check()


def test_a_pdf_showing_halves_of_utf16_pairs_imports_them_as_replacement_characters(
    workspace: tuple[Project, Path],
) -> None:
    """An Identity map to Unicode turns the codes D800 and DFFF into no characters: the text
    could not be stored (it stopped a whole import), so they become U+FFFD, with a note."""
    info = imported(workspace, "halves.pdf", identity_pdf([0x48, 0x69, 0xD800, 0x20, 0xDFFF]))
    assert info is not None
    project, _folder = workspace
    assert project.documents.text(info.id) == "Hi\ufffd \ufffd"


# --- plain text, exactly --------------------------------------------------------------------


@budget(60)
@given(text=st.text(min_size=1, max_size=300), encoding=st.sampled_from(["utf-8", "utf-16"]))
def test_text_is_stored_exactly_as_written(
    workspace: tuple[Project, Path], text: str, encoding: str
) -> None:
    """Any text (NUL, bidi marks, emoji, CR and LF in any mix) is stored as written, only its
    line ends made LF and a leading byte-order mark dropped, or refused as not text."""
    info = imported(workspace, "exact.txt", text.encode(encoding))
    if info is not None:
        project, _folder = workspace
        expected = text.removeprefix("\ufeff") if encoding == "utf-8" else text
        assert project.documents.text(info.id) == expected.replace("\r\n", "\n").replace("\r", "\n")


# --- file names -------------------------------------------------------------------------------

_NAME = st.text(
    st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]),
    min_size=1,
    max_size=40,
).filter(lambda name: len(name.encode()) < 240 and name not in (".", ".."))


@budget(30)
@given(names=st.lists(_NAME, min_size=1, max_size=4, unique=True))
def test_any_file_names_are_imported_or_refused_one_by_one(
    workspace: tuple[Project, Path], names: list[str]
) -> None:
    """Crafted names (line breaks, bidi overrides, escapes) never break a batch: each file of
    the folder is imported under its own name or refused in one line."""
    project, folder = workspace
    batch = Path(tempfile.mkdtemp(dir=folder))
    for name in names:
        (batch / f"{name}.txt").write_text(f"Testimony {name!r} in {batch.name}.", "utf-8")
    found = collect_files([batch], ImportReport())
    assert sorted(path.name for path in found) == sorted(
        f"{name}.txt" for name in names if not name.startswith((".", "~$"))
    )
    report = project.documents.import_paths([batch])
    for refusal in report.refused:
        _assert_one_line(refusal.message)
    assert len(report.imported) + len(report.refused) == len(found)
    assert sorted(info.original_name for info in report.imported) == sorted(
        path.name for path in found if path not in {r.path for r in report.refused}
    )
