"""Server-side SVG charts for the story report and the web app.

Each public function takes plain records and returns one inline ``<svg>`` as :class:`markupsafe.Markup`,
ready to drop into a Jinja2 template:

* :func:`timeline_chart` - dates across, outlets down: articles, the events they report, the lag between.
* :func:`outlet_activity_chart` - articles per outlet per day, week or month.
* :func:`label_chart` - the labels each outlet uses for one actor.

The text comes from untrusted web articles, so every data string is escaped and a link is kept only when
it is relative or http(s). The charts carry no ``style`` attributes and no scripts (the app's
Content-Security-Policy forbids inline styles): presentation attributes draw them, ``class`` names let the
page restyle them. The same input always gives the same string.

Classes for the page CSS: ``chart`` and ``chart-timeline``/``chart-activity``/``chart-labels`` on the svg;
``chart-title``, ``legend``, ``note``, ``empty``, ``row``, ``row-label``, ``outlet``, ``axis``, ``grid``,
``tick``, ``gutter``; marks ``dot-article``, ``dot-event``, ``lag``, ``cell`` (with ``data-count``),
``count``, ``total``, ``label-name``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date, timedelta
from urllib.parse import urlsplit

from markupsafe import Markup, escape

__all__ = ["TimelinePoint", "LabelCount", "timeline_chart", "outlet_activity_chart", "label_chart"]

#: Colour-blind-safe outlet colours (Okabe-Ito, then Paul Tol), handed out in sorted outlet-name order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#882255", "#117733", "#332288", "#999933")
UNKNOWN_COLOUR = "#888888"
UNKNOWN_OUTLET = "unknown outlet"
MAX_ROWS = 40
MAX_LABELS = 12
NAME_CHARS = 24
#: Events more than this many days before the first article go to the "earlier" gutter.
GUTTER_DAYS = 365

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WIDTH, _LEFT, _RIGHT, _ROW = 960, 200, 940, 24
_INK, _FAINT = "#222222", "#555555"


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """One mark on the timeline: an article at its publication date, or an event at the date it happened."""

    outlet: str | None
    date: str | None
    kind: str
    label: str
    href: str | None = None
    reported: str | None = None


@dataclass(frozen=True, slots=True)
class LabelCount:
    """How many times one outlet called an actor by one label."""

    outlet: str | None
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class _Scale:
    start: Date
    end: Date
    x0: float
    x1: float

    def x(self, day: Date) -> float:
        return self.x0 + (self.x1 - self.x0) * (day - self.start).days / max((self.end - self.start).days, 1)


@dataclass(frozen=True, slots=True)
class _Mark:
    point: TimelinePoint
    day: Date
    reported: Date | None
    early: bool



def _e(text: object) -> str:
    return str(escape(str(text)))


def _n(value: float) -> str:
    return f"{value:.1f}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _outlet(name: str | None) -> str:
    return name or UNKNOWN_OUTLET


def _short(name: str, limit: int = NAME_CHARS) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _parse(value: str | None) -> Date | None:
    try:
        return Date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _safe_href(href: str | None) -> str | None:
    """Keep a relative or http(s) link; drop anything else (``javascript:``, ``data:``, ``//host``)."""
    if not href or href.startswith("//") or "\\" in href or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in href):
        return None
    parts = urlsplit(href)
    if not parts.scheme and ":" not in href.split("/", 1)[0]:
        return href
    return href if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _colours(outlets: Iterable[str | None]) -> dict[str | None, str]:
    names = sorted({name for name in outlets if name})
    colours: dict[str | None, str] = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}
    colours[None] = UNKNOWN_COLOUR
    return colours


def _rows(totals: Counter[str | None]) -> tuple[list[str | None], int]:
    """Keep the :data:`MAX_ROWS` busiest outlets, ordered by name with the unknown outlet last."""
    busiest = sorted(totals, key=lambda o: (-totals[o], o is None, o or ""))[:MAX_ROWS]
    return sorted(busiest, key=lambda o: (o is None, o or "")), len(totals) - len(busiest)


