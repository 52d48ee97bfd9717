"""``workbench copy`` between two project files: the whole project, its progress told."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import import_text
from workbench import cli_copy
from workbench.cli import build_parser
from workbench.project import Project


def test_a_copy_tells_its_progress_up_to_the_whole(project: Project, tmp_path: Path) -> None:
    import_text(project, tmp_path, "a.txt", "Olena 🙂 left «Херсон» in March.\n")
    source = project.path
    project.close()
    target = tmp_path / "copy.twb"
    args = build_parser().parse_args(["--annotator", "lead", "copy", str(source), str(target)])
    told: list[tuple[int, int]] = []
    assert cli_copy.run(args, lambda done, total, _label: told.append((done, total))) == 0
    assert told, "no progress was told"
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    assert told[-1][0] == told[-1][1] > 0
    with Project(target, actor="lead", create=False) as copy:
        assert [d.title for d in copy.documents.list()] == ["a"]
