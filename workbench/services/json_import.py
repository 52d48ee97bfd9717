"""A whole-project JSON export (``docs/project.schema.json``) read back into a new, empty
project, ids and all: the whole file is checked before anything is written (its shape,
every value's type, vocabularies, references, offsets and quotes against the text, the
text's SHA-256), then it is written in one transaction with its search index and an audit
entry. Anything wrong is one line and the project stays as it was.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Float,
    Integer,
    delete,
    insert,
    inspect,
    select,
)

from workbench.changes import ChangeSet, Entity
from workbench.domain import ORIGINS, STATUSES, CancelFlag, Progress
from workbench.errors import InvalidInputError
from workbench.export.json_writer import FORMAT, VERSION
from workbench.importers import ImportCancelled
from workbench.services.audit import audit
from workbench.services.project_import import ProjectImportReport
from workbench.services.project_tables import PROJECT_MODELS
from workbench.storage.fts import index_document
from workbench.storage.json_column import JSONObject
from workbench.storage.models import CODE_KINDS, AuditEntry, Code
from workbench.storage.postgres import reset_sequences

if TYPE_CHECKING:
    from workbench.project import Project

MAX_BYTES = 512 * 1024 * 1024  # the file is read whole to be checked before any write
MAX_DEPTH = 32  # nesting of a free JSON value (a record's fields, an audit entry's detail)
INT_LIMIT = 2**63  # SQLite's integers
HEADER = ("format", "version", "exported_at", "includes_text", "project")
NOUNS = {"codebook": "code", "documents": "document", "annotations": "annotation",
         "records": "record", "evidence": "evidence", "links": "link",
         "suppressions": "suppression", "memos": "memo", "history": "history entry"}  # fmt: skip
VOCABULARIES = {"status": STATUSES, "origin": ORIGINS, "kind": CODE_KINDS}
DATE_COLUMNS = ("published", "date_earliest", "date_latest")
FIELD_TYPES = ("text", "number")
# columns a file from an older version lacks, with the value they take then
DEFAULTS = {
    ("records", "protected"): False,
    ("records", "pseudonym"): None,
    ("records", "version"): 1,
}
# what a column refers to: (section, column) → section whose ids it names
REFERENCES = {
    ("codebook", "parent_id"): "codebook",
    ("annotations", "document_id"): "documents",
    ("annotations", "code_id"): "codebook",
    ("records", "type_id"): "codebook",
    ("evidence", "record_id"): "records",
    ("evidence", "annotation_id"): "annotations",
    ("links", "source_id"): "records",
    ("links", "target_id"): "records",
    ("suppressions", "document_id"): "documents",
    ("suppressions", "code_id"): "codebook",
    ("memos", "document_id"): "documents",
}
# columns whose values the project holds once (the schema's unique constraints)
UNIQUE = {
    "codebook": ("name",),
    "documents": ("text_sha256",),
    "evidence": ("record_id", "annotation_id"),
    "links": ("source_id", "target_id", "role"),
    "suppressions": ("document_id", "start", "end", "code_id"),
    "memos": ("document_id",),  # one project memo (no document), one a document
}
NOT_EMPTY = (
    "this project is not empty; import a JSON project into a new, empty project (File → New)"
)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")

Row = dict[str, Any]
Sections = dict[str, list[Row]]


class FileRefused(Exception):  # noqa: N818 - a refusal, said to the user
    """The file cannot be imported; ``str(exc)`` says why in one line."""


def import_json(
    project: Project,
    path: Path,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> ProjectImportReport:
    """Read a whole-project JSON export into this (new, empty) project; one line and no
    change when the file cannot be taken; ``ImportCancelled`` (nothing written) on Cancel."""
    try:
        sections = check_project(read_project_file(path), progress, cancel)
        return _write(project, path, sections, progress, cancel)
    except FileRefused as exc:
        raise InvalidInputError(f"{path.name}: {exc}; nothing was imported") from None


def read_project_file(path: Path, max_bytes: int = MAX_BYTES) -> object:
    """The file's JSON value, guarded: its size, UTF-8, nesting, numbers, repeated keys."""
    if path.stat().st_size > max_bytes:
        raise FileRefused(f"the file is larger than {max_bytes / 2**20:g} MB")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise FileRefused("the file is not UTF-8 text") from None
    try:
        return json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise FileRefused(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
                          ) from None  # fmt: skip
    except RecursionError:
        raise FileRefused("its arrays or objects are nested too deeply") from None
    except ValueError:  # the only other: an integer of thousands of digits
        raise FileRefused("it holds a number with too many digits") from None


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; a key given twice is refused (which one would count is unclear)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        keys = [key for key, _ in pairs]
        twice = next(key for key in keys if keys.count(key) > 1)
        raise FileRefused(f"the key {json.dumps(twice)} appears twice in one object")
    return obj


