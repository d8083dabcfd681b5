"""The second pass of strip: its context features (against plain loops) and its wiring."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsclean import StripConfig, strip
from newsclean.stripping.features import (
    CONTEXT_NAMES,
    FEATURE_NAMES,
    context_features,
    line_features,
)
from newsclean.stripping.lines import parse_lines
from newsclean.stripping.model import LineModel, default_model

Array = npt.NDArray[np.float64]

PROSE = "The council voted on Tuesday to extend the tram line to the northern suburbs of the city."
MENU = "Home"


def _col(name: str) -> int:
    return CONTEXT_NAMES.index(name)


def _reference(words: list[int], p: list[float]) -> dict[str, list[float]]:
    """Plain loops over the lines for the probability columns of context_features."""
    n = len(p)
    kept = [q >= 0.5 for q in p]
    out: dict[str, list[float]] = {name: [] for name in (
        "prev_p", "next_p", "left_max4", "right_max4", "left_mean8", "right_mean8", "mean2", "mean4",
        "mean16", "gap_up", "gap_down", "in_main", "main_dist", "main_share", "run_share")}
    # runs of kept lines, split where more than 10 lines lie between two kept ones
    runs: list[list[int]] = []
    for i in range(n):
        if kept[i]:
            if runs and i - runs[-1][-1] - 1 <= 10:
                runs[-1].append(i)
            else:
                runs.append([i])
    total = max(sum(words), 1)
    run_words = [sum(words[i] for i in r) for r in runs]
    main = runs[run_words.index(max(run_words))] if runs else None
    for i in range(n):
        left = [p[j] for j in range(max(i - 4, 0), i)]
        right = [p[j] for j in range(i + 1, min(i + 5, n))]
        left8 = [p[j] for j in range(max(i - 8, 0), i)]
        right8 = [p[j] for j in range(i + 1, min(i + 9, n))]
        out["prev_p"].append(p[i - 1] if i else 0.0)
        out["next_p"].append(p[i + 1] if i + 1 < n else 0.0)
        out["left_max4"].append(max(left, default=0.0))
        out["right_max4"].append(max(right, default=0.0))
        out["left_mean8"].append(sum(left8) / len(left8) if left8 else 0.0)
        out["right_mean8"].append(sum(right8) / len(right8) if right8 else 0.0)
        for k in (2, 4, 16):
            around = [p[j] for j in range(max(i - k, 0), min(i + k + 1, n)) if j != i]
            out[f"mean{k}"].append(sum(around) / len(around) if around else 0.0)
        ups = [i - j for j in range(i + 1) if kept[j]]
        downs = [j - i for j in range(i, n) if kept[j]]
        out["gap_up"].append(float(np.log1p(min(ups) if ups else 1000)))
        out["gap_down"].append(float(np.log1p(min(downs) if downs else 1000)))
        if main is None:
            out["in_main"].append(0.0)
            out["main_dist"].append(float(np.log1p(1000)))
            out["main_share"].append(0.0)
        else:
            lo, hi = main[0], main[-1]
            out["in_main"].append(float(lo <= i <= hi))
            out["main_dist"].append(float(np.log1p(max(lo - i, 0) + max(i - hi, 0))))
            out["main_share"].append(max(run_words) / total)
        holding = [w for r, w in zip(runs, run_words, strict=True) if r[0] <= i <= r[-1]]
        out["run_share"].append(holding[0] / total if holding else 0.0)
    return out


@settings(max_examples=60)
@given(st.lists(st.tuples(st.integers(1, 30), st.floats(0.0, 1.0)), min_size=1, max_size=70))
def test_probability_columns_equal_plain_loops(rows: list[tuple[int, float]]) -> None:
    words = [w for w, _ in rows]
    p = np.array([q for _, q in rows])
    x = np.zeros((len(rows), len(FEATURE_NAMES)))
    x[:, FEATURE_NAMES.index("logw")] = np.log1p(words)
    got = context_features(x, p)
    want = _reference(words, p.tolist())
    for name, column in want.items():
        np.testing.assert_allclose(got[:, _col(name)], column, rtol=1e-9, atol=1e-12, err_msg=name)
    np.testing.assert_allclose(got[:, _col("p")], p)
    kept_words = sum(w for w, q in rows if q >= 0.5)
    np.testing.assert_allclose(got[:, _col("kept_share")], kept_words / sum(words))


def test_main_run_is_the_run_with_most_words() -> None:
    # two runs of kept lines 12 lines apart: the second (more words) is the main one
    words = [5] * 2 + [1] * 12 + [30] * 3
    p = np.array([0.9, 0.9] + [0.1] * 12 + [0.8, 0.2, 0.8])
    x = np.zeros((len(p), len(FEATURE_NAMES)))
    x[:, 0] = np.log1p(words)
    c = context_features(x, p)
    assert c[:, _col("in_main")].tolist() == [0.0] * 14 + [1.0] * 3
    assert c[15, _col("run_share")] == pytest.approx(60 / sum(words))  # a dropped line inside the run
    assert c[5, _col("run_share")] == 0.0
    assert c[0, _col("main_dist")] == pytest.approx(np.log1p(14))


def test_no_kept_line_and_empty_page() -> None:
    x = np.zeros((3, len(FEATURE_NAMES)))
    c = context_features(x, np.array([0.1, 0.2, 0.3]))
    assert c[:, _col("in_main")].tolist() == [0.0, 0.0, 0.0]
    assert c[:, _col("gap_up")].tolist() == [pytest.approx(np.log1p(1000))] * 3
    assert context_features(np.zeros((0, len(FEATURE_NAMES))), np.zeros(0)).shape == (0, len(CONTEXT_NAMES))


def test_own_columns_are_copied_from_the_line_features() -> None:
    lines = parse_lines("\n\n".join([MENU, PROSE, "Share on Facebook", PROSE.replace("Tuesday", "Monday")]))
    x = line_features(lines)
    c = context_features(x, np.full(len(lines), 0.5))
    for name in ("logw", "stop", "end", "bullet", "pos"):
        assert c[:, _col(f"own_{name}")].tolist() == x[:, FEATURE_NAMES.index(name)].tolist()
    assert c[:, _col("chrome")].tolist() == [1.0, 0.0, 1.0, 0.0]  # Home (menu), Share on Facebook (share)


def _inverter() -> LineModel:
    """A second pass that calls body what the first pass dropped and the other way round."""
    d = len(CONTEXT_NAMES)
    hidden = np.zeros((d, 1))
    hidden[_col("p"), 0] = 1.0
    return LineModel(mean=np.zeros(d), scale=np.ones(d), hidden_weights=hidden, hidden_bias=np.zeros(1),
                     out_weights=np.array([-20.0]), out_bias=10.0, threshold=0.5, info={})


DUMP = "\n".join([MENU, "News", "Sport", "", PROSE, "", PROSE.replace("Tuesday", "Monday") + " It cost a lot.",
                  "", "Share on Facebook", "Most Read", "Cats and dogs", "Weather today"])


def test_score_runs_the_second_pass_over_the_first() -> None:
    first = default_model()
    stacked = dataclasses.replace(first, context=_inverter())
    x = line_features(parse_lines(DUMP))
    p = first.predict(x)
    assert dataclasses.replace(first, context=None).score(x).tolist() == p.tolist()  # no second pass: the first
    np.testing.assert_array_equal(stacked.score(x), _inverter().predict(context_features(x, p)))


def test_strip_applies_the_second_pass() -> None:
    """Fails if strip bypasses the second pass: its scores are the second pass's."""
    stacked = dataclasses.replace(default_model(), context=_inverter())
    art = strip(DUMP, explain=True, config=StripConfig(model=stacked))
    lines = parse_lines(DUMP)
    want = stacked.score(line_features(lines))
    got = [d.score for d in art.decisions if d.score is not None]
    assert got == [round(float(q), 4) for q in want]
    plain = strip(DUMP, explain=True, config=StripConfig(model=dataclasses.replace(default_model(), context=None)))
    assert [d.score for d in plain.decisions] != [d.score for d in art.decisions]


def test_json_round_trip_keeps_the_second_pass() -> None:
    stacked = dataclasses.replace(default_model(), context=_inverter())
    back = LineModel.from_json(json.loads(json.dumps(stacked.to_json())))
    assert back.context is not None
    x = line_features(parse_lines(DUMP))
    np.testing.assert_array_equal(back.score(x), stacked.score(x))
    bad = stacked.to_json()
    bad["context"]["features"] = bad["context"]["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        LineModel.from_json(bad)
