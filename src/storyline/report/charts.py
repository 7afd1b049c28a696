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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date, timedelta

from markupsafe import Markup

from .svg import (
    FAINT, GUTTER_DAYS, INK, LEFT, MAX_LABELS, MONTHS, RIGHT, ROW, Scale, date_axis, day_label, empty_chart, esc,
    month_starts, note_lines, num, outlet_colours, outlet_name, parse_day, plural, row_labels, row_order, safe_href,
    short_name, svg_chart, text_at,
)

__all__ = ["TimelinePoint", "LabelCount", "timeline_chart", "outlet_activity_chart", "label_chart"]



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
class _Mark:
    point: TimelinePoint
    day: Date
    reported: Date | None
    early: bool



def _timeline_marks(points: Sequence[TimelinePoint]) -> tuple[list[_Mark], int]:
    days = [parse_day(p.date) for p in points]
    articles = [d for p, d in zip(points, days) if d is not None and p.kind != "event"]
    cutoff = min(articles) - timedelta(days=GUTTER_DAYS) if articles else None
    marks = [_Mark(p, d, parse_day(p.reported) if p.kind == "event" else None, cutoff is not None and d < cutoff)
             for p, d in zip(points, days) if d is not None]
    return marks, len(points) - len(marks)


def _tooltip(mark: _Mark) -> str:
    text = f"{outlet_name(mark.point.outlet)} · {mark.day.isoformat()} · {mark.point.label}"
    if mark.reported is None:
        return text
    lag = (mark.reported - mark.day).days
    return text + (f" (lag {plural(lag, 'day')})" if lag >= 0 else f" (reported {plural(-lag, 'day')} before it)")


def _draw_mark(mark: _Mark, x: float, y: float, colour: str, scale: Scale) -> list[str]:
    tip = f"<title>{esc(_tooltip(mark))}</title>"
    parts = []
    if mark.reported is not None:
        parts.append(f'<line class="lag" x1="{num(x)}" y1="{num(y)}" x2="{num(scale.x(mark.reported))}" y2="{num(y)}" '
                     f'stroke="{colour}" stroke-width="1.5" opacity="0.7">{tip}</line>')
    if mark.point.kind == "event":
        shape = (f'<path class="dot-event" d="M{num(x)} {num(y - 6)}L{num(x + 6)} {num(y)}L{num(x)} {num(y + 6)}'
                 f'L{num(x - 6)} {num(y)}Z" fill="#ffffff" stroke="{colour}" stroke-width="2">{tip}</path>')
    else:
        shape = (f'<circle class="dot-article" cx="{num(x)}" cy="{num(y)}" r="5" fill="{colour}" stroke="#ffffff" '
                 f'stroke-width="1">{tip}</circle>')
    href = safe_href(mark.point.href)
    return parts + [f'<a href="{esc(href)}">{shape}</a>' if href else shape]


def _row_marks(marks: list[_Mark], y: float, colour: str, scale: Scale, gutter_x: float) -> tuple[list[str], list[str]]:
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
    return [f'<circle class="legend dot-article" cx="16" cy="42" r="5" fill="{FAINT}"/>',
            text_at(26, 46, "article (publication date)", cls="legend"),
            f'<path class="legend dot-event" d="M206 36L212 42L206 48L200 42Z" fill="#ffffff" stroke="{FAINT}" stroke-width="2"/>',
            text_at(218, 46, "event (date it happened)", cls="legend"),
            f'<line class="legend lag" x1="390" y1="42" x2="420" y2="42" stroke="{FAINT}" stroke-width="1.5"/>',
            text_at(426, 46, "reporting lag", cls="legend")]


