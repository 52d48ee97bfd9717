"""The report: what a researcher hands to an editor, as one HTML page (and, drawn by the
application, a PDF of the same page).

For the selection: counts by type, the timeline picture when the application can draw it,
each dated event with its phrase and bounds and its quotes cited (document, outlet, date),
the figures in a table, then people, places and organisations with their quotes. Every
piece of text from the project is escaped: the page shows it, never runs it.
"""

from __future__ import annotations

import base64
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from workbench.domain import CancelFlag, Progress, type_title
from workbench.export.model import Cell, Dataset, ExportCancelled, WriteOptions

QUOTES_PER_RECORD = 3
IMAGE_WIDTH = 640  # the picture scaled to the page's text width
Picture = Callable[[Dataset], bytes | None]  # a PNG of the selection's timeline, or None
FIGURE_FIELDS = ("value", "min", "max", "unit", "qualifier", "total")
SECTIONS = (("person", "People"), ("place", "Places"), ("organization", "Organisations and units"))
STYLE = """
body { font-family: "DejaVu Serif", Georgia, serif; max-width: 46em; margin: 2em auto;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #bbb;
       margin-top: 1.8em; } h3 { margin-bottom: 0.2em; font-size: 1.05em; }
.meta, .bounds, cite { color: #555; font-size: 0.9em; } cite { font-style: normal; }
blockquote { margin: 0.4em 0 0.2em 1.2em; padding-left: 0.8em; border-left: 3px solid #ccc; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.2em 0.5em;
       text-align: left; vertical-align: top; }
img { max-width: 100%; }
"""


@dataclass(frozen=True)
class Source:
    """Where a quote comes from."""

    title: str
    outlet: str
    published: str

    def citation(self) -> str:
        """“Title”, outlet, published date (what is known)."""
        parts = [f"“{self.title}”", self.outlet, self.published or "date unknown"]
        return ", ".join(p for p in parts if p)


@dataclass
class Entry:
    """One record in the report, with its quotes."""

    record_id: int
    record_type: str
    label: str
    quotes: list[tuple[str, int | None]] = field(default_factory=list)


def render_html(data: Dataset, image_src: str | None, *, generated: datetime | None = None) -> str:
    """The report page for a dataset; ``image_src`` is where its timeline picture is (a
    data URL, or a name the PDF renderer resolves), None for none."""
    return report_page(data, image_src, generated=generated)[0]


def report_page(
    data: Dataset, image_src: str | None, *, generated: datetime | None = None
) -> tuple[str, int]:
    """The report page and how many records it covers (read once for both)."""
    sources = _sources(data.table("documents").rows())
    entries = _entries(data.table("records").rows())
    when = (generated or datetime.now(UTC)).strftime("%d %B %Y")
    counts = Counter(e.record_type for e in entries.values())
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(data.title)} — report</title><style>{STYLE}</style></head><body>",
        f"<h1>Report: {escape(data.title)}</h1>",
        f'<p class="meta">Report generated {when} from {len(sources)} document(s): '
        + escape(", ".join(f"{n} {type_title(t).lower()}" for t, n in sorted(counts.items())))
        + "</p>",
    ]
    if data.project_memo.strip():
        parts += ["<h2>Notes</h2>", _paragraphs(data.project_memo)]
    if image_src:
        parts += ["<h2>Timeline</h2>", f'<img alt="Timeline of the selection" width="{IMAGE_WIDTH}"'
                  f' src="{escape(image_src)}">']  # fmt: skip
    parts += _events(data.table("timeline").rows(), entries, sources)
    parts += _figures(data.table("fields").rows(), entries, sources)
    for record_type, heading in SECTIONS:
        chosen = [e for e in entries.values() if e.record_type == record_type]
        if chosen:
            parts.append(f"<h2>{heading}</h2>")
            parts += [_entry(e, sources) for e in sorted(chosen, key=lambda e: e.label.casefold())]
    parts.append("</body></html>")
    return "\n".join(parts), len(entries)


def _sources(rows: Iterable[Sequence[Cell]]) -> dict[int, Source]:
    """Documents by id (columns of DOCUMENT_COLUMNS: id, title, published, …, outlet)."""
    return {_id(r[0]): Source(str(r[1] or ""), str(r[8] or ""), str(r[2] or "")) for r in rows}


