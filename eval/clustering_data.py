"""Load the story-clustering sets and turn annotated articles into ``StoryDoc``s.

* ``load_ecbplus`` reads ECB+ (``../shared/eval-data/clustering/ecbplus/ecbplus_docs.jsonl``):
  982 documents in 43 topics, gold label ``event_cluster`` (two similar events per topic).
  Its texts are tokenised (spaces around punctuation, one sentence per line);
  ``detokenise`` rejoins them before annotation.
* ``load_own`` reads our own ``eval/data/stories_set.jsonl`` (gold ``story`` and ``thread``), and
  ``eval/data/framing_set.jsonl`` (``FRAMING_SET``: one event told by outlets of opposite leanings
  in short leads, with same-actor distractor events; gold ``story``) in the same format.
* ``load_polnear`` reads the PolNeAR events of ``eval/data/polnear_claims.jsonl`` (33 articles of
  7 outlets, 5 events of 2016; gold ``story`` = the event); the texts come from
  ``../shared/eval-data/quotes/polnear`` and are never copied.
* ``annotate_cached`` runs the real annotation pass once per text and keeps the results in a
  pickle under ``eval/.cache/`` (one file per data set, one entry per text, keyed by a hash of
  the storyline version, the text and its date).
* ``story_doc_from`` turns one article and its annotations into what ``cluster_stories`` needs.

Nothing here copies data text into the repository: the cache folder is git-ignored.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import claim_groups_eval as polnear_set  # the PolNeAR events' reader and metadata, shared with the claim-group eval
from storyline import __version__
from storyline.link.stories import StoryDoc
from storyline.link.storydoc import story_doc
from storyline.models import TextAnnotations
from evalkit import read_jsonl  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
ECBPLUS = REPO_ROOT.parent / "shared" / "eval-data" / "clustering" / "ecbplus" / "ecbplus_docs.jsonl"
OWN_SET = REPO_ROOT / "eval" / "data" / "stories_set.jsonl"
FRAMING_SET = REPO_ROOT / "eval" / "data" / "framing_set.jsonl"
POLNEAR = polnear_set.POLNEAR
POLNEAR_EVENTS = polnear_set.SET
CACHE_DIR = REPO_ROOT / "eval" / ".cache"
OWN_REQUIRED = ("id", "text", "story")


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One article of a clustering set with its gold labels."""

    id: str
    text: str
    story: str
    thread: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    topic: int | None = None
    """ECB+ topic number (None for our own set)."""


# --- Detokenising ECB+ ---------------------------------------------------------------------


_ATTACH_LEFT = frozenset({",", ".", ":", ";", "?", "!", "%", ")", "]", "}", "...", "”", "’",
                          "'s", "'S", "n't", "N'T", "'re", "'ve", "'ll", "'d", "'m", "'RE", "'VE", "'LL", "'D", "'M"})
_ATTACH_RIGHT = frozenset({"(", "[", "{", "$", "“", "‘", "#"})
_URL_LINE = re.compile(r"^(https?|www)\b", re.IGNORECASE)


def _joined(prev: str, tok: str, nxt: str | None) -> bool:
    """Whether ``tok`` and ``nxt`` (numbers, hyphens) glue; used for "2 . 6", "11 : 25", "ram - raiders"."""
    if nxt is None:
        return False
    if tok in (".", ":") and prev[-1:].isdigit() and nxt[:1].isdigit():
        return True
    if tok == "," and prev.isdigit() and len(prev) <= 3 and len(nxt) == 3 and nxt.isdigit():
        return True
    if tok in ("-", "/") and prev[-1:].isalnum() and nxt[:1].isalnum():
        return tok == "/" or nxt[0].islower() or nxt[0].isdigit() or len(prev) <= 2
    return False


def _merged_dashes(tokens: Sequence[str]) -> list[str]:
    """Turn a dash split into hyphens ("- -") back into one "--" token."""
    out: list[str] = []
    for tok in tokens:
        if tok == "-" and out and out[-1] in ("-", "--") and len(out[-1]) < 2:
            out[-1] = "--"
        else:
            out.append(tok)
    return out


def detokenise_line(tokens: Sequence[str], quote_open: bool = False) -> tuple[str, bool]:
    """Rejoin one tokenised sentence; return it and whether a plain ``"`` is still open after it.

    ``` `` ``` and ``''`` become ``"`` (opening and closing); a plain ``"`` opens or closes by
    turns. Punctuation and clitics ("n't", "'s") attach to the word before, opening brackets,
    currency and opening quotes to the word after; "2 . 6", "11 : 25" and "ram - raiders" are
    glued, and "- -" becomes "--". A line that starts with a URL is joined without spaces.
    """
    if tokens and _URL_LINE.match(tokens[0]):
        return "".join(tokens), quote_open
    tokens = _merged_dashes(tokens)
    out: list[str] = []
    glue_next = False
    glue_all: set[int] = set()
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if i > 0 and _joined(tokens[i - 1], tok, nxt):
            glue_all.add(i)
    for i, tok in enumerate(tokens):
        left = False
        if tok == "``":
            tok, glue = '"', True
        elif tok == "''":
            tok, glue, left = '"', False, True
        elif tok == '"':
            left, glue = quote_open, not quote_open
            quote_open = not quote_open
        elif tok == "'":
            left, glue = True, False
        else:
            left, glue = tok in _ATTACH_LEFT, tok in _ATTACH_RIGHT
        if i in glue_all:
            left, glue = True, True
        if out and not (left or glue_next):
            out.append(" ")
        out.append(tok)
        glue_next = glue
    return "".join(out), quote_open