def _constant(name: str) -> object:
    raise FileRefused(f"{name} is not a JSON number")


def check_project(
    data: object, progress: Progress | None = None, cancel: CancelFlag | None = None
) -> Sections:
    """Every section's rows, ready to insert, once the whole file is known to be sound."""
    _check_header(data)
    assert isinstance(data, dict)
    sections = {name: _rows(name, data[name]) for name in PROJECT_MODELS}
    ids = {name: {row["id"] for row in rows} for name, rows in sections.items()}
    for name, rows in sections.items():
        _check_rows(name, rows, ids)
    sections["codebook"] = _parents_first(sections["codebook"])
    _check_record_types(sections["records"], sections["codebook"])
    texts = _check_documents(sections["documents"], progress, cancel)
    for name in ("annotations", "suppressions"):
        _check_spans(name, sections[name], texts)
    return sections


def _check_header(data: object) -> None:
    """The top level: our format, a version this code reads, with the documents' text."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FileRefused(f'it is not a project file ("format": "{FORMAT}" is missing)')
    version = data.get("version")
    if type(version) is not int or version != VERSION:
        if type(version) is int and version > VERSION:
            raise FileRefused(f"it was made by a newer version (file format {version}); this "
                              f"one reads format {VERSION}")  # fmt: skip
        raise FileRefused("its format version is unknown")
    if data.get("includes_text") is False:
        raise FileRefused("it was exported without the documents' text, so it cannot be "
                          "imported as a project; export it again with the text")  # fmt: skip
    if data.get("includes_text") is not True:
        raise FileRefused('"includes_text" must be true or false')
    _check_keys("the top level", data, (*HEADER, *PROJECT_MODELS))
    _timestamp(data["exported_at"], "exported_at")
    project = data["project"]
    if not isinstance(project, dict) or set(project) != {"title"}:
        raise FileRefused('"project" must be an object with its "title"')
    _string(project["title"], "the project's title")


def _rows(section: str, items: object) -> list[Row]:
    """A section's items as rows of its table's columns, each value of the column's type."""
    if not isinstance(items, list):
        raise FileRefused(f'"{section}" must be an array')
    columns = list(inspect(PROJECT_MODELS[section]).columns)
    names = [column.key for column in columns]
    rows: list[Row] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise FileRefused(f"{section}[{index}] is not an object")
        where = _where(section, index, item.get("id"))
        missing = {c: v for (s, c), v in DEFAULTS.items() if s == section and c not in item}
        given = {**item, **missing}
        _check_keys(where, given, names)
        rows.append({c.key: _value(c, given[c.key], f"{where}: {c.key}") for c in columns})
    return rows


def _check_keys(where: str, keys: Iterable[str], expected: Iterable[str]) -> None:
    """An object has exactly the expected keys; the first missing or unknown one is named."""
    have, want = set(keys), list(expected)
    missing = [key for key in want if key not in have]
    unknown = sorted(have - set(want))
    if missing:
        raise FileRefused(f"{where}: {missing[0]!r} is missing")
    if unknown:
        raise FileRefused(f"{where}: unknown key {unknown[0]!r}")


def _where(section: str, index: int, item_id: object) -> str:
    """How a message names an item: by its id, else by its place in the array."""
    if type(item_id) is int:
        return f"{NOUNS[section]} {item_id}"
    return f"{section}[{index}]"


def _value(column: Column[Any], value: object, where: str) -> object:
    """``value`` as the column stores it; a value of the wrong type is refused."""
    kind = column.type
    if value is None:
        if column.nullable and not column.primary_key:
            return None
        raise FileRefused(f"{where} must not be null")
    if isinstance(kind, JSONObject):
        if not isinstance(value, dict):
            raise FileRefused(f"{where} must be an object")
        _check_free(value, where)
        return value
    if isinstance(kind, Boolean):
        if type(value) is not bool:
            raise FileRefused(f"{where} must be true or false")
        return value
    if isinstance(kind, Integer):
        if type(value) is not int or not -INT_LIMIT <= value < INT_LIMIT:
            raise FileRefused(f"{where} must be a whole number")
        return value
    if isinstance(kind, Float):
        return _number(value, where)
    if isinstance(kind, DateTime):
        return _timestamp(value, where)
    return _string(value, where)


