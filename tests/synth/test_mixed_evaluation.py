"""Evaluation of mixed tables: metadata, numbers as quantities, regressions, the holdout."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from htwork.synth import compare_analysis, evaluate, make_synthesizer
from htwork.synth.evaluation.analysis import regression
from htwork.synth.evaluation.prep import column_types
from htwork.synth.evaluation.quality import quality_report
from tests.synth.fixtures import survey_table

FORMULA = "income ~ age + sex + edu"


@pytest.fixture(scope="module")
def tables():
    t = survey_table(3000, seed=9)
    train, holdout = t.iloc[:1500].reset_index(drop=True), t.iloc[1500:].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fake = make_synthesizer("default").fit(train).sample(1500, seed=1)
        flat = make_synthesizer("independent").fit(train).sample(1500, seed=1)
    return train, holdout, fake, flat


def test_quality_metadata_follow_the_types(tables):
    train, holdout, fake, _ = tables
    q = quality_report(train, fake, column_types(train))
    # numbers are scored by their distribution, not as categories: incomes 1% higher are
    # close as numbers, and no income is the same as a category
    shifted = holdout.copy()
    known = shifted["income"] > 0
    shifted.loc[known, "income"] = shifted.loc[known, "income"] * 1.01
    as_numbers = quality_report(train, shifted, column_types(train))["shapes"]["income"]
    as_categories = quality_report(train, shifted)["shapes"]["income"]
    assert as_numbers > 0.9 and as_categories < 0.2
    assert 0 < q["score"] <= 1 and set(q["shapes"]) == set(train.columns)


def test_missing_codes_are_not_numbers_in_a_regression(tables):
    train, *_ = tables
    fit = regression(FORMULA, types=column_types(train))(train)
    used = train["income"].notna() & (train["income"] != -8)
    assert int(fit.nobs) == int(used.sum())  # the -8 rows are left out, not fitted as -8
    naive = regression(FORMULA, types={})(train)  # without types: -8 is a number
    assert int(naive.nobs) > int(fit.nobs)


def test_regression_comparison_on_a_numeric_outcome(tables):
    train, holdout, fake, flat = tables
    good = compare_analysis(FORMULA, train, fake, holdout, labels={"synthetic": "default"})
    bad = compare_analysis(FORMULA, train, flat, holdout, labels={"synthetic": "independent"})
    e = good.to_frame()
    assert {"sex[T.M]", "age", "edu[T.primary]"} <= set(e.index)
    assert e["overlap_holdout"].notna().all()
    # independent columns lose the effects of sex and education on income; the default keeps
    # them where the holdout does
    terms = ["sex[T.M]", "edu[T.primary]", "edu[T.secondary]", "edu[T.vocational]"]
    assert (bad.to_frame().loc[terms, "overlap_synthetic"] == 0).all()
    kept = e.loc[terms]
    assert (kept.loc[kept["overlap_holdout"] > 0, "overlap_synthetic"] > 0).all()
    assert good.headline()["median_overlap"]["synthetic"] > \
        bad.headline()["median_overlap"]["synthetic"]


def test_the_holdout_gets_the_same_figures_whichever_route(tables):
    train, holdout, fake, _ = tables
    three = compare_analysis(FORMULA, train, fake, holdout).to_frame()
    alone = compare_analysis(FORMULA, train, holdout).to_frame()  # the holdout as synthetic
    for col in ("", "_lower", "_upper"):
        np.testing.assert_allclose(three[f"holdout{col}"], alone[f"synthetic{col}"])
    for col in ("overlap", "std_diff", "close"):
        np.testing.assert_allclose(three[f"{col}_holdout"].astype(float),
                                   alone[f"{col}_synthetic"].astype(float))
    parts = ("quality", "detection", "copies", "specific")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate(train, fake, holdout, parts=parts, formulas=[FORMULA], target="sex")
        ideal = evaluate(train, holdout, holdout, parts=parts, formulas=[FORMULA], target="sex")
    h, i = res.headline(), ideal.headline()
    for key in ("quality", "column_shapes", "column_pair_trends", "detection_auc",
                "exact_copy_share", f"ci_overlap[regression:{FORMULA}]"):
        assert h[key]["holdout"] == pytest.approx(i[key]["synthetic"]), key
    reg = res.figures["regression"][0]["holdout"]["terms"]
    assert [t["overlap"] for t in reg] == pytest.approx(list(alone["overlap_synthetic"]))


def test_detection_reads_numbers_as_quantities(tables):
    train, holdout, fake, _ = tables
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate(train, fake, holdout, parts=("detection", "copies"))
    assert res.figures["types"]["income"] == "integer"
    assert res.figures["types"]["registered"] == "date"
    assert abs(res.headline()["detection_auc"]["holdout"] - 0.5) < 0.06
    # numbers written as text are the same numbers: no copy is missed for 57 vs "57.0"
    text = train.copy()
    text["age"] = train["age"].map(lambda v: f"{v}.0").astype(object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = evaluate(text, train.iloc[:300], holdout, parts=("copies",))
    assert again.headline()["exact_copy_share"]["synthetic"] == 1.0


@pytest.mark.slow
def test_evaluate_runs_every_part_on_a_mixed_table(tables):
    train, holdout, fake, _ = tables
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate(train, fake, holdout, target="sex", n_attacks=60,
                       secrets=["sex", "income"], formulas=[FORMULA])
    h = res.headline()
    assert "tstr_auc[sex]" in h and "inference_pooled" in h
    assert res.to_dict()["regression"][0]["formula"] == FORMULA
    assert "regression" in res.summary()
