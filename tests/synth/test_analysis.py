"""compare_analysis: a fresh sample of real people comes out close; a broken synthetic does not."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from htwork.synth import AnalysisComparison, AnalysisError, compare_analysis, make_synthesizer
from htwork.synth.evaluation import estimates_table

ASSOCIATION = ["gender[T.Male]", "adult[T.True]"]


def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    status = df["majorityStatus"].astype(object)
    d = pd.DataFrame({
        "sexual": df["isSexualExploit"].astype(float),
        "gender": df["gender"].astype(object),
        "adult": (status == "Adult").where(status.notna()),
    })
    d = d.dropna()
    d = d[d["gender"].isin(["Female", "Male"])]
    d["adult"] = d["adult"].astype(bool)
    return d


def logit(df: pd.DataFrame):
    """Sexual exploitation ~ gender + adult: two strong associations in the fixture."""
    return smf.logit("sexual ~ gender + adult", _prepare(df)).fit(disp=0)


@pytest.fixture(scope="module")
def fresh(split) -> AnalysisComparison:
    """The holdout, a fresh sample of real people, passed off as synthetic: the right answer."""
    train, holdout = split
    return compare_analysis(logit, train, holdout)


@pytest.fixture(scope="module")
def independent(split) -> AnalysisComparison:
    """Independent marginals: every column right, every association gone."""
    train, holdout = split
    fake = make_synthesizer("independent").fit(train).sample(len(train), seed=3)
    return compare_analysis(logit, train, fake, holdout, labels={"synthetic": "independent"})


def test_a_fresh_sample_is_close(fresh):
    e = fresh.to_frame()
    assert list(e.index) == ["Intercept", *ASSOCIATION]
    assert e["overlap_synthetic"].median() > 0.5
    assert e["close_synthetic"].all()
    assert e["sign_agrees_synthetic"].all()
    assert (e["std_diff_synthetic"].abs() < 3).all()
    assert "for 3 of 3 estimates." in fresh.verdict()


def test_the_holdout_as_synthetic_matches_the_yardstick(split):
    train, holdout = split
    c = compare_analysis(logit, train, holdout, holdout)
    e = c.to_frame()
    assert np.allclose(e["overlap_synthetic"], e["overlap_holdout"])
    assert np.allclose(e["std_diff_synthetic"], e["std_diff_holdout"])
    h = c.headline()
    assert h["close"]["synthetic"] == h["close"]["holdout"] == 3


def test_independent_marginals_lose_the_association(independent, fresh):
    e = independent.to_frame()
    for term in ASSOCIATION:
        assert e.loc[term, "overlap_synthetic"] < 0.3, term
        assert not e.loc[term, "close_synthetic"], term
        assert abs(e.loc[term, "std_diff_synthetic"]) > 3, term
        assert e.loc[term, "close_holdout"], term  # the yardstick is fine
        assert e.loc[term, "overlap_holdout"] > 0.3, term
    assert independent.not_close() == [t for t in e.index if not e.loc[t, "close_synthetic"]]
    assert set(ASSOCIATION) <= set(independent.not_close())
    assert "gender[T.Male]" in independent.verdict()
    assert "that are not" in independent.verdict() or "that is not" in independent.verdict()
    assert (independent.headline()["median_overlap"]["synthetic"]
            < fresh.headline()["median_overlap"]["synthetic"] - 0.3)


def test_a_shuffled_column_loses_its_association(split):
    train, holdout = split
    rng = np.random.default_rng(0)
    shuffled = holdout.copy()
    shuffled["gender"] = rng.permutation(shuffled["gender"].to_numpy())
    c = compare_analysis(logit, train, shuffled, holdout)
    e = c.to_frame()
    assert e.loc["gender[T.Male]", "overlap_synthetic"] < 0.2
    assert not e.loc["gender[T.Male]", "close_synthetic"]
    assert e.loc["adult[T.True]", "close_synthetic"]  # untouched association stays close


def test_the_analysis_failing_names_the_table(split):
    train, holdout = split
    no_men = holdout[holdout["gender"] != "Male"]

    def by_men(df: pd.DataFrame):
        d = _prepare(df)
        return smf.logit("sexual ~ C(gender, Treatment('Male'))", d).fit(disp=0)

    with pytest.raises(AnalysisError) as info:
        compare_analysis(by_men, train, no_men, holdout, labels={"synthetic": "my fake table"})
    text = str(info.value)
    assert "synthetic table (my fake table)" in text and "by_men" in text
    assert "what to do" in text
    with pytest.raises(AnalysisError, match="holdout table"):
        compare_analysis(by_men, train, holdout, no_men)

    def broken(df: pd.DataFrame):
        raise KeyError("no such column")

    with pytest.raises(AnalysisError, match="real table"):
        compare_analysis(broken, train, holdout)


def test_estimates_missing_from_one_table_are_reported(split):
    train, holdout = split
    no_men = holdout[holdout["gender"] != "Male"]
    c = compare_analysis(logit, train, no_men, holdout)
    assert c.missing() == {"gender[T.Male]": "synthetic"}
    e = c.to_frame()
    assert np.isnan(e.loc["gender[T.Male]", "overlap_synthetic"])
    assert not np.isnan(e.loc["gender[T.Male]", "overlap_holdout"])
    assert c.headline()["estimates_compared"] == {"synthetic": 2, "holdout": 3}
    assert "gender[T.Male] (missing in synthetic)" in c.verdict()
    assert "missing" in c.summary()
    json.dumps(c.to_dict())  # NaN-free plain data


def test_warnings_on_a_table_are_kept(split):
    train, holdout = split
    separated = holdout.copy()
    separated["isSexualExploit"] = (separated["gender"] == "Female").astype("Int64")
    c = compare_analysis(logit, train, separated)
    assert any("Separation" in w or "Convergence" in w for w in c.warnings["synthetic"])
    assert "warning on the synthetic table" in c.summary()


def _frame_analysis(df: pd.DataFrame) -> pd.DataFrame:
    from statsmodels.stats.proportion import proportion_confint

    d = _prepare(df)
    g = d.groupby("gender")["sexual"].agg(["sum", "count"])
    lo, hi = proportion_confint(g["sum"], g["count"], method="wilson")
    return pd.DataFrame({"share": g["sum"] / g["count"], "ci_low": lo, "ci_high": hi})


def test_input_types_are_read(split):
    train, holdout = split
    res = logit(train)
    ref = estimates_table(res)
    assert list(ref.columns) == ["estimate", "lower", "upper", "se"]
    assert np.allclose(ref["se"], res.bse)
    # statsmodels' array interface: names from the model
    d = _prepare(train)
    x = sm.add_constant(pd.get_dummies(d[["gender"]], drop_first=True).astype(float)
                        .to_numpy())
    arr = estimates_table(sm.Logit(d["sexual"].to_numpy(), x).fit(disp=0))
    assert list(arr.index) == ["const", "x1"]
    # a table of shares with aliases, a term column, a dict of tuples, a dict of parts
    shares = estimates_table(_frame_analysis(train))
    assert list(shares.index) == ["Female", "Male"] and shares["se"].isna().all()
    termed = estimates_table(pd.DataFrame({"term": ["a", "b"], "estimate": [1, 2],
                                           "lower": [0, 1], "upper": [2, 3]}))
    assert list(termed.index) == ["a", "b"]
    multi = _frame_analysis(train)
    multi.index = pd.MultiIndex.from_tuples([(g, "all") for g in multi.index])
    assert list(estimates_table(multi).index) == ["Female, all", "Male, all"]
    tup = estimates_table({"a": (0.5, 0.4, 0.6), "b": {"estimate": 1, "lower": 0, "upper": 2}})
    assert list(tup.index) == ["a", "b"] and tup.loc["a", "upper"] == 0.6
    parts = estimates_table({"logit": res, "shares": _frame_analysis(train)})
    assert "logit: gender[T.Male]" in parts.index and "shares: Male" in parts.index
    one = estimates_table(pd.Series({"estimate": 1.0, "lower": 0.5, "upper": 1.5}, name="x"))
    assert list(one.index) == ["x"]
    for bad in (3.0, pd.DataFrame({"a": [1]}), "text", {"a": "b"}):
        with pytest.raises(TypeError):
            estimates_table(bad)


def test_every_input_type_compares(split):
    train, holdout = split
    c = compare_analysis(_frame_analysis, train, holdout)
    e = c.to_frame()
    assert list(e.index) == ["Female", "Male"]
    assert (e["overlap_synthetic"] > 0.1).all() and e["sign_agrees_synthetic"].all()
    # with a holdout, a synthetic table no further off than the holdout is close
    c = compare_analysis(_frame_analysis, train, holdout, holdout)
    assert c.to_frame()["close_synthetic"].all()

    def as_dict(df):
        return {"logit": logit(df), "shares": _frame_analysis(df)}

    c = compare_analysis(as_dict, train, holdout, holdout, names=["logit: gender[T.Male]",
                                                                  "shares: Male"])
    assert list(c.to_frame().index) == ["logit: gender[T.Male]", "shares: Male"]
    with pytest.raises(AnalysisError, match="no table's result"):
        compare_analysis(as_dict, train, holdout, names=["nonsense"])
    with pytest.raises(AnalysisError, match="cannot be read"):
        compare_analysis(lambda df: len(df), train, holdout)


def test_odds_ratios_use_their_null(split):
    train, holdout = split

    def odds(df):
        res = logit(df)
        ci = np.exp(res.conf_int())
        return pd.DataFrame({"estimate": np.exp(res.params), "lower": ci[0], "upper": ci[1]})

    c = compare_analysis(odds, train, holdout, null=1.0)
    e = c.to_frame()
    assert e["significance_agrees_synthetic"].all() and e["sign_agrees_synthetic"].all()
    assert e.loc["gender[T.Male]", "real_upper"] < 1  # men less often sexually exploited


def test_shares_can_skip_sign_and_significance(split):
    train, holdout = split
    c = compare_analysis(_frame_analysis, train, holdout, holdout, null=None)
    e = c.to_frame()
    assert e["sign_agrees_synthetic"].isna().all()
    assert c.headline()["sign_agreement"] == {"synthetic": None, "holdout": None}
    assert "sign agrees" not in c.verdict() and "Median interval overlap" in c.verdict()
    json.dumps(c.to_dict())
    c.plot()
    import matplotlib.pyplot as plt

    plt.close("all")


def test_reports_and_plot(independent):
    text = repr(independent)
    assert independent.verdict()[:60] in text.replace("\n  ", " ")
    assert "<table>" in independent._repr_html_()
    d = independent.to_dict()
    json.dumps(d)
    assert d["labels"]["synthetic"] == "independent"
    assert {e["name"] for e in d["estimates"]} == {"Intercept", *ASSOCIATION}
    fig = independent.plot()
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert len(ax.get_yticklabels()) == 3
    fig2 = independent.plot(ASSOCIATION, title="association")
    assert fig2.axes[0].get_title() == "association"
    import matplotlib.pyplot as plt

    plt.close("all")


def test_bad_arguments(split):
    train, holdout = split
    with pytest.raises(ValueError):
        compare_analysis(logit, train, holdout, level=95)
    with pytest.raises(ValueError):
        compare_analysis(logit, train, holdout, labels={"fake": "x"})
    with pytest.raises(AnalysisError, match="not a DataFrame"):
        compare_analysis(logit, train, holdout.to_numpy())
