"""Normal form of the SQL SQLite keeps for a schema object, so equal schemas compare equal.

A created file and an upgraded one store the same definitions with different spacing,
identifier quoting and order of table constraints; none of these changes what SQLite does.
Everything else (names, types, string literals, column order) is kept as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(
    r"""'(?:[^']|'')*'          # string literal: kept exactly
      |"(?:[^"]|"")*"           # quoted identifiers, in any of SQLite's styles
      |`(?:[^`]|``)*`
      |\[[^\]]*\]
      |\s+
      |[(),]
      |[^\s'"`\[(),]+
      |.                        # anything else, one character at a time: nothing is dropped
    """,
    re.VERBOSE | re.DOTALL,
)
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PUNCTUATION = frozenset("(),")
_CONSTRAINT_WORDS = frozenset({"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"})

# A token: its normal text, and whether it was a quoted identifier (never a keyword).
Token = tuple[str, bool]


def _identifier(token: str) -> str:
    """One quoting style for identifiers: bare when plain, else double quotes."""
    opening = token[0]
    inner = token[1:-1]
    if opening == '"':
        inner = inner.replace('""', '"')
    elif opening == "`":
        inner = inner.replace("``", "`")
    if _PLAIN.match(inner):
        return inner
    return '"' + inner.replace('"', '""') + '"'


def _tokens(sql: str) -> list[Token]:
    """The statement's tokens; runs of white space become one space, none beside punctuation."""
    raw: list[Token] = []
    for match in _TOKEN.finditer(sql):
        text = match.group()
        if text.isspace():
            raw.append((" ", False))
        elif text[0] in '"`[' and len(text) >= 2:
            raw.append((_identifier(text), True))
        else:
            raw.append((text, False))
    tokens: list[Token] = []
    for index, token in enumerate(raw):
        if token[0] == " ":
            before = tokens[-1][0] if tokens else None
            after = raw[index + 1][0] if index + 1 < len(raw) else None
            if before is None or after is None or before in _PUNCTUATION or before == " ":
                continue
            if after in _PUNCTUATION or after == " ":
                continue
        tokens.append(token)
    return tokens


def _text(tokens: list[Token]) -> str:
    return "".join(text for text, _quoted in tokens)


def _table_items(tokens: list[Token], start: int) -> tuple[list[list[Token]], int] | None:
    """The comma-separated items between the parenthesis at ``start`` and its match."""
    items: list[list[Token]] = [[]]
    depth = 0
    for index in range(start, len(tokens)):
        text, quoted = tokens[index]
        if not quoted and text == "(":
            depth += 1
            if depth == 1:
                continue
        elif not quoted and text == ")":
            depth -= 1
            if depth == 0:
                return items, index
        elif not quoted and text == "," and depth == 1:
            items.append([])
            continue
        items[-1].append(tokens[index])
    return None


def _is_constraint(item: list[Token]) -> bool:
    return bool(item) and not item[0][1] and item[0][0].upper() in _CONSTRAINT_WORDS


def normalise(sql: str | None) -> str | None:
    """The normal form of one ``sqlite_master.sql`` value (None stays None)."""
    if sql is None:
        return None
    # A file holds the very text our shapes were built from: each is worked out once.
    return _normalise_cached(sql) if len(sql) <= _CACHED_LENGTH else _normalise(sql)


_CACHED_LENGTH = 4000  # longer statements are not ours; a crafted one is not kept in memory


@lru_cache(maxsize=256)
def _normalise_cached(sql: str) -> str:
    return _normalise(sql)


def _normalise(sql: str) -> str:
    tokens = _tokens(sql)
    words = [text.upper() for text, quoted in tokens[:3] if not quoted]
    if words != ["CREATE", " ", "TABLE"]:
        return _text(tokens)
    start = next((i for i, (text, quoted) in enumerate(tokens) if text == "(" and not quoted), -1)
    parsed = _table_items(tokens, start) if start >= 0 else None
    if parsed is None:
        return _text(tokens)
    items, end = parsed
    columns = [_text(item) for item in items if not _is_constraint(item)]
    constraints = sorted(_text(item) for item in items if _is_constraint(item))
    body = ",".join(columns + constraints)
    return f"{_text(tokens[:start])}({body}){_text(tokens[end + 1 :])}"
