"""Whether Qt's X11 platform plugin can load here, and which Debian packages it lacks.

On a Linux desktop without the libraries of Qt's xcb plugin, Qt aborts with a page about
platform plugins that names none of them. ``ldd`` on the plugin lists the missing ones;
``PACKAGES`` names the Debian/Ubuntu package of each library the plugin (Qt 6) needs, so
the user reads one line saying what to install. Qt-free on purpose: it runs before
PySide6's libraries load (they need some of these libraries themselves).

``python -m ui.display_check`` prints that line and exits 1 (``make run`` runs it first).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# Every system library `ldd libqxcb.so` lists for PySide6 6.11 but the C and C++ runtimes
# Python itself runs on, and its package (`dpkg -S` on Debian 12; Ubuntu names them alike:
# 24.04 renamed libglib2.0-0 and libpng16-16 with a t64 suffix, providing the old names).
PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libbrotlicommon.so.1": "libbrotli1",
    "libbrotlidec.so.1": "libbrotli1",
    "libbsd.so.0": "libbsd0",
    "libcap.so.2": "libcap2",
    "libdbus-1.so.3": "libdbus-1-3",
    "libexpat.so.1": "libexpat1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libgcrypt.so.20": "libgcrypt20",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgpg-error.so.0": "libgpg-error0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "liblz4.so.1": "liblz4-1",
    "liblzma.so.5": "liblzma5",
    "libmd.so.0": "libmd0",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libpng16.so.16": "libpng16-16",
    "libsystemd.so.0": "libsystemd0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
}
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)


def uses_xcb(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt would start on its X11 (xcb) plugin: on Linux, unless QT_QPA_PLATFORM
    names another platform first (offscreen, wayland…) or the session is Wayland."""
    if not platform.startswith("linux"):
        return False
    requested = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if requested:
        return requested == "xcb"
    return env.get("XDG_SESSION_TYPE", "").lower() != "wayland"


def xcb_plugin() -> Path | None:
    """The xcb plugin of the installed PySide6, found without loading PySide6."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_libraries(plugin: Path, env: Mapping[str, str]) -> list[str]:
    """The libraries ``ldd`` says ``plugin`` needs and cannot find, each once, in its
    order; none when there is no ``ldd`` on the PATH or it fails."""
    ldd = shutil.which("ldd", path=env.get("PATH", os.defpath))
    if ldd is None:
        return []
    try:
        listed = subprocess.run(  # noqa: S603 - ldd from the PATH, on Qt's own plugin
            [ldd, str(plugin)], capture_output=True, text=True, env=dict(env), timeout=30,
            check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return []
    return list(dict.fromkeys(_NOT_FOUND.findall(listed.stdout)))


def advice(missing: list[str]) -> str:
    """One line naming the missing libraries and the packages that bring them (a library
    not in ``PACKAGES`` is named for the user to look up)."""
    packages = dict.fromkeys(PACKAGES[name] for name in missing if name in PACKAGES)
    unknown = [name for name in missing if name not in PACKAGES]
    install = f"sudo apt install {' '.join(packages)}" if packages else ""
    if unknown:
        also = f"the package that provides {', '.join(unknown)} (apt-file search)"
        install = f"{install} and {also}" if install else f"install {also}"
    return (
        f"The window cannot start: Qt's X11 plugin needs {', '.join(missing)}, not installed "
        f"here. On Debian or Ubuntu: {install}"
    )


def display_problem(
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    plugin: Path | None = None,
) -> str | None:
    """What keeps the window from starting here, as one line; None when nothing does (or
    when it cannot be told: no plugin, no ``ldd``)."""
    env = os.environ if env is None else env
    if not uses_xcb(env, platform):
        return None
    plugin = plugin or xcb_plugin()
    if plugin is None:
        return None
    missing = missing_libraries(plugin, env)
    return advice(missing) if missing else None


def main() -> int:
    """Print what keeps the window from starting, if anything; 1 when something does."""
    problem = display_problem()
    if problem is None:
        return 0
    sys.stderr.write(problem + "\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
