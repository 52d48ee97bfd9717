"""Hover cards of the timeline: an item, a count of items, a marker of items out of view.

Rich text made on purpose: every piece of user text in it goes through ``escape``.
"""

from __future__ import annotations

from ui.plain import escape
from workbench.timeline.filters import plural
from workbench.timeline.layout import Bin
from workbench.timeline.model import TimelineItem
from workbench.timeline.scale import to_date

QUOTE_MAX = 300
NAMES_SHOWN = 8


def item_card(item: TimelineItem) -> str:
    """The hover card: label, the phrase as written, EDTF, bounds, document and quote."""
    esc = escape
    kind = item.kind.replace("_", " ")
    lines = [f"<b>{esc(item.label)}</b> <i>({esc(kind)}, {esc(item.status)})</i>"]
    d = item.date
    lines.append(f"“{esc(d.text or '')}” · EDTF <tt>{esc(d.edtf or '–')}</tt>")
    lines.append(esc(d.describe()))
    if item.year_unknown:
        lines.append("<i>The year could not be worked out: its document has no published date.</i>")
    if item.inferred:
        lines.append("<i>Year or day inferred from the context of the passage.</i>")
    if item.conflict:
        lines.append("<span style='color:#d62728'><b>Sources disagree on the date:</b></span>")
        for alt in item.alternatives:
            lines.append(
                f"• “{esc(alt.text or '')}” ({esc(alt.describe())}) from {esc(alt.source)}"
            )
    if item.persons:
        lines.append("People: " + esc(", ".join(item.persons)))
    if item.places:
        lines.append("Places: " + esc(", ".join(item.places)))
    if item.passages:
        first = item.passages[0]
        quote = first.quote if len(first.quote) <= QUOTE_MAX else first.quote[:QUOTE_MAX] + "…"
        more = f" (+{len(item.passages) - 1} more passages)" if len(item.passages) > 1 else ""
        lines.append(f"<hr><b>{esc(first.document_title)}</b>{more}<br><i>“{esc(quote)}”</i>")
    return "<br>".join(lines)


def bin_card(found: Bin) -> str:
    """The hover card of a count: the period and the first few labels."""
    low = to_date(found.start).isoformat()
    high = to_date(found.end - 1).isoformat()
    return (
        f"<b>{len(found.items)} more items</b> from {low} to {high}<br>"
        + _names(found.items)
        + "<br><i>Click to zoom in on them.</i>"
    )


def marker_card(items: list[TimelineItem], side: int, lane: str) -> str:
    """The hover card of an edge marker: how many items of ``lane`` lie before (``side`` <
    0) or after the view, when, and the first few labels."""
    low = to_date(min(i.start for i in items)).isoformat()
    high = to_date(max(i.end for i in items) - 1).isoformat()
    where, key = ("before", "Ctrl+Left") if side < 0 else ("after", "Ctrl+Right")
    return (
        f"<b>{len(items)} {plural(len(items), 'item')} {where} the view</b> in "
        f"{escape(lane)}, from {low} to {high}<br>"
        + _names(items)
        + f"<br><i>Click to bring them into view ({key}: those of every lane).</i>"
    )


def _names(items: list[TimelineItem]) -> str:
    """The first few labels, one a line, and how many more."""
    names = [escape(i.label) for i in items[:NAMES_SHOWN]]
    more = len(items) - NAMES_SHOWN
    return "<br>".join(names) + (f"<br>… and {more} more" if more > 0 else "")
