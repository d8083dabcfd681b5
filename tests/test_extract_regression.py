"""Quality floor of newsclean.extract on the real dev set (slow; skips without shared data)."""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections import Counter
from pathlib import Path

import pytest

import newsclean

# Measured 0.979 (P 0.979, R 0.979) on 2026-11-25; the floor leaves room for library drift.
F1_FLOOR = 0.970
_TOKEN = re.compile(r"\w+")


def _bag(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


@pytest.mark.slow
def test_scrapinghub_f1_floor(extraction_dev_set: Path) -> None:
    """Bag-of-words macro P/R and F1 of the averages, as ../shared/tools/eval_extract.py computes them."""
    logging.disable(logging.CRITICAL)
    precisions, recalls = [], []
    with gzip.open(extraction_dev_set, "rt", encoding="utf-8") as handle:
        for line in handle:
            rec = json.loads(line)
            gold, pred = _bag(rec["text"]), _bag(newsclean.extract(rec["html"]).text)
            hits = sum((gold & pred).values())
            if pred:
                precisions.append(hits / sum(pred.values()))
            recalls.append(hits / sum(gold.values()) if gold else 1.0)
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    f1 = 2 * precision * recall / (precision + recall)
    assert len(recalls) == 181
    assert f1 >= F1_FLOOR, f"F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f}) below the floor {F1_FLOOR}"
