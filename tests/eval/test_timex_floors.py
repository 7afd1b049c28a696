"""Quality gates for time expressions: our own annotated set and the real TimeML corpora."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO, SHARED

sys.path.insert(0, str(REPO / "eval"))
import timex_data  # noqa: E402
import timex_eval  # noqa: E402

# Measured (eval/results/timex.json, `.venv/bin/python eval/timex_eval.py --dataset all`).
OWN_FLOORS = {"value accuracy": 0.99, "granularity accuracy": 0.99, "span recall (any overlap)": 0.99, "type accuracy": 0.98}
TML_FLOORS = {  # corpus -> (relaxed span F1, value F1)
    "TimeBank": (0.93, 0.82),
    "AQUAINT": (0.94, 0.78),
}


def test_own_set_floors() -> None:
    result = timex_eval.score_own(timex_data.load_own())
    assert result.failures == 0
    rows = timex_eval.own_rows(result.outcomes)
    for name, floor in OWN_FLOORS.items():
        right, n = rows[name]
        assert right / n >= floor, (name, right, n)


@pytest.mark.parametrize("corpus", sorted(TML_FLOORS))
def test_timeml_floors(corpus: str) -> None:
    root = SHARED / "eval-data" / "temporal" / "timebank_aquaint"
    if not root.exists():
        pytest.skip(f"{root} not found")
    result = timex_eval.score_tml(timex_data.load_tml(root, corpus))
    summary = timex_eval.tml_summary(result.all)
    span_floor, value_floor = TML_FLOORS[corpus]
    assert result.failures == 0
    assert summary["relaxed"]["f1"] >= span_floor, summary["relaxed"]
    assert summary["value"]["f1"] >= value_floor, summary["value"]
