"""CLI command ``server-roles DATABASE``: print the SQL that makes a team's roles on a
project's database (part of ``workbench.cli``; it writes to stdout deliberately). It reads
and connects to nothing: the administrator runs its output with psql."""

# ruff: noqa: T201

from __future__ import annotations

import argparse

from workbench.storage.postgres import roles_sql

COMMAND = "server-roles"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``server-roles`` to the CLI's subparsers."""
    roles = sub.add_parser(
        COMMAND,
        help="print the SQL that makes the roles workbench_lead, workbench_annotator and "
        "workbench_reader on a project's database (run it with psql as its owner)",
    )
    roles.add_argument("database", metavar="DATABASE", help="the project's database name")


def run(args: argparse.Namespace) -> int:
    """Print the roles' SQL for ``args.database``."""
    print(roles_sql(args.database), end="")
    return 0