def _svg(kind: str, title: str, summary: str, height: float, body: Iterable[str]) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
            f'aria-label="{_e(f"{title}: {summary}")}" viewBox="0 0 {_WIDTH} {height:.0f}" width="100%" '
            f'font-family="sans-serif"><title>{_e(title)}</title>'
            f'<text class="chart-title" x="10" y="22" font-size="16" font-weight="bold" fill="{_INK}">{_e(title)}</text>')
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, *, cls: str, size: int = 11, anchor: str = "start", fill: str = _FAINT) -> str:
    return (f'<text class="{cls}" x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}">{_e(text)}</text>')


def _empty(kind: str, title: str, what: str, undated: int = 0) -> Markup:
    message = f"Nothing to draw: no {what}" + (f" ({undated} undated not shown)." if undated else ".")
    return _svg(kind, title, message, 60, [_text(10, 46, message, cls="empty", size=13)])


def _row_labels(rows: Sequence[str | None], colours: dict[str | None, str], top: float, height: float) -> list[str]:
    parts = []
    for i, outlet in enumerate(rows):
        y, name = top + i * height, _outlet(outlet)
        if i % 2 == 0:
            parts.append(f'<rect class="row" x="0" y="{_n(y)}" width="{_WIDTH}" height="{_n(height)}" fill="#f4f4f4"/>')
        parts.append(f'<g class="row-label"><title>{_e(name)}</title>'
                     f'<rect x="10" y="{_n(y + height / 2 - 5)}" width="10" height="10" fill="{colours[outlet]}"/>'
                     + _text(26, y + height / 2 + 4, _short(name), cls="outlet", size=12, fill=_INK) + "</g>")
    return parts


def _notes(y: float, undated: int, hidden: int) -> list[str]:
    notes = ([f"{undated} undated not shown"] if undated else []) + (
        [f"{hidden} more {'outlet' if hidden == 1 else 'outlets'} not shown"] if hidden else [])
    return [_text(10, y, " · ".join(notes), cls="note")] if notes else []



def _day_label(day: Date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}"


def _month_starts(start: Date, end: Date) -> list[Date]:
    year, month = start.year, start.month
    if start.day > 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    months = []
    while Date(year, month, 1) <= end:
        months.append(Date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _ticks(start: Date, end: Date) -> list[tuple[Date, str]]:
    """Choose ticks by span: days or Mondays (``Jan 15``), months (``Feb 2025``) or years (``2025``)."""
    span = (end - start).days
    if span <= 120:
        step = 1 if span <= 12 else 7
        first = start if step == 1 else start + timedelta(days=(7 - start.weekday()) % 7)
        return [(first + timedelta(days=i), _day_label(first + timedelta(days=i)))
                for i in range(0, (end - first).days + 1, step)]
    if span <= 4 * 366:
        months = _month_starts(start, end)
        step = next(s for s in (1, 2, 3, 6, 12) if len(months) / s <= 12)
        return [(d, f"{_MONTHS[d.month - 1]} {d.year}") for d in months if (d.month - 1) % step == 0]
    years = range(start.year + (start != Date(start.year, 1, 1)), end.year + 1)
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if len(years) / s <= 12)
    return [(Date(y, 1, 1), str(y)) for y in years if y % step == 0]


def _axis(scale: _Scale, top: float, bottom: float) -> list[str]:
    parts = [f'<line class="axis" x1="{_n(scale.x0)}" y1="{_n(bottom)}" x2="{_n(scale.x1)}" y2="{_n(bottom)}" '
             f'stroke="{_FAINT}" stroke-width="1"/>']
    for day, label in _ticks(scale.start, scale.end):
        x = _n(scale.x(day))
        parts.append(f'<line class="grid" x1="{x}" y1="{_n(top)}" x2="{x}" y2="{_n(bottom + 4)}" stroke="#cccccc" '
                     f'stroke-width="1"/>')
        parts.append(_text(scale.x(day), bottom + 17, label, cls="tick", anchor="middle"))
    return parts