def _number(value: object, where: str) -> float:
    """A finite number (1e999 reads as infinity; an integer too big for a float)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isfinite(number):
            return number
    raise FileRefused(f"{where} must be a finite number")


def _string(value: object, where: str) -> str:
    """Text that can be stored: a string without lone surrogates (``"\\ud800"``)."""
    if not isinstance(value, str):
        raise FileRefused(f"{where} must be text")
    if _SURROGATE.search(value):
        raise FileRefused(f"{where} holds a lone surrogate, which is not a character")
    return value


def _timestamp(value: object, where: str) -> datetime:
    """An ISO 8601 UTC time ending in ``Z``, as the project stores it (naive UTC)."""
    if isinstance(value, str) and _TIMESTAMP.fullmatch(value):
        try:
            return datetime.fromisoformat(value[:-1])
        except ValueError:
            pass
    raise FileRefused(f"{where} must be a UTC time as YYYY-MM-DDTHH:MM:SSZ")


def _check_free(value: object, where: str) -> None:
    """A free JSON value: not nested deeper than MAX_DEPTH, finite numbers, storable text."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FileRefused(f"{where} is nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, dict):
            for key, inner in item.items():
                _string(key, where)
                stack.append((inner, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, depth + 1) for inner in item)
        elif isinstance(item, str):
            _string(item, where)
        elif isinstance(item, float) and not math.isfinite(item):
            raise FileRefused(f"{where} holds a number too large for JSON")


def _check_rows(section: str, rows: list[Row], ids: dict[str, set[int]]) -> None:
    """Ids, unique values, references, vocabularies and dates of one section."""
    if section != "history":  # history entries get new ids after the project's own
        _check_unique(section, rows, ("id",))
    if section in UNIQUE:
        _check_unique(section, rows, UNIQUE[section])
    refs = [(column, target) for (name, column), target in REFERENCES.items() if name == section]
    for row in rows:
        where = f"{NOUNS[section]} {row['id']}"
        for column, target in refs:
            if row[column] is not None and row[column] not in ids[target]:
                raise FileRefused(f'{where}: {column} {row[column]} is not in "{target}"')
        for column, words in VOCABULARIES.items():
            if column in row and row[column] not in words:
                raise FileRefused(f"{where}: {column} {row[column]!r} is not one of "
                                  f"{', '.join(words)}")  # fmt: skip
        for column in DATE_COLUMNS:
            if row.get(column) is not None and not _is_date(row[column]):
                raise FileRefused(f"{where}: {column} must be a date as YYYY-MM-DD")


def _check_unique(section: str, rows: list[Row], columns: Iterable[str]) -> None:
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        key = tuple(row[column] for column in columns)
        if key in seen:
            shown = ", ".join(f"{c} {row[c]!r}" for c in columns)
            raise FileRefused(f'two items of "{section}" have the same {shown}')
        seen.add(key)


def _is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _parents_first(codes: list[Row]) -> list[Row]:
    """The codebook with every parent before its children (so each insert finds its
    parent); a loop of parents, a parent of another kind, a bad colour or field is refused."""
    by_id = {code["id"]: code for code in codes}
    ordered: list[Row] = []
    placed: set[int] = set()
    for code in codes:
        _check_code(code, by_id)
        chain: list[Row] = []
        in_chain: set[int] = set()  # a set: a long chain of parents is checked in linear time
        node: Row | None = code
        while node is not None and node["id"] not in placed:
            if node["id"] in in_chain:
                raise FileRefused(f"code {code['id']}: its parents make a loop")
            chain.append(node)
            in_chain.add(node["id"])
            node = by_id[node["parent_id"]] if node["parent_id"] is not None else None
        ordered.extend(reversed(chain))
        placed.update(c["id"] for c in chain)
    return ordered


def _check_record_types(records: list[Row], codes: list[Row]) -> None:
    """A record's type is a record type of the codebook, never a code."""
    kinds = {code["id"]: code["kind"] for code in codes}
    for record in records:
        if kinds.get(record["type_id"]) != "record_type":
            raise FileRefused(f"record {record['id']}: type_id {record['type_id']} is a code, "
                              "not a record type")  # fmt: skip


def _check_code(code: Row, by_id: dict[int, Row]) -> None:
    where = f"code {code['id']}"
    if not _COLOUR.fullmatch(code["colour"]):
        raise FileRefused(f"{where}: colour must be #rrggbb")
    if any(kind not in FIELD_TYPES for kind in code["fields"].values()):
        raise FileRefused(f"{where}: each field must be {' or '.join(FIELD_TYPES)}")
    parent = by_id.get(code["parent_id"]) if code["parent_id"] is not None else None
    if parent is not None and parent["kind"] != code["kind"]:
        raise FileRefused(f"{where}: its parent is of another kind")


