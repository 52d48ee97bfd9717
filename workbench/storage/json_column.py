"""JSON columns that always read as a dict: a stored value that is not a JSON object is
reported as a damaged project in one line, never as a decoder traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from workbench.errors import DamagedProjectError


def _no_constant(name: str) -> object:
    """Refuse NaN and Infinity, which are not JSON (SQLite's ``json_valid`` agrees)."""
    raise ValueError(f"{name} is not JSON")


def decode_object(value: object, where: str) -> dict[str, Any]:
    """The stored text of column ``where`` ("table.column") as a dict, or a one-line error."""
    reason = "is not JSON text"
    if isinstance(value, str):
        try:
            decoded = json.loads(value, parse_constant=_no_constant)
        except ValueError:
            reason = "is not valid JSON"
        else:
            if isinstance(decoded, dict):
                return decoded
            reason = "is not a JSON object"
    raise DamagedProjectError(
        f"the project file is damaged: a value of {where} {reason}; "
        "`workbench verify` lists the rows"
    )


class JSONObject(TypeDecorator[dict[str, Any]]):
    """JSON holding an object (``JSON`` in the schema, as before); ``where`` names the column
    in messages."""

    impl = JSON
    cache_ok = True

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def result_processor(
        self,
        dialect: Dialect,  # noqa: ARG002 - the signature SQLAlchemy calls
        coltype: object,  # noqa: ARG002
    ) -> Callable[[Any], dict[str, Any] | None]:
        """Decode here rather than in ``JSON``'s processor, whose errors are tracebacks."""
        where = self.where

        def process(value: object) -> dict[str, Any] | None:
            if isinstance(value, dict):  # PostgreSQL's driver decodes its JSON itself
                return value
            return None if value is None else decode_object(value, where)

        return process