def _timeline_marks(points: Sequence[TimelinePoint]) -> tuple[list[_Mark], int]:
    days = [_parse(p.date) for p in points]
    articles = [d for p, d in zip(points, days) if d is not None and p.kind != "event"]
    cutoff = min(articles) - timedelta(days=GUTTER_DAYS) if articles else None
    marks = [_Mark(p, d, _parse(p.reported) if p.kind == "event" else None, cutoff is not None and d < cutoff)
             for p, d in zip(points, days) if d is not None]
    return marks, len(points) - len(marks)


def _tooltip(mark: _Mark) -> str:
    text = f"{_outlet(mark.point.outlet)} · {mark.day.isoformat()} · {mark.point.label}"
    if mark.reported is None:
        return text
    lag = (mark.reported - mark.day).days
    return text + (f" (lag {_plural(lag, 'day')})" if lag >= 0 else f" (reported {_plural(-lag, 'day')} before it)")


def _draw_mark(mark: _Mark, x: float, y: float, colour: str, scale: _Scale) -> list[str]:
    tip = f"<title>{_e(_tooltip(mark))}</title>"
    parts = []
    if mark.reported is not None:
        parts.append(f'<line class="lag" x1="{_n(x)}" y1="{_n(y)}" x2="{_n(scale.x(mark.reported))}" y2="{_n(y)}" '
                     f'stroke="{colour}" stroke-width="1.5" opacity="0.7">{tip}</line>')
    if mark.point.kind == "event":
        shape = (f'<path class="dot-event" d="M{_n(x)} {_n(y - 6)}L{_n(x + 6)} {_n(y)}L{_n(x)} {_n(y + 6)}'
                 f'L{_n(x - 6)} {_n(y)}Z" fill="#ffffff" stroke="{colour}" stroke-width="2">{tip}</path>')
    else:
        shape = (f'<circle class="dot-article" cx="{_n(x)}" cy="{_n(y)}" r="5" fill="{colour}" stroke="#ffffff" '
                 f'stroke-width="1">{tip}</circle>')
    href = _safe_href(mark.point.href)
    return parts + [f'<a href="{_e(href)}">{shape}</a>' if href else shape]


