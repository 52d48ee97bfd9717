"""Options several commands share, defined once so they read and behave the same."""

from __future__ import annotations

import argparse


def add_redaction(parser: argparse.ArgumentParser, *, redact: str, no_redact: str) -> None:
    """``--redact`` / ``--no-redact`` into ``args.redact``: True, False, or None when neither
    is given (then the command redacts when anything is protected)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--redact", dest="redact", action="store_const", const=True, default=None, help=redact
    )
    group.add_argument(
        "--no-redact", dest="redact", action="store_const", const=False, help=no_redact
    )
