"""A fuzz campaign: the properties of tests/fuzz with many examples, then coverage-guided targets.

1. Hypothesis: every target of ``tests/fuzz/properties.py`` (the cleaner on text and on HTML-ish
   markup, quotes and attributions, time expressions, the time bound) with ``--examples`` inputs each.
2. atheris (libFuzzer), when it is installed: the cleaner and the time grammar, each in its own
   process for ``--atheris-seconds``, its coverage taken from Storyline's own modules, seeded with
   a few texts and a dictionary of the words the grammars look for.

It prints, per target: inputs tried, new crashes, hits of known bugs (pinned in
tests/fuzz/test_known_bugs.py) and the slowest input; then each crash with its input and traceback.
Exit status 1 when a target found a new crash.

Usage::

    .venv/bin/python tools/fuzz.py                          # 1000 examples a target, atheris 60 s a target
    .venv/bin/python tools/fuzz.py --examples 2000 --atheris-seconds 120
    .venv/bin/python tools/fuzz.py --targets times quotes --atheris-seconds 0
    STORYLINE_FUZZ_EXAMPLES=2000 .venv/bin/pytest -q tests/fuzz   # the same properties through pytest
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # tests.fuzz, wherever the script is started from

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.fuzz import strategies  # noqa: E402  (no Storyline import: the atheris child instruments those first)

if TYPE_CHECKING:
    from tests.fuzz.properties import Target

SHOWN = 240
"""Characters of an input shown in the summary."""
_DONE = re.compile(r"^Done (\d+) runs", re.M)


@dataclass
class Result:
    """What one engine found on one target."""

    engine: str
    target: str
    inputs: int = 0
    crashes: list[str] = field(default_factory=list)
    known: int = 0
    slowest: float = 0.0
    slowest_input: str = ""
    seconds: float = 0.0

    def record(self, seconds: float, shown: Callable[[], str]) -> None:
        """Count one input that took ``seconds``; keep it (``shown()``) when it is the slowest so far.

        The first input warms up (spaCy's model, the compiled grammars) and is not timed.
        """
        self.inputs += 1
        if self.inputs > 1 and seconds > self.slowest:
            self.slowest, self.slowest_input = seconds, shown()[:SHOWN]


# --- 1. Hypothesis -----------------------------------------------------------------------------


def _crashes(exc: BaseException) -> list[str]:
    """Each distinct failure Hypothesis reports: the error, its minimal input and where it was raised."""
    group = exc.exceptions if isinstance(exc, BaseExceptionGroup) else (exc,)
    out = []
    for error in group:
        notes = "\n".join(getattr(error, "__notes__", []))
        where = "".join(traceback.format_exception(error)[-6:])
        out.append(f"{notes}\n{where}".strip())
    return out


def run_hypothesis(target: Target, examples: int) -> Result:
    """Run ``target``'s property on ``examples`` Hypothesis inputs (shrinking a failure to its minimal input)."""
    from tests.fuzz import properties

    result = Result("hypothesis", target.name)
    known_before = sum(properties.KNOWN_HITS.values())

    def one(args: tuple[Any, ...]) -> None:
        started = time.perf_counter()
        try:
            target.check(*args)
        finally:
            result.record(time.perf_counter() - started, lambda: repr(args))

    test = settings(max_examples=examples, deadline=None, database=None, report_multiple_bugs=True,
                    suppress_health_check=list(HealthCheck))(given(target.arguments)(one))
    started = time.perf_counter()
    try:
        test()
    except Exception as exc:  # the minimal failing input(s), after shrinking
        result.crashes = _crashes(exc)
    result.seconds = time.perf_counter() - started
    result.known = sum(properties.KNOWN_HITS.values()) - known_before
    return result


# --- 2. atheris ----------------------------------------------------------------------------------


def _page(data: bytes) -> tuple[Any, ...]:
    """Bytes -> a page for the cleaner; bytes that are not UTF-8 become lone surrogates."""
    return data.decode("utf-8", "surrogateescape"), None


def _dated_text(data: bytes) -> tuple[Any, ...]:
    """Bytes -> (text, publication date of any day, month or year of the calendar, or none)."""
    if len(data) < 4:
        return data.decode("utf-8", "replace"), None, None
    day = date.fromordinal(int.from_bytes(data[:3], "big") % date.max.toordinal() + 1).isoformat()
    published = (day, day[:7], day[:4], None)[data[3] % 4]
    return data[4:].decode("utf-8", "replace"), published, None


@dataclass(frozen=True, slots=True)
class _Guided:
    """A coverage-guided target: its property, how bytes become its arguments, seed texts and dictionary words."""

    target: str
    decode: Callable[[bytes], tuple[Any, ...]]
    seeds: tuple[bytes, ...]
    words: tuple[str, ...]


GUIDED: dict[str, _Guided] = {
    "clean-html": _Guided("clean-html", _page, (
        b"<html><body><article><p>The minister said on Tuesday that talks would resume.</p></article></body></html>",
        b"<table><tr><td><table><tr><td>Officials &amp; aides</td></tr></table></td></tr></table>",
        b"<p>\xe2\x80\x9cWe will not back down,\xe2\x80\x9d she said.</p><script>x()</script>",
    ), strategies.TAGS + strategies.ENTITIES + strategies.RAW_MARKUP + strategies.ATTRIBUTES),
    "times": _Guided("times", _dated_text, (
        b"\x0b\x3a\x00\x00On March 3, 2021, and on May 4, 2022, officials met.",
        b"\x0b\x3a\x00\x00The war began on February 24, 2022. Some 8000 years into the war, the talks resumed",
        b"\xff\xff\xff\x01Later that year, the following Monday, a year earlier, next Christmas, last winter.",
    ), strategies.TIME_WORDS),
}
"""The targets atheris runs: the cleaner and the time grammar."""


def _dictionary(words: Sequence[str], path: Path) -> None:
    """Write ``words`` as a libFuzzer dictionary (one quoted token a line, bytes beyond ASCII as \\xNN)."""
    lines = []
    for word in dict.fromkeys(words):
        raw = word.encode("utf-8", "surrogatepass")
        lines.append('"' + "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\x{b:02x}" for b in raw) + '"')
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def run_atheris(guided: _Guided, seconds: int, work: Path) -> Result:
    """Fuzz one target with atheris in a child process for ``seconds``; read back its figures and any crash."""
    result = Result("atheris", guided.target)
    corpus, stats = work / f"{guided.target}-corpus", work / f"{guided.target}-stats.json"
    corpus.mkdir(exist_ok=True)
    for n, seed in enumerate(guided.seeds):
        (corpus / f"seed-{n}").write_bytes(seed)
    _dictionary(guided.words, work / f"{guided.target}.dict")
    command = [sys.executable, __file__, "--atheris-child", guided.target, "--stats", str(stats), "--",
               f"-max_total_time={seconds}", "-timeout=60", "-rss_limit_mb=4096", f"-artifact_prefix={work}/{guided.target}-",
               f"-dict={work / f'{guided.target}.dict'}", str(corpus)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=seconds + 300)
    result.seconds = time.perf_counter() - started
    if stats.exists():
        figures = json.loads(stats.read_text(encoding="utf-8"))
        result.inputs, result.known = figures["inputs"], figures["known"]
        result.slowest, result.slowest_input = figures["slowest"], figures["slowest_input"]
    runs = _DONE.search(done.stderr)  # libFuzzer's own count: the child saves its figures every 200 inputs
    result.inputs = int(runs[1]) if runs else result.inputs
    if done.returncode != 0:
        found = sorted(work.glob(f"{guided.target}-crash-*")) + sorted(work.glob(f"{guided.target}-timeout-*"))
        shown = repr(guided.decode(found[0].read_bytes()))[:SHOWN] if found else "(no input saved)"
        result.crashes.append(f"input: {shown}\nsaved: {found[0] if found else '-'}\n{done.stderr[-3000:]}")
    return result


