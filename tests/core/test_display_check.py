"""The display check: which packages Qt's X11 plugin lacks, read from a real ``ldd`` run
(a stand-in ``ldd`` first on the PATH prints what a machine without them prints)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui.display_check import PACKAGES, display_problem, xcb_plugin

ROOT = Path(__file__).resolve().parents[2]
MISSING = """\
\tlinux-vdso.so.1 (0x00007ffd4b1f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f49ad757000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f49ad732000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
"""
ADVICE = (
    "The window cannot start: Qt's X11 plugin needs libxcb-icccm.so.4, libxcb-keysyms.so.1, "
    "not installed here. On Debian or Ubuntu: sudo apt install libxcb-icccm4 libxcb-keysyms1"
)


def fake_ldd(folder: Path, output: str) -> Path:
    """An ``ldd`` that prints ``output`` and notes the file it was asked about."""
    folder.mkdir(exist_ok=True)
    (folder / "listing.txt").write_text(output, encoding="utf-8")
    script = folder / "ldd"
    script.write_text(
        f'#!/bin/sh\necho "$1" >> "{folder}/asked.txt"\ncat "{folder}/listing.txt"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return folder


def x11_env(bin_dir: Path, **extra: str) -> dict[str, str]:
    """An X11 desktop's environment with ``bin_dir`` first on the PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env |= {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "DISPLAY": ":0"}
    env["XDG_SESSION_TYPE"] = "x11"
    return env | extra


@pytest.fixture
def plugin(tmp_path: Path) -> Path:
    made = tmp_path / "plugins" / "libqxcb.so"
    made.parent.mkdir()
    made.write_bytes(b"\x7fELF")
    return made


def test_missing_libraries_are_named_with_their_packages(tmp_path: Path, plugin: Path) -> None:
    bin_dir = fake_ldd(tmp_path / "bin", MISSING)
    assert display_problem(x11_env(bin_dir), "linux", plugin) == ADVICE
    assert (bin_dir / "asked.txt").read_text().split() == [str(plugin)]


def test_nothing_missing_is_no_problem(tmp_path: Path, plugin: Path) -> None:
    found = "\n".join(line for line in MISSING.splitlines() if "not found" not in line)
    bin_dir = fake_ldd(tmp_path / "bin", found)
    assert display_problem(x11_env(bin_dir), "linux", plugin) is None
    assert display_problem(x11_env(bin_dir, QT_QPA_PLATFORM="xcb"), "linux", plugin) is None


def test_a_library_we_do_not_know_is_named_for_the_user_to_look_up(
    tmp_path: Path, plugin: Path
) -> None:
    bin_dir = fake_ldd(
        tmp_path / "bin", "\tlibxcb-icccm.so.4 => not found\n\tlibnew.so.7 => not found\n"
    )
    problem = display_problem(x11_env(bin_dir), "linux", plugin)
    assert problem is not None and "\n" not in problem
    assert problem.endswith(
        "sudo apt install libxcb-icccm4 and the package that provides libnew.so.7 (apt-file search)"
    )


@pytest.mark.parametrize(
    ("platform", "settings"),
    [
        ("linux", {"QT_QPA_PLATFORM": "offscreen"}),
        ("linux", {"QT_QPA_PLATFORM": "wayland"}),
        ("linux", {"QT_QPA_PLATFORM": "wayland;xcb"}),
        ("linux", {"XDG_SESSION_TYPE": "wayland"}),
        ("darwin", {}),
        ("win32", {}),
    ],
)
def test_no_check_where_qt_would_not_use_xcb(
    tmp_path: Path, plugin: Path, platform: str, settings: dict[str, str]
) -> None:
    bin_dir = fake_ldd(tmp_path / "bin", MISSING)
    assert display_problem(x11_env(bin_dir, **settings), platform, plugin) is None
    assert not (bin_dir / "asked.txt").exists()  # ldd was not even run
    xcb_asked = x11_env(bin_dir, **(settings | {"QT_QPA_PLATFORM": "xcb"}))
    assert (display_problem(xcb_asked, platform, plugin) is None) == (platform != "linux")


def test_without_ldd_nothing_can_be_told(tmp_path: Path, plugin: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert display_problem({"PATH": str(empty)}, "linux", plugin) is None


def test_main_gives_the_advice_instead_of_qt_aborting(tmp_path: Path) -> None:
    """A GUI start on an X11 desktop without the libraries: one line, exit status 1."""
    bin_dir = fake_ldd(tmp_path / "bin", MISSING)
    for command in (["main.py"], ["-m", "ui.display_check"]):
        started = subprocess.run(
            [sys.executable, *command], capture_output=True, text=True, check=False,
            timeout=120, cwd=ROOT, env=x11_env(bin_dir, QT_QPA_PLATFORM="xcb"),
        )  # fmt: skip
        assert (started.returncode, started.stderr) == (1, ADVICE + "\n")
    assert not Path(os.environ["WORKBENCH_PROJECT"]).exists()  # stopped before any project


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb plugin is Linux's")
def test_every_library_the_installed_plugin_needs_has_its_package() -> None:
    """Each system library ``ldd`` lists for the installed plugin (found here or not) is in
    PACKAGES, but the C and C++ runtimes Python runs on."""
    plugin, ldd = xcb_plugin(), shutil.which("ldd")
    if plugin is None or ldd is None:
        pytest.skip("no xcb plugin or no ldd here")
    listed = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, check=True)
    names = set(re.findall(r"^\s*(\S+\.so[.\d]*) =>", listed.stdout, re.MULTILINE))
    runtime = re.compile(r"^(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s)\.so")
    system = {n for n in names if not n.startswith(("libQt6", "libicu")) and not runtime.match(n)}
    assert system - PACKAGES.keys() == set()
    assert {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxkbcommon-x11.so.0"} <= system
