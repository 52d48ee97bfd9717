"""Testimony Workbench: the Qt-free core."""
