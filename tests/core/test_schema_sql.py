"""The normal form of schema SQL: only spacing, quoting and constraint order are forgiven."""

from __future__ import annotations

from workbench.storage.schema_sql import normalise

TABLE = (
    "CREATE TABLE codes (\n\tid INTEGER NOT NULL, \n\tkind VARCHAR(20) NOT NULL, \n\t"
    "CONSTRAINT pk_codes PRIMARY KEY (id), \n\t"
    "CONSTRAINT ck_codes_kind CHECK (kind IN ('record_type', 'code'))\n)"
)


def test_spacing_quoting_and_constraint_order_do_not_matter() -> None:
    same = (
        'CREATE TABLE "codes"("id" INTEGER NOT NULL,[kind] VARCHAR( 20 )  NOT NULL, '
        "CONSTRAINT ck_codes_kind CHECK (`kind` IN ('record_type','code')), "
        "CONSTRAINT pk_codes PRIMARY KEY (id))"
    )
    assert normalise(same) == normalise(TABLE)


def test_string_literals_column_order_and_names_matter() -> None:
    assert normalise(TABLE.replace("'code'", "'Code'")) != normalise(TABLE)
    assert normalise(TABLE.replace("'record_type', 'code'", "'record_type','code' ")) == (
        normalise(TABLE)
    )
    swapped = TABLE.replace(
        "id INTEGER NOT NULL, \n\tkind VARCHAR(20) NOT NULL",
        "kind VARCHAR(20) NOT NULL, id INTEGER NOT NULL",
    )
    assert normalise(swapped) != normalise(TABLE)
    assert normalise(TABLE.replace("ck_codes_kind", "ck_codes_kinds")) != normalise(TABLE)


def test_a_quoted_name_that_looks_like_a_keyword_stays_a_column() -> None:
    table = 'CREATE TABLE t (a INTEGER, "check" TEXT, CONSTRAINT pk_t PRIMARY KEY (a))'
    moved = 'CREATE TABLE t (a INTEGER, CONSTRAINT pk_t PRIMARY KEY (a), "check" TEXT)'
    assert normalise(table) == "CREATE TABLE t(a INTEGER,check TEXT,CONSTRAINT pk_t PRIMARY KEY(a))"
    assert normalise(moved) == normalise(table)


def test_identifiers_that_need_quotes_keep_one_style() -> None:
    assert normalise('CREATE INDEX "a b" ON t ([x y])') == 'CREATE INDEX "a b" ON t("x y")'
    assert normalise(None) is None
