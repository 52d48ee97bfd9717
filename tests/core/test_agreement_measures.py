"""The agreement measures on spans alone: hand-computed cases, the literature's worked
examples and a maintained implementation of Krippendorff's alpha."""

from __future__ import annotations

import random
import threading

import krippendorff
import numpy as np
import pytest

from workbench.agreement import counts as cp
from workbench.agreement import unitized
from workbench.agreement.report import AgreementCancelled, Text, build
from workbench.agreement.spans import Span, units


def _figures(a: list[Span], b: list[Span], length: int) -> tuple[float | None, ...]:
    marks = [units(a), units(b)]
    counted = cp.count(marks, length)
    return (
        cp.percentage(counted).value,
        cp.kappa(counted).value,
        unitized.alpha([unitized.tally(marks, length)]).value,
    )


def _flags(spans: list[Span], length: int) -> list[int]:
    flags = [0] * length
    for start, end in spans:
        flags[start:end] = [1] * (end - start)
    return flags


def test_units_join_overlapping_spans_and_keep_touching_ones_apart() -> None:
    assert units([(5, 9), (0, 3), (2, 4), (6, 7), (9, 12)]) == [(0, 4), (5, 9), (9, 12)]


def test_kappa_and_percentage_by_hand() -> None:
    # 10 code points; A marks 0-4, B marks 2-6: 2 both, 2 A only, 2 B only, 4 neither.
    # po = 6/10; pe = .4 × .4 + .6 × .6 = .52; kappa = (.6 - .52) / (1 - .52) = 1/6.
    percent, kappa, _ = _figures([(0, 4)], [(2, 6)], 10)
    assert percent == pytest.approx(60.0)
    assert kappa == pytest.approx(1 / 6)


def test_kappa_agrees_with_the_contingency_table_formula() -> None:
    """Cohen's kappa as 2(ad - bc) / ((a+b)(b+d) + (a+c)(c+d)) from the 2×2 table of code
    points, counted one by one: a second formulation, on random spans."""
    rng = random.Random(15)
    for _ in range(200):
        length = rng.randint(5, 60)
        marks = []
        for _annotator in range(2):
            spans = []
            for _span in range(rng.randint(1, 4)):
                start = rng.randrange(length)
                spans.append((start, rng.randint(start + 1, length)))
            marks.append(spans)
        first, second = (_flags(m, length) for m in marks)
        a = sum(x and y for x, y in zip(first, second, strict=True))
        b = sum(x and not y for x, y in zip(first, second, strict=True))
        c = sum(y and not x for x, y in zip(first, second, strict=True))
        d = length - a - b - c
        denominator = (a + b) * (b + d) + (a + c) * (c + d)
        figure = cp.kappa(cp.count([units(m) for m in marks], length))
        if denominator == 0:
            assert figure.value is None
        else:
            assert figure.value == pytest.approx(2 * (a * d - b * c) / denominator)
        percent = cp.percentage(cp.count([units(m) for m in marks], length))
        assert percent.value == pytest.approx(100 * (a + d) / length)


def test_kappa_matches_krippendorffs_nominal_alpha_where_they_coincide() -> None:
    """With equal shares of marked code points, kappa is Scott's pi, and the nominal alpha
    of the ``krippendorff`` package over the same code points is 1 - (2N-1)/(2N)·(1 - pi)
    (two coders, no missing values): B's spans are A's moved, so both mark as many."""
    rng = random.Random(2004)
    checked = 0
    for _ in range(100):
        length = rng.randint(20, 200)
        spans = units((s, s + rng.randint(1, 8)) for s in rng.sample(range(length - 10), 3))
        shift = rng.randint(-3, 3)
        moved = [(s + shift, e + shift) for s, e in spans if s + shift >= 0]
        if len(moved) < len(spans) or moved[-1][1] > length:
            continue
        figure = cp.kappa(cp.count([spans, units(moved)], length))
        data = np.array([_flags(spans, length), _flags(moved, length)])
        if figure.value is None or len(set(data.flatten())) < 2:
            continue
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        n = length
        assert 1 - (2 * n - 1) / (2 * n) * (1 - figure.value) == pytest.approx(expected)
        checked += 1
    assert checked >= 30


