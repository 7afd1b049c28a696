"""Load the time-expression gold sets: our own ``timex_set.jsonl`` and TimeML (.tml) files.

* ``load_own`` reads ``eval/data/timex_set.jsonl`` (one gold expression per line) and
  ``check_record`` says what is wrong with a line, if anything.
* ``parse_tml`` turns one TimeBank / AQUAINT document into its creation date, the text of
  ``<TEXT>`` with every tag removed (entities decoded) and the gold TIMEX3 spans as
  character offsets into that text.

Nothing here copies data text anywhere: the TimeML files stay where they are.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
OWN_SET = REPO_ROOT / "eval" / "data" / "timex_set.jsonl"
TML_DATA = REPO_ROOT.parent / "shared" / "eval-data" / "temporal" / "timebank_aquaint"
CORPORA = ("TimeBank", "AQUAINT")

TYPES = frozenset({"DATE", "TIME", "DURATION", "SET"})
GRANULARITIES = frozenset({"day", "week", "weekend", "month", "season", "quarter", "year", "decade",
                           "century", "range", "time", "duration", "vague"})
MODIFIERS = frozenset({"early", "mid", "late", "start", "end", "since", "until", "before", "after",
                       "approx", "at-least"})
REQUIRED = ("id", "category", "text", "published", "expression", "start", "end", "type", "value",
            "granularity", "modifier", "certain")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- Our own set ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldTimex:
    """One gold time expression of our own set, in its passage."""

    id: str
    category: str
    text: str
    published: str | None
    anchors: Mapping[str, str] | None
    expression: str
    start: int
    end: int
    type: str
    value: str | None
    granularity: str | None
    modifier: str | None
    certain: bool
    earliest: str | None = None
    latest: str | None = None
    """The days a counted range covers ("the past two weeks": DURATION ``P2W``), when the line gives them."""

    @property
    def passage_key(self) -> tuple[str, str | None, str]:
        """What the finder is called with: equal keys share one call."""
        return self.text, self.published, json.dumps(self.anchors or {}, sort_keys=True)


def check_record(rec: Mapping[str, object]) -> list[str]:
    """Return the problems of one JSONL record (empty when it is well-formed)."""
    missing = [k for k in REQUIRED if k not in rec]
    if missing:
        return [f"missing fields {missing}"]
    problems: list[str] = []
    text, start, end = rec["text"], rec["start"], rec["end"]
    if not (isinstance(text, str) and isinstance(start, int) and isinstance(end, int)):
        return ["text must be a string and start/end integers"]
    if text[start:end] != rec["expression"]:
        problems.append(f"text[{start}:{end}] is {text[start:end]!r}, not {rec['expression']!r}")
    published = rec["published"]
    if published is not None and not (isinstance(published, str) and _DATE_RE.fullmatch(published)):
        problems.append(f"published {published!r} is not YYYY-MM-DD or null")
    if rec["type"] not in TYPES:
        problems.append(f"type {rec['type']!r}")
    if rec["granularity"] is not None and rec["granularity"] not in GRANULARITIES:
        problems.append(f"granularity {rec['granularity']!r}")
    if rec["modifier"] is not None and rec["modifier"] not in MODIFIERS:
        problems.append(f"modifier {rec['modifier']!r}")
    if not isinstance(rec["certain"], bool):
        problems.append("certain must be true or false")
    if (rec["value"] is None) != (rec["granularity"] is None):
        problems.append("value and granularity must both be null or both set")
    for key in ("earliest", "latest"):
        if rec.get(key) is not None and not _DATE_RE.fullmatch(str(rec[key])):
            problems.append(f"{key} {rec[key]!r} is not YYYY-MM-DD")
    anchors = rec.get("anchors")
    if anchors is not None and not (isinstance(anchors, dict) and all(_DATE_RE.fullmatch(str(v)) for v in anchors.values())):
        problems.append("anchors must map names to YYYY-MM-DD")
    return problems


def load_own(path: Path = OWN_SET) -> list[GoldTimex]:
    """Read our own set; raise ValueError on the first malformed line."""
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        if problems := check_record(rec):
            raise ValueError(f"{path.name} line {n}: {'; '.join(problems)}")
        items.append(GoldTimex(rec["id"], rec["category"], rec["text"], rec["published"], rec.get("anchors"),
                               rec["expression"], rec["start"], rec["end"], rec["type"], rec["value"],
                               rec["granularity"], rec["modifier"], rec["certain"], rec.get("earliest"), rec.get("latest")))
    return items


# --- TimeML ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TmlTimex:
    """One gold TIMEX3 inside ``<TEXT>``: offsets into the tag-free text."""

    tid: str
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(slots=True)
class TmlDoc:
    """One TimeML document: its id, creation date (YYYY-MM-DD), plain text and gold TIMEX3s."""

    id: str
    corpus: str
    dct: str | None
    text: str
    timexes: list[TmlTimex] = field(default_factory=list)


def _walk(elem: ET.Element, parts: list[str], timexes: list[TmlTimex], length: int) -> int:
    """Append ``elem``'s text (children included, tags dropped) to ``parts``; return the new length."""
    start = length
    if elem.text:
        parts.append(elem.text)
        length += len(elem.text)
    for child in elem:
        length = _walk(child, parts, timexes, length)
        if child.tail:
            parts.append(child.tail)
            length += len(child.tail)
    if elem.tag == "TIMEX3":
        covered = "".join(parts)[start:length] if length > start else ""
        timexes.append(TmlTimex(elem.get("tid", ""), start, length, covered,
                                elem.get("type", ""), elem.get("value", "")))
    return length


def parse_tml(xml: str, doc_id: str = "", corpus: str = "") -> TmlDoc:
    """Parse one TimeML document string.

    The creation date is the ``value`` of the TIMEX3 with ``functionInDocument="CREATION_TIME"``
    (its first 10 characters). The text is everything inside ``<TEXT>`` with tags removed and
    XML entities decoded; TIMEX3 offsets point into it. Empty TIMEX3s (no characters) are dropped.
    """
    root = ET.fromstring(xml)
    dct = next((t.get("value", "")[:10] for t in root.iter("TIMEX3")
                if t.get("functionInDocument") == "CREATION_TIME"), None)
    body = root.find(".//TEXT")
    parts: list[str] = []
    timexes: list[TmlTimex] = []
    if body is not None:
        # <TEXT>'s own tail is outside it, so walk the element itself, not its parent.
        _walk(body, parts, timexes, 0)
    timexes = sorted((t for t in timexes if t.end > t.start), key=lambda t: (t.start, t.end))
    return TmlDoc(doc_id, corpus, dct or None, "".join(parts), timexes)


def load_tml(root: Path = TML_DATA, corpus: str = "TimeBank", limit: int | None = None) -> list[TmlDoc]:
    """Read every ``.tml`` file of one corpus folder, sorted by name."""
    files = sorted((root / corpus).glob("*.tml"))[:limit]
    if not files:
        raise FileNotFoundError(f"no .tml files in {root / corpus}")
    return [parse_tml(f.read_text(encoding="utf-8"), f.stem, corpus) for f in files]
