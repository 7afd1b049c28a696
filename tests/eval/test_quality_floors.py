"""Quality gates: the evaluation scripts' scores must not drop below their pinned floors."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.conftest import REPO, SHARED

# trafilatura's published F1 on this benchmark; ours measured 0.965 (eval/results/boilerplate.json).
BOILERPLATE_F1_FLOOR = 0.958


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "eval" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_main_text_extraction_f1_on_real_pages() -> None:
    data = SHARED / "eval-data" / "boilerplate" / "scrapinghub_aeb"
    if not data.exists():
        pytest.skip(f"{data} not found")
    ev = _load("boilerplate_eval")
    pages = ev.load_pages(data, None)
    assert len(pages) == 181
    extractor = ev.storyline_extractor()
    rows = ev.score(pages, extractor, {})
    result = ev.summarise(rows[ev.OURS].counts)
    assert rows[ev.OURS].failures == 0
    assert result["f1"] >= BOILERPLATE_F1_FLOOR, result