def _row_marks(marks: list[_Mark], y: float, colour: str, scale: _Scale, gutter_x: float) -> tuple[list[str], list[str]]:
    """Draw one row: lag lines first so the marks sit on top; marks sharing a spot stack up and down."""
    lines: list[str] = []
    shapes: list[str] = []
    taken: Counter[int] = Counter()
    for mark in sorted(marks, key=lambda m: (m.day, m.point.kind, m.point.label, m.point.href or "", m.reported or m.day)):
        x = gutter_x if mark.early else scale.x(mark.day)
        slot = taken[round(x / 4)]
        taken[round(x / 4)] += 1
        dy = (0, 5, -5, 9, -9)[slot % 5]
        drawn = _draw_mark(mark, x + 3 * (slot // 5), y + dy, colour, scale)
        lines.extend(drawn[:-1])
        shapes.append(drawn[-1])
    return lines, shapes


def _timeline_legend() -> list[str]:
    return [f'<circle class="legend dot-article" cx="16" cy="42" r="5" fill="{_FAINT}"/>',
            _text(26, 46, "article (publication date)", cls="legend"),
            f'<path class="legend dot-event" d="M206 36L212 42L206 48L200 42Z" fill="#ffffff" stroke="{_FAINT}" stroke-width="2"/>',
            _text(218, 46, "event (date it happened)", cls="legend"),
            f'<line class="legend lag" x1="390" y1="42" x2="420" y2="42" stroke="{_FAINT}" stroke-width="1.5"/>',
            _text(426, 46, "reporting lag", cls="legend")]


def _timeline_scale(marks: list[_Mark], gutter: bool) -> _Scale:
    days = [m.day for m in marks if not m.early] + [m.reported for m in marks if m.reported is not None]
    start, end = min(days) - timedelta(days=1), max(days) + timedelta(days=1)
    return _Scale(start, end, _LEFT + (70 if gutter else 15), _RIGHT)


def timeline_chart(points: Sequence[TimelinePoint], *, title: str = "Story timeline") -> Markup:
    """Draw the story's timeline: dates across, outlets down.

    Each article is a filled dot at its publication date; each event a hollow diamond at its date, joined to
    its report's publication date by a thin line (the reporting lag, in days in the tooltip). Events more
    than :data:`GUTTER_DAYS` before the first article sit in an "earlier" gutter left of the axis.

    Args:
        points: articles and events; undated ones are counted and noted, not drawn.
        title: the chart's heading and accessible name.

    Returns:
        An inline ``<svg>``; a small one saying so when nothing is dated.
    """
    marks, undated = _timeline_marks(points)
    if not marks:
        return _empty("timeline", title, "dated articles or events", undated)
    rows, hidden = _rows(Counter(m.point.outlet or None for m in marks))
    colours = _colours(p.outlet for p in points)
    gutter = any(m.early for m in marks)
    scale, top = _timeline_scale(marks, gutter), 70
    bottom = top + len(rows) * _ROW
    body = _timeline_legend() + _row_labels(rows, colours, top, _ROW) + _axis(scale, top, bottom)
    if gutter:
        body += [f'<line class="gutter" x1="{_LEFT + 50}" y1="{top}" x2="{_LEFT + 50}" y2="{bottom}" stroke="#999999" '
                 f'stroke-dasharray="3 3"/>', _text(_LEFT + 25, bottom + 17, "earlier", cls="tick", anchor="middle")]
    shapes: list[str] = []
    for i, outlet in enumerate(rows):
        lines, row_shapes = _row_marks([m for m in marks if (m.point.outlet or None) == outlet],
                                       top + (i + 0.5) * _ROW, colours[outlet], scale, _LEFT + 25)
        body += lines
        shapes += row_shapes
    articles = sum(1 for m in marks if m.point.kind != "event")
    summary = f"{_plural(articles, 'article')} and {_plural(len(marks) - articles, 'event')} from {_plural(len(rows) + hidden, 'outlet')}"
    return _svg("timeline", title, summary, bottom + 50, body + shapes + _notes(bottom + 40, undated, hidden))



def _period_of(day: Date, kind: str) -> Date:
    return day if kind == "day" else day - timedelta(days=day.weekday()) if kind == "week" else day.replace(day=1)


def _periods(start: Date, end: Date, kind: str) -> list[Date]:
    if kind == "month":
        return _month_starts(start.replace(day=1), end)
    first, step = _period_of(start, kind), 1 if kind == "day" else 7
    return [first + timedelta(days=i) for i in range(0, (end - first).days + 1, step)]


def _period_name(period: Date, kind: str) -> str:
    return {"day": period.isoformat(), "week": f"week of {period.isoformat()}"}.get(
        kind, f"{_MONTHS[period.month - 1]} {period.year}")


def _activity_cells(periods: list[Date], cells: Counter[tuple[str | None, Date]], rows: list[str | None],
                    kind: str, colours: dict[str | None, str], top: float) -> list[str]:
    left, width = _LEFT + 5, (_RIGHT - 60 - _LEFT - 5) / len(periods)
    column = {period: i for i, period in enumerate(periods)}
    most = max(cells.values())
    parts = []
    for (outlet, period), count in sorted(cells.items(), key=lambda c: (rows.index(c[0][0]), c[0][1])):
        x, height = left + column[period] * width, max(3.0, (_ROW - 4) * count / most)
        y = top + (rows.index(outlet) + 1) * _ROW - 2 - height
        tip = f"{_outlet(outlet)} · {_period_name(period, kind)} · {_plural(count, 'article')}"
        parts.append(f'<rect class="cell" data-count="{count}" x="{_n(x + 1)}" y="{_n(y)}" width="{_n(max(width - 2, 1))}" '
                     f'height="{_n(height)}" fill="{colours[outlet]}" fill-opacity="0.4" stroke="{colours[outlet]}" '
                     f'stroke-width="1"><title>{_e(tip)}</title></rect>')
        if width >= 16:
            parts.append(_text(x + width / 2, top + (rows.index(outlet) + 0.5) * _ROW + 4, str(count), cls="count",
                               size=10, anchor="middle", fill=_INK))
    return parts


def _activity_header(periods: list[Date], kind: str, top: float) -> list[str]:
    left, width = _LEFT + 5, (_RIGHT - 60 - _LEFT - 5) / len(periods)
    every = math.ceil(len(periods) / 12)
    parts = [_text(_RIGHT, top - 8, "total", cls="tick", anchor="end")]
    for i, period in enumerate(periods[::every]):
        label = f"{_MONTHS[period.month - 1]} {period.year}" if kind == "month" else _day_label(period)
        parts.append(_text(left + (i * every + 0.5) * width, top - 8, label, cls="tick", anchor="middle"))
    return parts


def outlet_activity_chart(items: Sequence[tuple[str | None, str | None]], *,
                          title: str = "Articles per outlet over time") -> Markup:
    """Draw how many articles each outlet published per period.

    One row per outlet and one column per period: a day when the dates span at most 31 days, a week
    (Monday to Sunday) up to 26 weeks, else a month. Each cell is a bar sized by its count, the count in its
    tooltip (and as text when the column is wide enough); each row ends with the outlet's total.

    Args:
        items: ``(outlet, published date)`` pairs, one per article.
        title: the chart's heading and accessible name.

    Returns:
        An inline ``<svg>``; a small one saying so when nothing is dated.
    """
    dated = [(outlet or None, day) for outlet, raw in items if (day := _parse(raw)) is not None]
    undated = len(items) - len(dated)
    if not dated:
        return _empty("activity", title, "dated articles", undated)
    start, end = min(d for _, d in dated), max(d for _, d in dated)
    kind = "day" if (end - start).days <= 31 else "week" if (end - start).days <= 26 * 7 else "month"
    rows, hidden = _rows(Counter(outlet for outlet, _ in dated))
    cells = Counter((outlet, _period_of(day, kind)) for outlet, day in dated if outlet in rows)
    colours, top = _colours(o for o, _ in items), 70
    bottom = top + len(rows) * _ROW
    body = [_text(10, 44, f"Articles per {kind}; bar height and number show the count, the row ends with its total.",
                  cls="legend")]
    body += _row_labels(rows, colours, top, _ROW) + _activity_header(_periods(start, end, kind), kind, top)
    body += _activity_cells(_periods(start, end, kind), cells, rows, kind, colours, top)
    totals = Counter(outlet for outlet, _ in dated)
    body += [_text(_RIGHT, top + (i + 0.5) * _ROW + 4, str(totals[o]), cls="total", size=12, anchor="end", fill=_INK)
             for i, o in enumerate(rows)]
    summary = f"{_plural(len(dated), 'article')} from {_plural(len(totals), 'outlet')}, per {kind}"
    return _svg("activity", title, summary, bottom + 30, body + _notes(bottom + 20, undated, hidden))



def _label_columns(counts: Sequence[LabelCount]) -> tuple[list[str | None], Counter[tuple[str | None, str | None]]]:
    """Rank labels by use; past :data:`MAX_LABELS` fold the rest into one ``None`` ("other labels") column."""
    totals: Counter[str] = Counter()
    for c in counts:
        totals[c.label] += max(c.count, 0)
    ranked = sorted((label for label in totals if totals[label] > 0), key=lambda label: (-totals[label], label))
    kept = set(ranked[:MAX_LABELS])
    columns: list[str | None] = [*ranked[:MAX_LABELS], *([None] if len(ranked) > MAX_LABELS else [])]
    cells: Counter[tuple[str | None, str | None]] = Counter()
    for c in counts:
        if c.count > 0:
            cells[(c.outlet or None, c.label if c.label in kept else None)] += c.count
    return columns, cells


def _label_header(columns: list[str | None], left: float, width: float, top: float) -> list[str]:
    parts = []
    for i, label in enumerate(columns):
        x, y, name = left + (i + 0.5) * width, top - 8, "other labels" if label is None else label
        parts.append(f'<text class="label-name" x="{_n(x)}" y="{_n(y)}" font-size="11" fill="{_INK}" '
                     f'transform="rotate(-30 {_n(x)} {_n(y)})"><title>{_e(name)}</title>{_e(_short(name, 22))}</text>')
    return parts


def _label_cells(cells: Counter[tuple[str | None, str | None]], rows: list[str | None], columns: list[str | None],
                 colours: dict[str | None, str], grid: tuple[float, float, float, float]) -> list[str]:
    left, top, width, height = grid
    radius, most = min(width / 2 - 2, height / 2 - 1), max(cells.values())
    parts = []
    shown = [(key, count) for key, count in cells.items() if key[0] in rows]
    for (outlet, label), count in sorted(shown, key=lambda c: (rows.index(c[0][0]), columns.index(c[0][1]))):
        x, y = left + (columns.index(label) + 0.5) * width, top + (rows.index(outlet) + 0.5) * height
        tip = f"{_outlet(outlet)} · {'other labels' if label is None else label} · {_plural(count, 'time')}"
        parts.append(f'<circle class="cell" data-count="{count}" cx="{_n(x)}" cy="{_n(y)}" '
                     f'r="{_n(max(4.0, radius * math.sqrt(count / most)))}" fill="{colours[outlet]}" fill-opacity="0.4" '
                     f'stroke="{colours[outlet]}" stroke-width="1"><title>{_e(tip)}</title></circle>')
        parts.append(_text(x, y + 4, str(count), cls="count", size=10, anchor="middle", fill=_INK))
    return parts


def label_chart(actor: str, counts: Sequence[LabelCount], *, title: str | None = None) -> Markup:
    """Draw how each outlet labels one actor: outlets down, labels across.

    Labels are ordered by use, most used first; past :data:`MAX_LABELS` the rest are summed into one
    "other labels" column. Each cell holds a circle whose area follows the count, with the count as text.

    Args:
        actor: the actor's display name.
        counts: per-outlet label counts; counts of zero or less are ignored.
        title: the chart's heading; defaults to ``How outlets label {actor}``.

    Returns:
        An inline ``<svg>``; a small one saying so when there are no labels.
    """
    title = title if title is not None else f"How outlets label {actor}"
    columns, cells = _label_columns(counts)
    if not cells:
        return _empty("labels", title, f"labels for {actor}")
    totals: Counter[str | None] = Counter()
    for (outlet, _), count in cells.items():
        totals[outlet] += count
    rows, hidden = _rows(totals)
    colours, top, height = _colours(c.outlet for c in counts), 135, 30
    left, width = _LEFT + 5, min(90.0, (_RIGHT - 110 - _LEFT - 5) / len(columns))  # room for slanted headers
    body = [_text(10, 44, "Circle area shows how often the outlet used the label; the number is the count.", cls="legend")]
    body += _row_labels(rows, colours, top, height) + _label_header(columns, left, width, top)
    body += _label_cells(cells, rows, columns, colours, (left, top, width, height))
    bottom = top + len(rows) * height
    summary = f"{_plural(len(columns), 'label')} for {actor} across {_plural(len(totals), 'outlet')}"
    return _svg("labels", title, summary, bottom + 30, body + _notes(bottom + 20, 0, hidden))