def _check_documents(
    documents: list[Row], progress: Progress | None, cancel: CancelFlag | None
) -> dict[int, str]:
    """Each document's text against its SHA-256 and length; the texts by document id."""
    texts: dict[int, str] = {}
    for done, doc in enumerate(documents):
        if progress is not None:
            progress(done, len(documents), "checking documents")
        _look_at(cancel)
        text = doc["text"]
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != doc["text_sha256"]:
            raise FileRefused(f"document {doc['id']}: its text does not match its text_sha256")
        if doc["chars"] != len(text):
            raise FileRefused(f"document {doc['id']}: chars is not the length of its text")
        texts[doc["id"]] = text
    return texts


def _check_spans(section: str, rows: list[Row], texts: dict[int, str]) -> None:
    """Offsets (code points) inside their document's text; a quote is that stretch of it."""
    for row in rows:
        where = f"{NOUNS[section]} {row['id']}"
        text = texts[row["document_id"]]
        span = f"[{row['start']}, {row['end']}) of document {row['document_id']}"
        if not 0 <= row["start"] < row["end"] <= len(text):
            raise FileRefused(f"{where}: {span} is outside its {len(text)} characters")
        if "quote" in row and row["quote"] != text[row["start"] : row["end"]]:
            raise FileRefused(f"{where}: its quote is not the text at {span}")


def _look_at(cancel: CancelFlag | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ImportCancelled("the import was cancelled; nothing was imported")


def _write(
    project: Project,
    path: Path,
    sections: Sections,
    progress: Progress | None,
    cancel: CancelFlag | None,
) -> ProjectImportReport:
    """Everything in one transaction: the file's codebook in place of the new project's,
    its rows with their ids, the search index, its history after the project's own, and
    one audit entry."""
    documents = sections["documents"]
    with project.write_connection() as conn:
        if not _is_empty(conn):
            raise FileRefused(NOT_EMPTY)
        old_codes: set[int] = set(conn.scalars(select(Code.id)))
        conn.execute(delete(Code))
        for section, model in PROJECT_MODELS.items():
            rows = sections[section]
            if section == "history":  # appended: ids after the project's own entries
                rows = [{k: v for k, v in row.items() if k != "id"} for row in rows]
            if rows:
                conn.execute(insert(model), rows)
        if conn.dialect.name != "sqlite":  # rows came with their ids: the server's
            reset_sequences(conn, [model.__tablename__ for model in PROJECT_MODELS.values()])
        for done, doc in enumerate(documents):
            if progress is not None:
                progress(done, len(documents), "indexing documents")
            _look_at(cancel)
            index_document(conn, doc["id"], doc["title"], doc["text"])
        counts = {section: len(rows) for section, rows in sections.items()}
        audit(conn, project.actor, "project.import", "project", None, file=path.name,
              **counts)  # fmt: skip
    return _report(sections, old_codes)


def _is_empty(conn: Connection) -> bool:
    """Nothing but the codebook a new project starts with: no rows in any other table,
    and no entry in the audit log but the codebook's loading."""
    for section, model in PROJECT_MODELS.items():
        table = model.__table__
        if section not in ("codebook", "history") and conn.scalar(select(table.c.id).limit(1)):
            return False
    other = select(AuditEntry.id).where(AuditEntry.action != "codebook.load").limit(1)
    return conn.scalar(other) is None


def _report(sections: Sections, old_codes: set[int]) -> ProjectImportReport:
    """Counts, the annotators and the change set of an import."""
    changes = ChangeSet()
    kinds: dict[str, Entity] = {"documents": "document", "annotations": "annotation",
                                "records": "record", "memos": "memo"}  # fmt: skip
    for section, entity in kinds.items():
        changes.add(entity, *(row["id"] for row in sections[section]))
    codes = {row["id"] for row in sections["codebook"]}
    changes.add("code", *(codes - old_codes)).change("code", *(codes & old_codes))
    changes.remove("code", *(old_codes - codes))
    users = {row["author"] for row in sections["annotations"]}
    users |= {row["created_by"] for row in sections["records"]}
    return ProjectImportReport(
        documents=len(sections["documents"]),
        annotations=len(sections["annotations"]),
        records=len(sections["records"]),
        codes=len(codes),
        users=tuple(sorted(u for u in users if u)),
        changes=changes,
    )