def _entries(rows: Iterable[Sequence[Cell]]) -> dict[int, Entry]:
    """Records with their quotes, from the records table (one row per evidence span)."""
    entries: dict[int, Entry] = {}
    for row in rows:
        record_id = _id(row[0])
        entry = entries.setdefault(record_id, Entry(record_id, str(row[1]), str(row[2])))
        quote = row[10]
        if quote:
            document = int(row[6]) if isinstance(row[6], int) else None
            entry.quotes.append((str(quote), document))
    return entries


def _quotes(entry: Entry | None, sources: dict[int, Source]) -> str:
    if entry is None:
        return ""
    out = []
    for quote, document in entry.quotes[:QUOTES_PER_RECORD]:
        source = sources.get(document) if document is not None else None
        cite = f"<cite>— {escape(source.citation())}</cite>" if source else ""
        out.append(f"<blockquote>“{escape(quote)}”<br>{cite}</blockquote>")
    more = len(entry.quotes) - QUOTES_PER_RECORD
    if more > 0:
        out.append(f'<p class="meta">and {more} more passage(s)</p>')
    return "\n".join(out)


def _events(rows: Iterable[Sequence[Cell]], entries: dict[int, Entry],
            sources: dict[int, Source]) -> list[str]:  # fmt: skip
    """Dated records in date order (timeline columns: id, type, label, date_text, edtf,
    earliest, latest, …)."""
    out: list[str] = []
    for row in rows:
        record_id, label, phrase, edtf = _id(row[0]), str(row[2]), row[3], row[4]
        earliest, latest = row[5] or "…", row[6] or "…"
        bounds = "year unknown" if not row[5] and not row[6] else f"{earliest} to {latest}"
        out.append(f"<h3>{escape(str(phrase or ''))} — {escape(label)}</h3>")
        out.append(f'<p class="bounds">{escape(bounds)} · EDTF {escape(str(edtf or ""))}</p>')
        out.append(_quotes(entries.get(record_id), sources))
    return ["<h2>Events</h2>", *out] if out else []


def _figures(rows: Iterable[Sequence[Cell]], entries: dict[int, Entry],
             sources: dict[int, Source]) -> list[str]:  # fmt: skip
    """Figures as a table: label, value or range, unit, qualifier, where it was said."""
    figures: dict[int, dict[str, str]] = defaultdict(dict)
    labels: dict[int, str] = {}
    for record_id, record_type, label, name, value in rows:
        if record_type == "figure" and name in FIGURE_FIELDS:
            figures[_id(record_id)][str(name)] = str(value)
            labels[_id(record_id)] = str(label)
    if not figures:
        return []
    out = ["<h2>Figures</h2>", "<table><tr><th>Figure</th><th>Value</th><th>Unit</th>"
           "<th>Qualifier</th><th>Source</th></tr>"]  # fmt: skip
    for record_id, values in figures.items():
        low, high = values.get("min"), values.get("max")
        amount = values.get("value") or (f"{low}–{high}" if low and high else low or high or "")
        entry = entries.get(record_id)
        first = entry.quotes[0][1] if entry and entry.quotes else None
        source = sources.get(first) if first is not None else None
        cells = (labels[record_id], amount, values.get("unit", ""), values.get("qualifier", ""),
                 source.citation() if source else "")  # fmt: skip
        out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return out


def _entry(entry: Entry, sources: dict[int, Source]) -> str:
    return f"<h3>{escape(entry.label)}</h3>\n{_quotes(entry, sources)}"


def _id(cell: Cell) -> int:
    """An id cell as an int (0 when empty)."""
    return cell if isinstance(cell, int) else int(str(cell or 0))


def _paragraphs(text: str) -> str:
    return "\n".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())


class HtmlReportWriter:
    """The report as one HTML file (with the timeline picture when ``picture`` draws one)."""

    format = "html"
    label = "HTML report (opens in any browser)"
    extension = ".html"
    kinds: tuple[str, ...] = ("report",)

    def __init__(self, picture: Picture | None = None) -> None:
        self.picture = picture

    def write(
        self,
        data: Dataset,
        what: str,
        path: Path,
        *,
        options: WriteOptions,
        progress: Progress | None = None,
        cancel: CancelFlag | None = None,
    ) -> int:
        """Write the page; returns how many records it covers."""
        del what, options  # one kind; text is escaped, never neutralised
        image = self.picture(data) if self.picture is not None else None
        if cancel is not None and cancel.is_set():
            raise ExportCancelled
        source = (
            f"data:image/png;base64,{base64.b64encode(image).decode('ascii')}" if image else None
        )
        page, records = report_page(data, source)
        path.write_text(page, encoding="utf-8")
        if progress is not None:
            progress(1, 1, "report written")
        return records


WRITER = HtmlReportWriter()