def atheris_child(name: str, stats: Path, libfuzzer: list[str]) -> None:
    """The child process: instrument Storyline's modules, then let libFuzzer drive the target."""
    import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]

    with atheris.instrument_imports(include=["storyline"]):
        from tests.fuzz import properties as guided_properties
    guided, target = GUIDED[name], guided_properties.target(name)
    result = Result("atheris", name)

    def save() -> None:
        figures = {"inputs": result.inputs, "known": sum(guided_properties.KNOWN_HITS.values()),
                   "slowest": result.slowest, "slowest_input": result.slowest_input}
        stats.write_text(json.dumps(figures), encoding="utf-8")

    def one(data: bytes) -> None:
        args = guided.decode(data)
        started = time.perf_counter()
        target.check(*args)
        slowest = result.slowest
        result.record(time.perf_counter() - started, lambda: repr(args))
        if result.slowest != slowest or result.inputs % 200 == 0:
            save()

    atheris.Setup([sys.argv[0], *libfuzzer], one)
    atheris.Fuzz()


# --- the campaign --------------------------------------------------------------------------------


def summary(results: Sequence[Result]) -> str:
    """Return the table of figures, then every crash."""
    lines = [f"{'engine':<11}{'target':<12}{'inputs':>8}{'crashes':>9}{'known-bug hits':>16}{'slowest s':>11}{'wall s':>9}  slowest input"]
    for r in results:
        lines.append(f"{r.engine:<11}{r.target:<12}{r.inputs:>8}{len(r.crashes):>9}{r.known:>16}{r.slowest:>11.3f}"
                     f"{r.seconds:>9.1f}  {r.slowest_input[:80]!s}")
    for r in results:
        for crash in r.crashes:
            lines += ["", f"=== crash: {r.engine} / {r.target} ===", crash]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the campaign; return 1 when a target found a new crash."""
    parser = argparse.ArgumentParser(description="Fuzz the cleaner, the quote finders and the time grammar.")
    parser.add_argument("--examples", type=int, default=1000, help="Hypothesis inputs per target (default 1000)")
    parser.add_argument("--atheris-seconds", type=int, default=60, help="seconds of atheris per target; 0: none (default 60)")
    parser.add_argument("--targets", nargs="*", help="targets to run (default: all)")
    parser.add_argument("--atheris-child", help=argparse.SUPPRESS)
    parser.add_argument("--stats", type=Path, help=argparse.SUPPRESS)
    args, libfuzzer = parser.parse_known_args(argv)
    if args.atheris_child:
        atheris_child(args.atheris_child, args.stats, [a for a in libfuzzer if a != "--"])
        return 0
    from tests.fuzz import properties

    names = args.targets or list(properties.names())
    results = []
    for name in names:
        print(f"hypothesis: {name} ...", file=sys.stderr, flush=True)
        results.append(run_hypothesis(properties.target(name), args.examples))
    if args.atheris_seconds > 0 and importlib.util.find_spec("atheris") is None:
        print("atheris is not installed: Hypothesis only", file=sys.stderr)
    elif args.atheris_seconds > 0:
        with tempfile.TemporaryDirectory(prefix="storyline-fuzz-") as work:
            for name in (n for n in names if n in GUIDED):
                print(f"atheris: {name} for {args.atheris_seconds} s ...", file=sys.stderr, flush=True)
                results.append(run_atheris(GUIDED[name], args.atheris_seconds, Path(work)))
    print(summary(results))
    return 1 if any(r.crashes for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
