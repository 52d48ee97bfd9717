"""Light and dark palettes (Fusion style), chosen in the View menu and remembered."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

SETTING = "view/dark"


def dark_palette() -> QPalette:
    """A dark palette with enough contrast for text and for the translucent highlights."""
    palette = QPalette()
    role = QPalette.ColorRole
    for name, colour in (
        (role.Window, "#26282b"),
        (role.WindowText, "#e6e6e6"),
        (role.Base, "#1b1d1f"),
        (role.AlternateBase, "#2b2e31"),
        (role.ToolTipBase, "#33363a"),
        (role.ToolTipText, "#f0f0f0"),
        (role.Text, "#e6e6e6"),
        (role.Button, "#303337"),
        (role.ButtonText, "#e6e6e6"),
        (role.BrightText, "#ff6b6b"),
        (role.Link, "#74c0fc"),
        (role.Highlight, "#2f6fb3"),
        (role.HighlightedText, "#ffffff"),
        (role.PlaceholderText, "#8a8f95"),
    ):
        palette.setColor(name, QColor(colour))
    for group_role in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, group_role, QColor("#7a7f85"))
    return palette


def apply_palette(dark: bool) -> None:
    """Switch the whole application to the dark or the light palette."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
    QSettings().setValue(SETTING, dark)


def saved_dark() -> bool:
    """The palette the user chose last time."""
    return str(QSettings().value(SETTING, "false")).lower() == "true"
