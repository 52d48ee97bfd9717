"""Entry point: ``python main.py`` opens the application; ``python main.py CMD`` runs the CLI."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ui.drawn_writers import register_drawn_writers
from workbench.cli import ImageRequest
from workbench.cli import main as cli_main
from workbench.project import Project

GLOBAL_OPTIONS = ("--project", "--annotator")


def _split_screenshot(argv: list[str]) -> tuple[list[str], Path | None]:
    """Take ``--screenshot FILE`` out of the arguments (a GUI-only option)."""
    if "--screenshot" in argv:
        i = argv.index("--screenshot")
        if i + 1 < len(argv):
            return argv[:i] + argv[i + 2 :], Path(argv[i + 1])
    return argv, None


def _has_command(argv: list[str]) -> bool:
    """Whether the arguments name a CLI command (anything beyond the global options)."""
    i = 0
    while i < len(argv):
        if argv[i] in GLOBAL_OPTIONS:
            i += 2
        elif argv[i].startswith(GLOBAL_OPTIONS):  # --project=FILE
            i += 1
        else:
            return True
    return False


def _names_project(argv: list[str]) -> bool:
    """Whether the user named the project (``--project`` or $WORKBENCH_PROJECT); without
    one the window may open the welcome."""
    named = any(a == "--project" or a.startswith("--project=") for a in argv)
    return named or bool(os.environ.get("WORKBENCH_PROJECT"))


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to the GUI or the CLI."""
    args, screenshot = _split_screenshot(list(sys.argv[1:] if argv is None else argv))
    if not _has_command(args) and "-h" not in args and "--help" not in args:
        args.append("gui")

    def launch(project: Path | str) -> int:
        from ui.display_check import display_problem  # noqa: PLC0415 - Qt-free, GUI only

        problem = display_problem()  # before Qt, which would abort without saying why
        if problem is not None:
            sys.stderr.write(problem + "\n")
            return 1
        from ui.app import run  # noqa: PLC0415 - Qt loads only when the GUI is wanted

        return run(project, screenshot=screenshot, named=_names_project(args))

    def render(project: Project, image: ImageRequest) -> int:
        from ui.timeline.export import export_timeline  # noqa: PLC0415 - Qt only when drawing

        return export_timeline(
            project, image.fmt, image.output, width=image.width, height=image.height,
            lanes=image.lanes, redact=image.redact,
        )  # fmt: skip

    register_drawn_writers()  # what Qt draws: imported only if asked for
    return cli_main(args, launch_gui=launch, render_image=render)


if __name__ == "__main__":
    sys.exit(main())
