"""Testimony Workbench: the PySide6 user interface."""