def detokenise(text: str) -> str:
    """Rejoin an ECB+ text (tokens joined by spaces, one sentence per line), keeping one sentence per line."""
    lines, open_ = [], False
    for line in text.split("\n"):
        joined, open_ = detokenise_line(line.split(), open_)
        lines.append(joined)
    return "\n".join(lines)


# --- Loading -------------------------------------------------------------------------------


def load_ecbplus(path: Path = ECBPLUS, split: str = "all") -> list[GoldDoc]:
    """Read ECB+ documents of the split: ``dev`` = odd topics, ``test`` = even topics, ``all``."""
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            topic = int(rec["topic"])
            if (split == "dev" and topic % 2 == 0) or (split == "test" and topic % 2 == 1):
                continue
            docs.append(GoldDoc(id=rec["doc_name"], text=detokenise(rec["text"]), story=rec["event_cluster"],
                                topic=topic))
    return docs


def check_own(rec: object) -> str | None:
    """Return what is wrong with one line of our own set, or None."""
    if not isinstance(rec, dict):
        return "not a JSON object"
    missing = [k for k in OWN_REQUIRED if not rec.get(k)]
    if missing:
        return f"missing {', '.join(missing)}"
    if rec.get("published") is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(rec["published"])):
        return f"published {rec['published']!r} is not YYYY-MM-DD"
    return None


def load_own(path: Path = OWN_SET) -> list[GoldDoc] | None:
    """Read our own set; None when the file does not exist. Bad lines are reported and skipped."""
    if not path.exists():
        return None
    docs = []
    for rec in read_jsonl(path, check_own):
        thread = rec.get("thread")
        docs.append(GoldDoc(id=str(rec["id"]), text=rec["text"], story=str(rec["story"]),
                            thread=str(thread) if thread is not None else None, title=rec.get("title"),
                            outlet=rec.get("outlet"), published=rec.get("published")))
    return docs


def load_polnear(events: Path = POLNEAR_EVENTS, root: Path = POLNEAR) -> list[GoldDoc] | None:
    """Read the PolNeAR articles of the claim-group set's events (gold story = event), in the set's order;
    None when the PolNeAR folder is missing."""
    if not (root / "data" / "metadata.tsv").exists():
        return None
    articles = polnear_set.polnear_articles(root)
    docs = []
    for event in polnear_set.load_set(events)[0]:
        for a in (articles[name] for name in event["articles"]):
            docs.append(GoldDoc(id=a.filename, text=polnear_set.read_text(a.path), story=str(event["event"]), title=a.title,
                                outlet=polnear_set.OUTLETS.get(a.publisher, a.publisher), published=a.published))
    return docs


# --- Annotation cache ----------------------------------------------------------------------


def text_key(text: str, published: str | None, version: str = __version__) -> str:
    """Cache key of one article: a hash of the storyline version, the text and its date."""
    return hashlib.sha256("\x00".join((version, published or "", text)).encode("utf-8")).hexdigest()


def cache_path(name: str, cache_dir: Path = CACHE_DIR, version: str = __version__) -> Path:
    return cache_dir / f"annotations-{name}-{version}.pkl"


def _load_cache(path: Path) -> dict[str, TextAnnotations]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)
        return data if isinstance(data, dict) else {}
    except Exception as exc:  # noqa: BLE001 - a stale or broken cache is rebuilt
        print(f"ignoring unreadable cache {path} ({exc!r})", file=sys.stderr)
        return {}


def _save_cache(path: Path, items: dict[str, TextAnnotations]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(items, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


@dataclass(slots=True)
class Annotated:
    """The annotations of a data set, in input order, and what it cost to get them."""

    annotations: list[TextAnnotations]
    computed: int
    seconds: float


def annotate_cached(name: str, docs: Sequence[GoldDoc], *, cache_dir: Path = CACHE_DIR, refresh: bool = False,
                    save_every: int = 100) -> Annotated:
    """Annotate the documents with ``annotate_articles``, reusing (and extending) the data set's cache."""
    from storyline.annotate.document import ArticleText, annotate_articles

    path = cache_path(name, cache_dir)
    items = {} if refresh else _load_cache(path)
    keys = [text_key(d.text, d.published) for d in docs]
    todo = [(k, d) for k, d in zip(keys, docs) if k not in items]
    todo = list({k: (k, d) for k, d in todo}.values())
    start = time.perf_counter()
    if todo:
        print(f"annotating {len(todo)} {name} articles (cache: {path.relative_to(REPO_ROOT)}) ...", file=sys.stderr)
        anns = annotate_articles(ArticleText(d.text, d.published) for _, d in todo)
        for n, ((key, _), ann) in enumerate(zip(todo, anns), 1):
            items[key] = ann
            if n % save_every == 0:
                _save_cache(path, items)
                print(f"  {n}/{len(todo)} ({n / (time.perf_counter() - start):.1f} articles/s)", file=sys.stderr)
        _save_cache(path, items)
    return Annotated([items[k] for k in keys], len(todo), time.perf_counter() - start)


# --- StoryDoc ------------------------------------------------------------------------------


def story_doc_from(article_id: str, text: str, title: str | None, outlet: str | None, published: str | None,
                   ann: TextAnnotations) -> StoryDoc:
    """Build the ``StoryDoc`` of one annotated article exactly as the product does (``storyline.link.storydoc``)."""
    return story_doc(article_id, text, ann, title=title, outlet=outlet, published=published)


def story_docs(docs: Sequence[GoldDoc], annotations: Sequence[TextAnnotations]) -> list[StoryDoc]:
    """``story_doc_from`` for every document, in order."""
    return [story_doc_from(d.id, d.text, d.title, d.outlet, d.published, a) for d, a in zip(docs, annotations)]