def test_identical_annotations_agree_fully() -> None:
    assert _figures([(3, 9), (12, 15)], [(12, 15), (3, 9)], 40) == (100.0, 1.0, 1.0)


def test_kappa_is_undefined_where_chance_agreement_is_one() -> None:
    figure = cp.kappa(cp.count([[(0, 10)], [(0, 10)]], 10))
    assert figure.value is None
    assert "expected agreement is 1" in figure.reason
    assert cp.kappa(cp.unmarked(10, 2)).value is None
    assert cp.percentage(cp.unmarked(10, 2)).value == 100.0


def test_one_annotator_and_no_text_give_no_figure() -> None:
    one = cp.count([[(0, 4)]], 10)
    assert cp.kappa(one).value is None and "two annotators" in cp.kappa(one).reason
    assert unitized.alpha([unitized.tally([[(0, 4)]], 10)]).reason == unitized.FEW_ANNOTATORS
    assert cp.percentage(cp.count([[], []], 0)).value is None
    assert unitized.alpha([unitized.tally([[], []], 10)]).reason == unitized.NO_UNITS


def test_unitized_alpha_by_hand_overlapping_units() -> None:
    """L = 10, A: 0-4, B: 2-6. Observed: δ² = (0-2)² + (4-6)² = 8 each way, uDo =
    16 / (2·1·10²) = .08. Expected: units 4, 4 (N = 2); gaps 6 (A), 2 and 4 (B); each unit
    gives (N-1)(2·64 - 3·16 + 4)/3 = 28 and 4²·((6-4+1) + (4-4+1)) = 64; uDe = 2/10 · 184 /
    (20·19 - 2·4·3) = 36.8/356; αu = 1 - .08·356/36.8 = 26/115."""
    tally = unitized.tally([[(0, 4)], [(2, 6)]], 10)
    assert unitized.disagreements(tally) == pytest.approx((8 / 100, 36.8 / 356))
    assert unitized.alpha([tally]).value == pytest.approx(26 / 115)


def test_unitized_alpha_by_hand_a_unit_in_the_others_gap() -> None:
    """L = 10, A: 0-4, B: nothing. Observed: A's unit lies in B's gap, δ² = 4² each way,
    uDo = 32/200. Expected: one unit (N = 1), gaps 6 and 10: 4²·(3 + 7) = 160; uDe = 2/10 ·
    160 / (20·19 - 12) = 32/368; αu = 1 - .16·368/32 = -0.84."""
    tally = unitized.tally([[(0, 4)], []], 10)
    assert unitized.disagreements(tally) == pytest.approx((16 / 100, 32 / 368))
    assert unitized.alpha([tally]).value == pytest.approx(-0.84)


def test_unitized_alpha_of_krippendorff_2004() -> None:
    """The worked example of Krippendorff, K. (2004), Content Analysis: An Introduction to
    Its Methodology, 2nd ed., Sage, p. 254 (as DKPro Agreement's test of
    ``KrippendorffAlphaUnitizingAgreement`` also gives it): two observers on a continuum of
    300 (from 150), codes c and k. c: uDo = .0144, uDe = .0532, cαu = .7286; k: uDo = 0,
    uDe = .0490, kαu = 1; αu = .8591 from the rounded parts (.8587 unrounded)."""
    c = [units([(75, 145), (220, 250)]), units([(70, 150), (205, 225), (250, 270)])]
    k = [units([(30, 90), (150, 200)]), units([(30, 90), (150, 200)])]
    tally_c, tally_k = unitized.tally(c, 300), unitized.tally(k, 300)
    observed, expected = unitized.disagreements(tally_c)
    assert float(observed) == pytest.approx(0.0144, abs=5e-5)
    assert float(expected) == pytest.approx(0.0532, abs=5e-5)
    assert unitized.alpha([tally_c]).value == pytest.approx(0.7286, abs=5e-5)
    observed, expected = unitized.disagreements(tally_k)
    assert observed == 0
    assert float(expected) == pytest.approx(0.0490, abs=5e-5)
    assert unitized.alpha([tally_k]).value == 1.0
    assert unitized.alpha([tally_c, tally_k]).value == pytest.approx(0.8591, abs=5e-4)


