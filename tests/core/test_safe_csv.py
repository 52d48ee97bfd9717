"""CSV writing: RFC 4180 quoting, formula neutralisation, atomic replacement."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from workbench.export.safe_csv import neutralise, write_csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 people", "'+7 people"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindent", "'\tindent"),
        ("\rcr", "'\rcr"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(value: str, expected: str) -> None:
    assert neutralise(value) == expected


def test_rfc4180_round_trip_with_newlines_quotes_and_emoji(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    rows = [
        [1, 'He said "go"\nand left 🙂', None, datetime(2024, 5, 4, 12, 30)],
        [2, "=cmd", 0.5, None],
    ]
    assert write_csv(path, ["id", "text", "x", "at"], rows) == 2
    raw = path.read_bytes()
    assert raw.startswith(b"id,text,x,at\r\n")
    assert b'"He said ""go""\nand left \xf0\x9f\x99\x82"' in raw
    with path.open(encoding="utf-8", newline="") as fh:
        parsed = list(csv.reader(fh))
    assert parsed[1] == ["1", 'He said "go"\nand left 🙂', "", "2024-05-04T12:30:00Z"]
    assert parsed[2] == ["2", "'=cmd", "0.5", ""]


def test_unsafe_mode_keeps_cells(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv(path, ["v"], [["=1+1"]], safe=False)
    assert path.read_text(encoding="utf-8").splitlines()[1] == "=1+1"


def test_failed_write_leaves_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("previous\n")

    def rows() -> object:
        yield ["ok"]
        raise RuntimeError("query failed")

    with pytest.raises(RuntimeError):
        write_csv(path, ["v"], rows())  # type: ignore[arg-type]
    assert path.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
