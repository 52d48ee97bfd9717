"""Regenerate the committed PDF fixtures in tests/data/ (run by hand; tests never call it).

Needs fpdf2 and Pillow (dev extras) and two system fonts: DejaVu Sans (Debian fonts-dejavu-core)
and Symbola (Debian fonts-symbola) for the emoji. The generated files are committed so that the
tests do not depend on the fonts. Usage: ``.venv/bin/python tests/data/make_fixtures.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import EncryptionMethod, XPos, YPos
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SYMBOLA = Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")

TITLE = "Testimony of a soldier — «Я не хотел воевать»"
AUTHOR = "Olena Petrenko"
PARAGRAPHS = (
    "“I did not want to fight,” he said. «Я не хотел воевать».",
    "The unit crossed the border on Feb. 24 with ‘more than 40’ vehicles.",
    "Flags 🇺🇦 hung from the windows 🙂 of the village.",
)
LEFT_COLUMN = "Left column: the first witness spoke about the night of the shelling and the cellar."
RIGHT_COLUMN = "Right column: the second witness described the checkpoint and the queue of cars."
SECRET = "s3cret"
FIXED_DATE = datetime(2024, 1, 1, tzinfo=UTC)


def _new_pdf() -> FPDF:
    """A page setup shared by every fixture, with DejaVu Sans and an emoji fallback font."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)  # reproducible output
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.add_font("Symbola", fname=str(SYMBOLA))
    pdf.set_fallback_fonts(["Symbola"])
    pdf.set_font("DejaVu", size=12)
    return pdf


def _write_paragraphs(pdf: FPDF, paragraphs: tuple[str, ...]) -> None:
    """One paragraph per multi_cell, a blank gap between paragraphs."""
    for paragraph in paragraphs:
        pdf.multi_cell(0, 8, paragraph, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(6)


def make_article() -> None:
    """Two pages of text with curly quotes, Cyrillic and emoji, plus a title and an author."""
    pdf = _new_pdf()
    pdf.set_title(TITLE)
    pdf.set_author(AUTHOR)
    pdf.add_page()
    _write_paragraphs(pdf, PARAGRAPHS[:2])
    pdf.add_page()
    _write_paragraphs(pdf, PARAGRAPHS[2:])
    pdf.output(str(HERE / "article.pdf"))


def make_two_columns() -> None:
    """One page laid out in two columns, to check that the left column is read first."""
    pdf = _new_pdf()
    pdf.add_page()
    # The right column starts a little higher, so reading by height alone would start there.
    for column, top, text in ((20.0, 32.0, LEFT_COLUMN), (115.0, 30.0, RIGHT_COLUMN)):
        pdf.set_xy(column, top)
        pdf.multi_cell(75, 5.5, text, align="L")
    pdf.output(str(HERE / "two_columns.pdf"))


def make_encrypted() -> None:
    """Text behind a user password (AES-128), which the importer must refuse."""
    pdf = _new_pdf()
    pdf.add_page()
    _write_paragraphs(pdf, PARAGRAPHS[:1])
    pdf.set_encryption(
        owner_password="owner", user_password=SECRET, encryption_method=EncryptionMethod.AES_128
    )
    pdf.output(str(HERE / "encrypted.pdf"))


def make_owner_only() -> None:
    """Encrypted with an empty user password (only editing is restricted): it must import."""
    pdf = _new_pdf()
    pdf.add_page()
    _write_paragraphs(pdf, PARAGRAPHS[:1])
    pdf.set_encryption(owner_password="owner", encryption_method=EncryptionMethod.AES_128)
    pdf.output(str(HERE / "owner_only.pdf"))


def make_scanned() -> None:
    """A page that holds only an image, like a scan without OCR."""
    image = Image.new("L", (200, 80), color=255)
    draw = ImageDraw.Draw(image)
    for y in range(10, 70, 12):
        draw.line((10, y, 190, y), fill=0, width=4)
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_page()
    pdf.image(image, x=20, y=20, w=120)
    pdf.output(str(HERE / "scanned.pdf"))


if __name__ == "__main__":
    make_article()
    make_two_columns()
    make_encrypted()
    make_owner_only()
    make_scanned()