def _krippendorff_1995(stretch: int) -> dict[str, list[list[Span]]]:
    """The four pairs of observers of Krippendorff, K. (1995), On the reliability of
    unitizing continuous data, Sociological Methodology 25: 47-76, p. 57, on a continuum
    of 24 (times ``stretch``)."""
    pairs = {
        "A": [[(2, 10), (14, 20)], [(4, 8), (15, 17)]],
        "B": [[(0, 18)], [(0, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 9), (9, 10)]],
        "C": [[(2, 8), (10, 12), (14, 18), (20, 22)],
              [(0, 2), (4, 8), (10, 14), (16, 18), (20, 22)]],
        "D": [[(0, 2), (2, 10), (10, 14), (14, 20), (20, 24)],
              [(0, 4), (4, 8), (8, 15), (15, 17), (17, 24)]],
    }  # fmt: skip
    return {
        name: [[(s * stretch, e * stretch) for s, e in spans] for spans in observers]
        for name, observers in pairs.items()
    }


def test_unitized_alpha_of_krippendorff_1995() -> None:
    """Krippendorff (1995, p. 57 and table 1): the observed disagreements of the four pairs
    (B's second observer marks units that touch: they stay seven units), and the expected
    ones of A and D on a fine continuum; that table's expected values of B and C are not
    those of the published formula (2004) to three digits, so they are left out."""
    observed = {"A": 0.03125, "B": 2.26736, "C": 0.02778, "D": 0.38715}
    for name, observers in _krippendorff_1995(1).items():
        tally = unitized.tally([units(s) for s in observers], 24)
        assert float(unitized.disagreements(tally)[0]) == pytest.approx(observed[name], abs=1e-5)
    expected = {"A": (0.06990, 0.553), "D": (0.41445, 0.066)}
    fine = _krippendorff_1995(50_000)
    for name, (disagreement, alpha) in expected.items():
        tally = unitized.tally([units(s) for s in fine[name]], 24 * 50_000)
        assert float(unitized.disagreements(tally)[1]) == pytest.approx(disagreement, abs=1e-4)
        assert unitized.alpha([tally]).value == pytest.approx(alpha, abs=1e-3)


def test_texts_one_after_another_make_one_continuum() -> None:
    """Two texts tallied apart and added up give the alpha of the same spans on one text
    made of both, where a gap crossing from one into the other is cut in two."""
    first = unitized.tally([[(2, 5)], [(3, 6)]], 10)
    second = unitized.tally([[(1, 4)], []], 8)
    together = unitized.Tally(2)
    together.add(first)
    together.add(second)
    assert together.continuum == 18
    assert sorted(together.gaps) == sorted([2, 5, 3, 4, 1, 4, 8])
    joined = unitized.tally([[(2, 5), (11, 14)], [(3, 6)]], 18)
    assert together.observed == joined.observed
    assert unitized.alpha([together]).value is not None


def test_many_units_counted_by_length_give_the_same_disagreement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A corpus's tallies count their units by length; the figures stay those of the units
    taken one by one."""
    rng = random.Random(95)
    marks = [units((s, s + rng.randint(1, 9)) for s in rng.sample(range(2000), 120))
             for _ in range(3)]  # fmt: skip
    assert len(marks[0]) > unitized.SMALL
    by_length = unitized.disagreements(unitized.tally(marks, 2010))
    monkeypatch.setattr(unitized, "SMALL", 10_000)
    one_by_one = unitized.disagreements(unitized.tally(marks, 2010))
    assert by_length == pytest.approx(one_by_one, rel=1e-12)


def test_a_cancelled_table_stops_between_documents() -> None:
    cancel = threading.Event()
    cancel.set()
    texts = [Text(i, f"t{i}", 20) for i in range(1, 101)]
    passages = {i: {"person": {"A": [(0, 5)], "B": [(1, 5)]}} for i in range(1, 101)}
    assert len(build(texts, passages, ["A", "B"]).rows) == 2 + 100 * 2
    with pytest.raises(AgreementCancelled):
        build(texts, passages, ["A", "B"], cancel=cancel)
