"""SVG drawing pieces shared by the charts: sizes and palette, escaping, colours, rows, text, date ticks and the axis.

Every data string that reaches the SVG goes through :func:`esc`; links only through :func:`safe_href`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date, timedelta
from urllib.parse import urlsplit

from markupsafe import Markup, escape

#: Colour-blind-safe outlet colours (Okabe-Ito, then Paul Tol), handed out in sorted outlet-name order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#882255", "#117733", "#332288", "#999933")
UNKNOWN_COLOUR = "#888888"
UNKNOWN_OUTLET = "unknown outlet"
MAX_ROWS = 40
MAX_LABELS = 12
NAME_CHARS = 24
#: Events more than this many days before the first article go to the "earlier" gutter.
GUTTER_DAYS = 365

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WIDTH, LEFT, RIGHT, ROW = 960, 200, 940, 24
INK, FAINT = "#222222", "#555555"

@dataclass(frozen=True, slots=True)
class Scale:
    start: Date
    end: Date
    x0: float
    x1: float

    def x(self, day: Date) -> float:
        return self.x0 + (self.x1 - self.x0) * (day - self.start).days / max((self.end - self.start).days, 1)


def esc(text: object) -> str:
    return str(escape(str(text)))


def num(value: float) -> str:
    return f"{value:.1f}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def outlet_name(name: str | None) -> str:
    return name or UNKNOWN_OUTLET


def short_name(name: str, limit: int = NAME_CHARS) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def parse_day(value: str | None) -> Date | None:
    try:
        return Date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def safe_href(href: str | None) -> str | None:
    """Keep a relative or http(s) link; drop anything else (``javascript:``, ``data:``, ``//host``)."""
    if not href or href.startswith("//") or "\\" in href or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in href):
        return None
    parts = urlsplit(href)
    if not parts.scheme and ":" not in href.split("/", 1)[0]:
        return href
    return href if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def outlet_colours(outlets: Iterable[str | None]) -> dict[str | None, str]:
    names = sorted({name for name in outlets if name})
    colours: dict[str | None, str] = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}
    colours[None] = UNKNOWN_COLOUR
    return colours


def row_order(totals: Counter[str | None]) -> tuple[list[str | None], int]:
    """Keep the :data:`MAX_ROWS` busiest outlets, ordered by name with the unknown outlet last."""
    busiest = sorted(totals, key=lambda o: (-totals[o], o is None, o or ""))[:MAX_ROWS]
    return sorted(busiest, key=lambda o: (o is None, o or "")), len(totals) - len(busiest)


def svg_chart(kind: str, title: str, summary: str, height: float, body: Iterable[str]) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
            f'aria-label="{esc(f"{title}: {summary}")}" viewBox="0 0 {WIDTH} {height:.0f}" width="100%" '
            f'font-family="sans-serif"><title>{esc(title)}</title>'
            f'<text class="chart-title" x="10" y="22" font-size="16" font-weight="bold" fill="{INK}">{esc(title)}</text>')
    return Markup(head + "".join(body) + "</svg>")


def text_at(x: float, y: float, text: str, *, cls: str, size: int = 11, anchor: str = "start", fill: str = FAINT) -> str:
    return (f'<text class="{cls}" x="{num(x)}" y="{num(y)}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}">{esc(text)}</text>')


def empty_chart(kind: str, title: str, what: str, undated: int = 0) -> Markup:
    message = f"Nothing to draw: no {what}" + (f" ({undated} undated not shown)." if undated else ".")
    return svg_chart(kind, title, message, 60, [text_at(10, 46, message, cls="empty", size=13)])


def row_labels(rows: Sequence[str | None], colours: dict[str | None, str], top: float, height: float) -> list[str]:
    parts = []
    for i, outlet in enumerate(rows):
        y, name = top + i * height, outlet_name(outlet)
        if i % 2 == 0:
            parts.append(f'<rect class="row" x="0" y="{num(y)}" width="{WIDTH}" height="{num(height)}" fill="#f4f4f4"/>')
        parts.append(f'<g class="row-label"><title>{esc(name)}</title>'
                     f'<rect x="10" y="{num(y + height / 2 - 5)}" width="10" height="10" fill="{colours[outlet]}"/>'
                     + text_at(26, y + height / 2 + 4, short_name(name), cls="outlet", size=12, fill=INK) + "</g>")
    return parts


def note_lines(y: float, undated: int, hidden: int) -> list[str]:
    notes = ([f"{undated} undated not shown"] if undated else []) + (
        [f"{hidden} more {'outlet' if hidden == 1 else 'outlets'} not shown"] if hidden else [])
    return [text_at(10, y, " · ".join(notes), cls="note")] if notes else []



def day_label(day: Date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


def month_starts(start: Date, end: Date) -> list[Date]:
    year, month = start.year, start.month
    if start.day > 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    months = []
    while Date(year, month, 1) <= end:
        months.append(Date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def date_ticks(start: Date, end: Date) -> list[tuple[Date, str]]:
    """Choose ticks by span: days or Mondays (``Jan 15``), months (``Feb 2025``) or years (``2025``)."""
    span = (end - start).days
    if span <= 120:
        step = 1 if span <= 12 else 7
        first = start if step == 1 else start + timedelta(days=(7 - start.weekday()) % 7)
        return [(first + timedelta(days=i), day_label(first + timedelta(days=i)))
                for i in range(0, (end - first).days + 1, step)]
    if span <= 4 * 366:
        months = month_starts(start, end)
        step = next(s for s in (1, 2, 3, 6, 12) if len(months) / s <= 12)
        return [(d, f"{MONTHS[d.month - 1]} {d.year}") for d in months if (d.month - 1) % step == 0]
    years = range(start.year + (start != Date(start.year, 1, 1)), end.year + 1)
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if len(years) / s <= 12)
    return [(Date(y, 1, 1), str(y)) for y in years if y % step == 0]


def date_axis(scale: Scale, top: float, bottom: float) -> list[str]:
    parts = [f'<line class="axis" x1="{num(scale.x0)}" y1="{num(bottom)}" x2="{num(scale.x1)}" y2="{num(bottom)}" '
             f'stroke="{FAINT}" stroke-width="1"/>']
    for day, label in date_ticks(scale.start, scale.end):
        x = num(scale.x(day))
        parts.append(f'<line class="grid" x1="{x}" y1="{num(top)}" x2="{x}" y2="{num(bottom + 4)}" stroke="#cccccc" '
                     f'stroke-width="1"/>')
        parts.append(text_at(scale.x(day), bottom + 17, label, cls="tick", anchor="middle"))
    return parts