def _timeline_scale(marks: list[_Mark], gutter: bool) -> Scale:
    days = [m.day for m in marks if not m.early] + [m.reported for m in marks if m.reported is not None]
    start, end = min(days) - timedelta(days=1), max(days) + timedelta(days=1)
    return Scale(start, end, LEFT + (70 if gutter else 15), RIGHT)


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
        return empty_chart("timeline", title, "dated articles or events", undated)
    rows, hidden = row_order(Counter(m.point.outlet or None for m in marks))
    colours = outlet_colours(p.outlet for p in points)
    gutter = any(m.early for m in marks)
    scale, top = _timeline_scale(marks, gutter), 70
    bottom = top + len(rows) * ROW
    body = _timeline_legend() + row_labels(rows, colours, top, ROW) + date_axis(scale, top, bottom)
    if gutter:
        body += [f'<line class="gutter" x1="{LEFT + 50}" y1="{top}" x2="{LEFT + 50}" y2="{bottom}" stroke="#999999" '
                 f'stroke-dasharray="3 3"/>', text_at(LEFT + 25, bottom + 17, "earlier", cls="tick", anchor="middle")]
    shapes: list[str] = []
    for i, outlet in enumerate(rows):
        lines, row_shapes = _row_marks([m for m in marks if (m.point.outlet or None) == outlet],
                                       top + (i + 0.5) * ROW, colours[outlet], scale, LEFT + 25)
        body += lines
        shapes += row_shapes
    articles = sum(1 for m in marks if m.point.kind != "event")
    summary = f"{plural(articles, 'article')} and {plural(len(marks) - articles, 'event')} from {plural(len(rows) + hidden, 'outlet')}"
    return svg_chart("timeline", title, summary, bottom + 50, body + shapes + note_lines(bottom + 40, undated, hidden))



def _period_of(day: Date, kind: str) -> Date:
    return day if kind == "day" else day - timedelta(days=day.weekday()) if kind == "week" else day.replace(day=1)


def _periods(start: Date, end: Date, kind: str) -> list[Date]:
    if kind == "month":
        return month_starts(start.replace(day=1), end)
    first, step = _period_of(start, kind), 1 if kind == "day" else 7
    return [first + timedelta(days=i) for i in range(0, (end - first).days + 1, step)]


def _period_name(period: Date, kind: str) -> str:
    return {"day": period.isoformat(), "week": f"week of {period.isoformat()}"}.get(
        kind, f"{MONTHS[period.month - 1]} {period.year}")


def _activity_cells(periods: list[Date], cells: Counter[tuple[str | None, Date]], rows: list[str | None],
                    kind: str, colours: dict[str | None, str], top: float) -> list[str]:
    left, width = LEFT + 5, (RIGHT - 60 - LEFT - 5) / len(periods)
    column = {period: i for i, period in enumerate(periods)}
    most = max(cells.values())
    parts = []
    for (outlet, period), count in sorted(cells.items(), key=lambda c: (rows.index(c[0][0]), c[0][1])):
        x, height = left + column[period] * width, max(3.0, (ROW - 4) * count / most)
        y = top + (rows.index(outlet) + 1) * ROW - 2 - height
        tip = f"{outlet_name(outlet)} · {_period_name(period, kind)} · {plural(count, 'article')}"
        parts.append(f'<rect class="cell" data-count="{count}" x="{num(x + 1)}" y="{num(y)}" width="{num(max(width - 2, 1))}" '
                     f'height="{num(height)}" fill="{colours[outlet]}" fill-opacity="0.4" stroke="{colours[outlet]}" '
                     f'stroke-width="1"><title>{esc(tip)}</title></rect>')
        if width >= 16:
            parts.append(text_at(x + width / 2, top + (rows.index(outlet) + 0.5) * ROW + 4, str(count), cls="count",
                               size=10, anchor="middle", fill=INK))
    return parts


def _activity_header(periods: list[Date], kind: str, top: float) -> list[str]:
    left, width = LEFT + 5, (RIGHT - 60 - LEFT - 5) / len(periods)
    every = math.ceil(len(periods) / 12)
    parts = [text_at(RIGHT, top - 8, "total", cls="tick", anchor="end")]
    for i, period in enumerate(periods[::every]):
        label = f"{MONTHS[period.month - 1]} {period.year}" if kind == "month" else day_label(period)
        parts.append(text_at(left + (i * every + 0.5) * width, top - 8, label, cls="tick", anchor="middle"))
    return parts


