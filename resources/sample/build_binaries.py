"""Regenerate the binary sample documents (.docx, .pdf) from their text sources.

Developer tool, not part of the application. Run from anywhere with the project venv:

    .venv/bin/python resources/sample/build_binaries.py

Each file in ``src/`` starts with ``key: value`` header lines (``output``, ``title``, ``author``,
``published``, ``subject``), then a blank line, then the body. Body blocks are separated by
blank lines: ``# `` starts the document title, ``## `` a section heading, lines starting with
``|`` form a table (first row is the header); anything else is a paragraph.

The output is deterministic: metadata dates come from ``published`` and zip entries of the
.docx carry a fixed timestamp, so rebuilding an unchanged source gives identical bytes.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
ZIP_TIMESTAMP = (2024, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Block:
    kind: str  # "title", "heading", "paragraph" or "table"
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Source:
    path: Path
    meta: dict[str, str]
    blocks: tuple[Block, ...]

    @property
    def published(self) -> datetime:
        return datetime.strptime(self.meta["published"], "%Y-%m-%d").replace(hour=9, tzinfo=UTC)


def parse_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    meta: dict[str, str] = {}
    for line in header.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            msg = f"{path.name}: bad header line {line!r}"
            raise ValueError(msg)
        meta[key.strip()] = value.strip()
    for key in ("output", "title", "author", "published"):
        if key not in meta:
            msg = f"{path.name}: missing header {key!r}"
            raise ValueError(msg)

    blocks: list[Block] = []
    for raw in body.split("\n\n"):
        chunk = raw.strip()
        if not chunk:
            continue
        lines = chunk.splitlines()
        if all(line.startswith("|") for line in lines):
            rows = tuple(
                tuple(cell.strip() for cell in line.strip().strip("|").split("|")) for line in lines
            )
            blocks.append(Block("table", rows=rows))
        elif chunk.startswith("## "):
            blocks.append(Block("heading", chunk[3:].strip()))
        elif chunk.startswith("# "):
            blocks.append(Block("title", chunk[2:].strip()))
        else:
            blocks.append(Block("paragraph", " ".join(line.strip() for line in lines)))
    return Source(path, meta, tuple(blocks))


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so that identical content gives identical bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def build_docx(source: Source, target: Path) -> None:
    from docx import Document  # noqa: PLC0415 - developer tool, keep imports local
    from docx.shared import Pt  # noqa: PLC0415

    doc = Document()
    props = doc.core_properties
    props.title = source.meta["title"]
    props.author = source.meta["author"]
    props.subject = source.meta.get("subject", "")
    props.language = "en"
    props.last_modified_by = source.meta["author"]
    props.created = source.published
    props.modified = source.published
    props.revision = 1
    props.comments = "Fictional sample document bundled with Testimony Workbench."

    for block in source.blocks:
        if block.kind == "title":
            doc.add_heading(block.text, level=0)
        elif block.kind == "heading":
            doc.add_heading(block.text, level=1)
        elif block.kind == "table":
            header, *rows = block.rows
            table = doc.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, value in zip(table.rows[0].cells, header, strict=True):
                cell.text = value
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = value
        else:
            paragraph = doc.add_paragraph(block.text)
            for run in paragraph.runs:
                run.font.size = Pt(11)

    buffer = io.BytesIO()
    doc.save(buffer)
    target.write_bytes(_normalise_zip(buffer.getvalue()))


def build_pdf(source: Source, target: Path) -> None:
    from fpdf import FPDF  # noqa: PLC0415 - developer tool, keep imports local

    pdf = FPDF(format="A4")
    pdf.set_title(source.meta["title"])
    pdf.set_author(source.meta["author"])
    pdf.set_subject(source.meta.get("subject", ""))
    pdf.set_creator("Testimony Workbench resources/sample/build_binaries.py")
    pdf.set_lang("en")
    pdf.set_creation_date(source.published)
    pdf.add_font("DejaVu", "", str(FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()

    for block in source.blocks:
        if block.kind == "title":
            pdf.set_font("DejaVu", "B", 16)
            pdf.multi_cell(0, 8, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif block.kind == "heading":
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 12.5)
            pdf.multi_cell(0, 7, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif block.kind == "table":
            pdf.set_font("DejaVu", "", 10)
            with pdf.table() as table:
                for row in block.rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
            pdf.ln(3)
        else:
            pdf.set_font("DejaVu", "", 11)
            pdf.multi_cell(0, 5.5, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)

    pdf.output(str(target))


BUILDERS = {".docx": build_docx, ".pdf": build_pdf}


def main() -> int:
    for path in sorted(SRC.glob("*.txt")):
        source = parse_source(path)
        target = HERE / source.meta["output"]
        builder = BUILDERS.get(target.suffix)
        if builder is None:
            msg = f"{path.name}: no builder for {target.suffix!r}"
            raise ValueError(msg)
        builder(source, target)
        sys.stdout.write(f"wrote {target.relative_to(HERE)} from src/{path.name}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