def outlet_activity_chart(items: Sequence[tuple[str | None, str | None] | tuple[str | None, str | None, int]], *,
                          title: str = "Articles per outlet over time") -> Markup:
    """Draw how many articles each outlet published per period.

    One row per outlet and one column per period: a day when the dates span at most 31 days, a week
    (Monday to Sunday) up to 26 weeks, else a month. Each cell is a bar sized by its count, the count in its
    tooltip (and as text when the column is wide enough); each row ends with the outlet's total.

    Args:
        items: ``(outlet, published date)`` pairs, one per article, or ``(outlet, date, articles)`` counts.
        title: the chart's heading and accessible name.

    Returns:
        An inline ``<svg>``; a small one saying so when nothing is dated.
    """
    weighted = [(item[0] or None, item[1], item[2] if len(item) > 2 else 1) for item in items]
    dated = [(outlet, day, n) for outlet, raw, n in weighted if (day := parse_day(raw)) is not None]
    undated = sum(n for _, _, n in weighted) - sum(n for _, _, n in dated)
    if not dated:
        return empty_chart("activity", title, "dated articles", undated)
    start, end = min(d for _, d, _ in dated), max(d for _, d, _ in dated)
    kind = "day" if (end - start).days <= 31 else "week" if (end - start).days <= 26 * 7 else "month"
    totals: Counter[str | None] = Counter()
    cells: Counter[tuple[str | None, Date]] = Counter()
    for outlet, day, n in dated:
        totals[outlet] += n
        cells[(outlet, _period_of(day, kind))] += n
    rows, hidden = row_order(totals)
    cells = Counter({key: n for key, n in cells.items() if key[0] in rows})
    colours, top = outlet_colours(o for o, _, _ in weighted), 70
    bottom = top + len(rows) * ROW
    body = [text_at(10, 44, f"Articles per {kind}; bar height and number show the count, the row ends with its total.",
                  cls="legend")]
    body += row_labels(rows, colours, top, ROW) + _activity_header(_periods(start, end, kind), kind, top)
    body += _activity_cells(_periods(start, end, kind), cells, rows, kind, colours, top)
    body += [text_at(RIGHT, top + (i + 0.5) * ROW + 4, str(totals[o]), cls="total", size=12, anchor="end", fill=INK)
             for i, o in enumerate(rows)]
    summary = f"{plural(sum(totals.values()), 'article')} from {plural(len(totals), 'outlet')}, per {kind}"
    return svg_chart("activity", title, summary, bottom + 30, body + note_lines(bottom + 20, undated, hidden))



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
        parts.append(f'<text class="label-name" x="{num(x)}" y="{num(y)}" font-size="11" fill="{INK}" '
                     f'transform="rotate(-30 {num(x)} {num(y)})"><title>{esc(name)}</title>{esc(short_name(name, 22))}</text>')
    return parts


def _label_cells(cells: Counter[tuple[str | None, str | None]], rows: list[str | None], columns: list[str | None],
                 colours: dict[str | None, str], grid: tuple[float, float, float, float]) -> list[str]:
    left, top, width, height = grid
    radius, most = min(width / 2 - 2, height / 2 - 1), max(cells.values())
    parts = []
    shown = [(key, count) for key, count in cells.items() if key[0] in rows]
    for (outlet, label), count in sorted(shown, key=lambda c: (rows.index(c[0][0]), columns.index(c[0][1]))):
        x, y = left + (columns.index(label) + 0.5) * width, top + (rows.index(outlet) + 0.5) * height
        tip = f"{outlet_name(outlet)} · {'other labels' if label is None else label} · {plural(count, 'time')}"
        parts.append(f'<circle class="cell" data-count="{count}" cx="{num(x)}" cy="{num(y)}" '
                     f'r="{num(max(4.0, radius * math.sqrt(count / most)))}" fill="{colours[outlet]}" fill-opacity="0.4" '
                     f'stroke="{colours[outlet]}" stroke-width="1"><title>{esc(tip)}</title></circle>')
        parts.append(text_at(x, y + 4, str(count), cls="count", size=10, anchor="middle", fill=INK))
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
        return empty_chart("labels", title, f"labels for {actor}")
    totals: Counter[str | None] = Counter()
    for (outlet, _), count in cells.items():
        totals[outlet] += count
    rows, hidden = row_order(totals)
    colours, top, height = outlet_colours(c.outlet for c in counts), 135, 30
    left, width = LEFT + 5, min(90.0, (RIGHT - 110 - LEFT - 5) / len(columns))  # room for slanted headers
    body = [text_at(10, 44, "Circle area shows how often the outlet used the label; the number is the count.", cls="legend")]
    body += row_labels(rows, colours, top, height) + _label_header(columns, left, width, top)
    body += _label_cells(cells, rows, columns, colours, (left, top, width, height))
    bottom = top + len(rows) * height
    summary = f"{plural(len(columns), 'label')} for {actor} across {plural(len(totals), 'outlet')}"
    return svg_chart("labels", title, summary, bottom + 30, body + note_lines(bottom + 20, 0, hidden))
