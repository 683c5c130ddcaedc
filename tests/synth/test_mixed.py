"""Synthesis of mixed tables: numbers, dates, missing codes, relations, DP bounds, bad input."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from htwork.errors import InputError
from htwork.synth import make_synthesizer
from htwork.synth.constraints import Implies, Range
from htwork.synth.relations import Check, Derived
from htwork.synth.types import infer_types
from tests.synth.fixtures import survey_table

SD2011 = Path(__file__).resolve().parents[2].parent / "shared" / "realdata" / "sd2011.csv"
RELATIONS = [Derived("bmi", "weight / (height / 100) ** 2"),
             Check("ymarr >= 2011 - age", name="married after birth"),
             Implies({"majority": "Adult"}, {"age": Range(18)})]


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return survey_table(1500, seed=5)


@pytest.fixture(scope="module")
def fitted(survey):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        syn = make_synthesizer("default", rules=RELATIONS).fit(survey)
    return syn, syn.sample(1500, seed=1)


def test_types_are_inferred(survey):
    t = infer_types(survey)
    kinds = {c: t[c].kind for c in survey.columns}
    assert kinds == {"sex": "categorical", "age": "integer", "agegr": "categorical",
                     "majority": "categorical", "edu": "categorical", "income": "integer",
                     "height": "integer", "weight": "integer", "bmi": "number",
                     "marital": "categorical", "ymarr": "year", "registered": "date"}
    assert t["income"].missing == ((-8, "code -8"),)
    # numbers written as text read the same, and words standing for missing become reasons
    text = survey.astype(object).where(survey.notna(), None).astype(str)
    text = text.where(survey.notna(), None)
    text.loc[:40, "income"] = "refused"
    tt = infer_types(text)
    assert tt["age"].kind == "integer" and tt["income"].kind == "integer"
    assert dict(tt["income"].missing) == {-8: "code -8", "refused": "refused"}
    # declared types and missing-reason labels win
    d = infer_types(survey, {"income": {"kind": "number", "missing": {-8: "not applicable"}}})
    assert d["income"].kind == "number" and d["income"].reasons == ["not applicable"]


def test_numbers_stay_in_range_and_keep_their_type(survey, fitted):
    syn, out = fitted
    assert list(out.columns) == list(survey.columns)
    assert out.dtypes.tolist() == survey.dtypes.tolist()
    for c in ("age", "height", "weight"):
        assert out[c].min() >= survey[c].min() and out[c].max() <= survey[c].max(), c
    known = out["income"][out["income"] > 0]
    real = survey["income"][survey["income"] > 0]
    assert known.min() >= real.min() and known.max() <= real.max()
    assert (np.mod(known, 1) == 0).all()  # integers stay whole
    assert (np.mod(out["ymarr"].dropna(), 1) == 0).all()
    # the missing code is kept as a code, with its share; blanks stay blank
    assert set(out["income"][out["income"] < 0]) == {-8}
    share = (out["income"] == -8).mean()
    assert abs(share - (survey["income"] == -8).mean()) < 0.03
    assert out["income"].isna().any()
    # round values (heaped incomes) keep their exact share: they describe groups
    top = survey["income"].value_counts().index[1]
    assert abs((out["income"] == top).mean() - (survey["income"] == top).mean()) < 0.03
    # numbers keep their relations with categories
    by_sex = out.groupby("sex")["height"].mean()
    assert by_sex["M"] - by_sex["F"] > 8


def test_text_numbers_stay_text(survey):
    text = survey.copy()
    for c in ("age", "income"):
        text[c] = survey[c].map(lambda v: None if pd.isna(v) else f"{v:g}").astype(object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = make_synthesizer("default").fit(text).sample(300, seed=2)
    assert out["age"].dtype == object
    assert out["age"].map(lambda v: v.isdigit()).all()
    assert set(out["income"].dropna()[out["income"].dropna().str.startswith("-")]) <= {"-8"}


def test_a_planted_unique_income_never_appears(survey):
    df = survey.copy()
    df.loc[7, "income"] = 27350.0  # one person's exact income, far above the others
    df.loc[8, "income"] = 1234.0   # and one inside the crowd
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        syn = make_synthesizer("default").fit(df)
    out = pd.concat([syn.sample(3000, seed=s) for s in range(5)])
    assert not (out["income"] == 27350).any()
    assert not (out["income"] == 1234).any()
    # no exact value seen fewer than 5 times in training is ever emitted
    counts = df["income"].value_counts()
    rare = set(counts[counts < 5].index)
    assert not (set(out["income"].dropna()) & rare)
    assert out["income"].max() <= 27350


def test_declared_relations_hold_in_every_row(survey, fitted):
    syn, out = fitted
    assert np.allclose(out["bmi"], out["weight"] / (out["height"] / 100) ** 2, equal_nan=True)
    married = out["ymarr"].notna()
    assert married.any()
    assert (out.loc[married, "ymarr"] >= 2011 - out.loc[married, "age"]).all()
    assert (out["age"][out["majority"] == "Adult"] >= 18).all()
    # the band relation the data carry (agegr is a band of age) holds too
    for label, (lo, hi) in {"16-24": (16, 24), "25-34": (25, 34), "60+": (60, 90)}.items():
        ages = out.loc[out["agegr"] == label, "age"]
        assert ages.between(lo, hi).all(), label
    # a relation that the training data break is still kept, with a warning
    broken = survey.copy()
    broken.loc[:3, "ymarr"] = 1900.0
    with pytest.warns(UserWarning, match="married after birth"):
        syn2 = make_synthesizer("default", rules=RELATIONS).fit(broken)
    o2 = syn2.sample(800, seed=3)
    m = o2["ymarr"].notna()
    assert (o2.loc[m, "ymarr"] >= 2011 - o2.loc[m, "age"]).all()


@pytest.mark.slow
def test_relations_hold_with_every_backend(survey):
    for name in ("cart", "independent", "gaussiancopula"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = make_synthesizer(name, rules=RELATIONS).fit(survey).sample(400, seed=0)
        assert np.allclose(out["bmi"], out["weight"] / (out["height"] / 100) ** 2,
                           equal_nan=True), name
        m = out["ymarr"].notna()
        assert (out.loc[m, "ymarr"] >= 2011 - out.loc[m, "age"]).all(), name
        assert (out["age"] >= 18).all(), name


def test_dates_round_trip_as_dates(survey, fitted):
    syn, out = fitted
    assert pd.api.types.is_datetime64_any_dtype(out["registered"])
    assert out["registered"].min() >= survey["registered"].min()
    assert out["registered"].max() <= survey["registered"].max()
    assert (out["registered"].dt.normalize() == out["registered"]).all()  # whole days
    # dates written as text come back as text in the same format
    text = survey[["sex", "edu", "registered"]].copy()
    text["registered"] = survey["registered"].dt.strftime("%d/%m/%Y")
    t = infer_types(text)
    assert t["registered"].kind == "date" and t["registered"].date_format == "%d/%m/%Y"
    back = make_synthesizer("default").fit(text).sample(300, seed=1)
    parsed = pd.to_datetime(back["registered"], format="%d/%m/%Y")
    assert parsed.notna().all() and back["registered"].dtype == object
    assert parsed.min() >= survey["registered"].min()


def test_seeds_give_identical_output(survey):
    for name in ("default", "cart", "gaussiancopula"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            syn = make_synthesizer(name, rules=RELATIONS).fit(survey)
        a, b, c = syn.sample(300, seed=7), syn.sample(300, seed=7), syn.sample(300, seed=8)
        pd.testing.assert_frame_equal(a, b)
        assert not a.equals(c), name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = make_synthesizer("default", rules=RELATIONS).fit(survey).sample(300, seed=7)
        y = make_synthesizer("default", rules=RELATIONS).fit(survey).sample(300, seed=7)
    pd.testing.assert_frame_equal(x, y)  # fitting is deterministic too


def test_conditions_on_numbers(fitted):
    syn, _ = fitted
    out = syn.sample(200, seed=4, conditions={"age": Range(30, 39), "sex": "F"})
    assert out["age"].between(30, 39).all() and (out["sex"] == "F").all()


def test_save_and_load_mixed(fitted, tmp_path):
    syn, _ = fitted
    back = type(syn).load(syn.save(tmp_path / "m.pkl"))
    pd.testing.assert_frame_equal(syn.sample(100, seed=2), back.sample(100, seed=2))


# --- differential privacy ----------------------------------------------------------------------

DP_TYPES = {"age": {"kind": "integer", "bounds": (0, 110)},
            "income": {"kind": "integer", "bounds": (0, 20000), "missing": {-8: "n/a"}},
            "height": {"kind": "integer", "bounds": (100, 230)},
            "weight": {"kind": "integer", "bounds": (20, 250)},
            "ymarr": {"kind": "year", "bounds": (1900, 2011)},
            "registered": {"kind": "date", "bounds": ("2010-01-01", "2012-12-31")}}


def _dp_table(survey: pd.DataFrame) -> pd.DataFrame:
    return survey.drop(columns=["bmi", "agegr", "majority"])


def test_dp_needs_bounds_for_numbers(survey):
    with pytest.raises(InputError, match="public bounds") as err:
        make_synthesizer("dp", epsilon=1.0).fit(_dp_table(survey))
    assert err.value.column == "age"


def test_dp_domain_respected(survey):
    df = _dp_table(survey)
    domain = {"sex": ["F", "M"], "edu": ["primary", "vocational", "secondary", "higher", "none"],
              "marital": ["married", "single"], "income": [None], "ymarr": [None]}
    for fit in range(4):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            syn = make_synthesizer("dp", epsilon=1.0, delta=1e-7, types=DP_TYPES,
                                   domain=domain).fit(df)
        assert syn.privacy_["epsilon"] == 1.0 and syn.privacy_["delta"] == 1e-7
        out = syn.sample(len(df), seed=fit)
        for c, t in DP_TYPES.items():
            lo, hi = t["bounds"]
            v = out[c]
            if c == "registered":
                lo, hi = pd.Timestamp(lo), pd.Timestamp(hi)
            else:
                v = v[v != -8]
            v = v.dropna()
            assert (v >= lo).all() and (v <= hi).all(), c
        assert (np.mod(out["age"], 1) == 0).all()
        # no missing cell where the declared domain has none and the data have none
        for c in ("sex", "edu", "marital", "age", "height", "weight", "registered"):
            assert out[c].notna().all(), (fit, c)
        # no category outside the declared domain
        for c in ("sex", "edu", "marital"):
            assert set(out[c]) <= set(domain[c]), c


def test_dp_never_invents_missing_in_a_declared_domain():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.choice(list("xyz"), 600), "b": rng.choice(["p", "q"], 600),
                       "c": rng.choice(["u", "v", "w", "s"], 600)})
    domain = {"a": list("xyzt"), "b": ["p", "q"], "c": ["u", "v", "w", "s"]}
    for _ in range(8):
        out = make_synthesizer("dp", epsilon=0.3, domain=domain).fit(df).sample(600, seed=0)
        assert out.notna().all().all()
    # a column that does have missing cells keeps them when its count is clear
    df.loc[:199, "b"] = None  # a third: clearly above the noise (4 sigma ~ 100 at eps 1)
    out = make_synthesizer("dp", epsilon=1.0, domain=domain).fit(df).sample(600, seed=0)
    assert out["b"].isna().mean() > 0.1


# --- bad input ---------------------------------------------------------------------------------


def test_numeric_column_all_missing_is_a_clear_error(survey):
    df = survey.copy()
    df["income"] = np.nan
    with pytest.raises(InputError, match="every cell is missing") as err:
        make_synthesizer("default").fit(df)
    assert err.value.column == "income"
    df["income"] = -8.0  # only missing codes: nothing to learn either
    with pytest.raises(InputError, match="every cell is missing"):
        make_synthesizer("default", types={"income": {"kind": "integer", "missing": [-8]}}
                         ).fit(df)


def test_dates_in_mixed_formats_are_a_clear_error(survey):
    df = survey[["sex", "edu"]].copy()
    df["seen"] = survey["registered"].dt.strftime("%Y-%m-%d")
    df.loc[10, "seen"] = "31/01/2011"
    with pytest.raises(InputError, match="more than one format") as err:
        make_synthesizer("default").fit(df)
    assert err.value.column == "seen" and err.value.row == 10
    assert "31/01/2011" in str(err.value)


def test_a_number_of_one_value_is_a_clear_error(survey):
    df = survey.copy()
    df["wave"] = 3
    with pytest.raises(InputError, match="one value|every value is 3") as err:
        make_synthesizer("default", types={"wave": "integer"}).fit(df)
    assert err.value.column == "wave"
    # undeclared, a constant is a category of one value and is kept as it is
    out = make_synthesizer("default").fit(df).sample(50, seed=0)
    assert (out["wave"] == 3).all()


def test_a_bound_narrower_than_the_data_is_a_clear_error(survey):
    with pytest.raises(InputError, match="outside the declared bounds") as err:
        make_synthesizer("default", bounds={"age": (18, 80)}).fit(survey)
    assert err.value.column == "age" and err.value.row is not None
    bad = survey.loc[err.value.row, "age"]
    assert bad < 18 or bad > 80
    with pytest.raises(InputError, match="outside the declared bounds"):
        make_synthesizer("dp", epsilon=1.0, types={**DP_TYPES, "age": {
            "kind": "integer", "bounds": (30, 40)}}).fit(_dp_table(survey))


def test_bad_input_writes_nothing(survey, tmp_path):
    from tests.synth.test_cli import _run

    df = survey.copy()
    df["registered"] = survey["registered"].dt.strftime("%Y-%m-%d")
    df.loc[5, "registered"] = "05/01/2011"
    src, out = tmp_path / "train.csv", tmp_path / "synthetic.csv"
    df.to_csv(src, index=False)
    with pytest.raises(InputError, match="more than one format"):
        _run(["synth", str(src), "--n", "50", "--seed", "1", "--out", str(out)])
    assert not out.exists()


def test_inputs_are_not_modified(survey):
    before = survey.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        make_synthesizer("default", rules=RELATIONS).fit(survey).sample(50, seed=0)
    pd.testing.assert_frame_equal(survey, before)


# --- the real table ----------------------------------------------------------------------------


@pytest.mark.skipif(not SD2011.exists(), reason="the real-data folder ../shared/realdata is "
                    "absent (SD2011 is not in the repository): nothing to test here")
def test_sd2011_types_and_synthesis():
    df = pd.read_csv(SD2011)
    t = infer_types(df)
    assert {c for c in df.columns if t[c].numeric} == {
        "age", "unempdur", "income", "ymarr", "ysepdiv", "depress", "nofriend", "nociga",
        "wkabdur", "height", "weight", "bmi"}
    assert t["income"].missing == ((-8, "code -8"),) and t["ymarr"].kind == "year"
    train = df.sample(2500, random_state=1).reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        syn = make_synthesizer("default", rules=[Derived("bmi", "weight / (height / 100) ** 2"),
                                                 Check("ymarr >= 2011 - age")]).fit(train)
    out = syn.sample(2500, seed=1)
    assert out.dtypes.tolist() == train.dtypes.tolist()
    inc = out["income"].dropna()
    assert set(inc[inc < 0]) <= {-8} and inc.max() <= train["income"].max()
    for label, ages in out.groupby("agegr")["age"]:
        real = train.loc[train["agegr"] == label, "age"]
        assert ages.min() >= real.min() and ages.max() <= real.max(), label


def test_a_band_read_from_the_data_allows_every_missing_reason():
    # hours worked abroad is -8 (not applicable) for people who did not work abroad, but one
    # of them has hours recorded: the band rule read from the data must not drop the -8 rows
    rng = np.random.default_rng(3)
    n = 1200
    abroad = rng.random(n) < 0.1
    hours = np.where(abroad, rng.integers(1, 60, n), -8).astype(float)
    hours[np.flatnonzero(~abroad)[:6]] = 0.0  # a few "no" people with a value (of 0)
    df = pd.DataFrame({"abroad": np.where(abroad, "yes", "no").astype(object), "hours": hours,
                       "sex": rng.choice(["F", "M"], n)})
    syn = make_synthesizer("default").fit(df)
    assert any("abroad" in str(r) for r in syn.rules_)  # the band was read
    out = syn.sample(n, seed=0)
    assert abs((out["abroad"] == "no").mean() - (df["abroad"] == "no").mean()) < 0.04
    assert (out.loc[out["abroad"] == "no", "hours"].isin([-8, 0])).all()


# --- effects on numbers (the chain of trees) ---------------------------------------------------


def test_a_number_tree_splits_on_what_moves_the_mean():
    # classes 0..3 stand for values 0..3; b only reshapes the shares (mean 1.5 on each side),
    # a moves the mean: by log-likelihood b is the better split, by squared error a is
    from htwork.synth.trees import CodeTree

    rng = np.random.default_rng(0)
    n = 4000
    a = rng.integers(0, 2, n)
    b = rng.integers(0, 2, n)
    low, high = np.array([0.4, 0.3, 0.2, 0.1]), np.array([0.1, 0.2, 0.3, 0.4])
    y = np.array([rng.choice(4, p=high if ai else low) for ai in a])
    pair = np.where(y % 3 == 0, 0, 1)  # classes {0, 3} or {1, 2}: the same mean 1.5
    y = np.where(b == pair, y, np.where(pair == 0, rng.choice([1, 2], n), rng.choice([0, 3], n)))
    x = np.column_stack([a, b])
    by_ll = CodeTree(min_leaf=50, penalty=0.0).fit(x, y, 4)
    by_mean = CodeTree(min_leaf=50, penalty=0.0,
                       target=np.arange(4, dtype=float)[:, None]).fit(x, y, 4)
    assert by_ll.feature[0] == 1 and by_mean.feature[0] == 0


def _effects(real: pd.DataFrame, fake: pd.DataFrame) -> pd.DataFrame:
    from htwork.synth import compare_analysis

    f = compare_analysis("income ~ age + sex + edu", real, fake).to_frame()
    return f.loc[f.index != "Intercept"]


def test_a_planted_effect_on_a_number_is_kept():
    # log income rises with sex, education and age (fixtures.survey_table); a regression of
    # income on them gives, on the default's rows, every coefficient within a fresh sample's
    # reach of the real one: same sign, at least 3/4 of its size, overlapping 95% intervals
    df = survey_table(2000, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        syn = make_synthesizer("default").fit(df)
        assert syn.chain_ and syn.penalty_ is None  # drawn by the chain, no network fitted
        f = _effects(df, syn.sample(2000, seed=2))
        ratio = f["synthetic"] / f["real"]
        assert (ratio > 0.75).all() and (ratio < 1.3).all(), ratio.to_dict()
        assert (f["overlap_synthetic"] > 0).all(), f["overlap_synthetic"].to_dict()
        # the same check fails for numbers drawn by the network alone (group and bin nodes of
        # at most four parents): the age and sex effects are lost
        net = make_synthesizer("default", numbers="network").fit(df)
        g = _effects(df, net.sample(2000, seed=2))
    assert not (g["overlap_synthetic"] > 0).all()
    assert g.loc["age", "synthetic"] / g.loc["age", "real"] < 0.75


def test_a_table_of_categories_only_is_drawn_by_the_network_whatever_numbers_says():
    from tests.synth.fixtures import case_table

    df = case_table(800, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outs = []
        for mode in ("chain", "tree", "network"):
            syn = make_synthesizer("default", numbers=mode).fit(df)
            assert not syn.chain_ and syn.penalty_ in syn.penalties
            outs.append(syn.sample(500, seed=1))
    pd.testing.assert_frame_equal(outs[0], outs[1])
    pd.testing.assert_frame_equal(outs[0], outs[2])


def _within_bin_gap(syn, df: pd.DataFrame) -> float:
    """Mean over bins of (mean x of group b) - (mean x of group a) within the bin."""
    bins = syn.plan_.binned["x"].bins_of(df["x"].to_numpy(dtype=float))
    frame = pd.DataFrame({"bin": bins, "g": df["g"].to_numpy(), "x": df["x"].to_numpy()})
    means = frame.groupby(["bin", "g"])["x"].mean().unstack()
    return float((means["b"] - means["a"]).mean())


def _within_bin_table(n: int = 2000, seed: int = 0) -> pd.DataFrame:
    # five clusters of x; within each, group a lies in its lower part and group b in its upper
    # part: one bin per cluster holds both groups, so the group effect lies within the bins
    rng = np.random.default_rng(seed)
    g = rng.choice(["a", "b"], n)
    k = rng.integers(0, 5, n)
    x = 1000 * k + 600 * (g == "b") + rng.integers(0, 400, n)
    x[:40] = 1000 * k[:40] + 600 * (g[:40] == "b")  # a common exact value in each cell
    return pd.DataFrame({"g": g, "x": x.astype(np.int64)})


def test_values_are_drawn_near_the_leaf_within_a_bin():
    df = _within_bin_table()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        new = make_synthesizer("default", bins=5).fit(df)
        old = make_synthesizer("default", bins=5, leaf_values=0).fit(df)
    assert new.chain_ and new.leaf_values_ and not old.leaf_values_
    real = _within_bin_gap(new, df)
    assert real > 400  # the group moves x by about 600 within a bin
    fake_new = new.sample(2000, seed=1)
    fake_old = old.sample(2000, seed=1)
    # with leaf_values=1 the synthetic within-bin group means follow the real ones; drawn from
    # the whole bin (leaf_values=0, the behaviour before) the group effect within bins is lost
    assert abs(_within_bin_gap(new, fake_new) - real) < 0.15 * real
    assert abs(_within_bin_gap(new, fake_old)) < 0.25 * real
    # no exact value fewer than 5 training rows share is emitted; common ones are
    counts = df["x"].value_counts()
    rare = set(counts[counts < 5].index)
    out = pd.concat([new.sample(2000, seed=s) for s in range(3)])
    assert not set(out["x"]) & rare
    assert set(out["x"]) & set(counts[counts >= 5].index)
    assert out["x"].min() >= df["x"].min() and out["x"].max() <= df["x"].max()
    # the same seed gives the same rows; another seed others
    pd.testing.assert_frame_equal(new.sample(2000, seed=1), fake_new)
    assert not new.sample(2000, seed=2).equals(fake_new)
    with pytest.raises(ValueError, match="leaf_values"):
        make_synthesizer("default", leaf_values=2).fit(df)


def test_near_a_leaf_value_keeps_to_the_bin_and_never_copies_a_rare_value():
    from htwork.synth.numeric import LeafValues, fit_binned
    from htwork.synth.types import ColumnType

    rng = np.random.default_rng(4)
    x = np.concatenate([rng.integers(0, 1000, 400), np.full(30, 500)]).astype(float)
    b = fit_binned(x, np.full(len(x), None, dtype=object), ColumnType("integer"), bins=5)
    bins = b.bins_of(x)
    leaf = (x > np.median(x)).astype(np.int64)  # two "leaves"
    cells = LeafValues.fit(leaf, bins, x, b.n_bins)
    rows = np.tile(np.arange(len(x)), 5)
    out = cells.draw(b, bins[rows], leaf[rows], np.random.default_rng(1))
    # within the bin drawn, and near the leaf's own values there
    assert (b.bins_of(out) == bins[rows]).all()
    for lf in (0, 1):
        assert abs(out[leaf[rows] == lf].mean() - x[leaf == lf].mean()) < 25
    uniq, cnt = np.unique(x, return_counts=True)
    assert not set(out) & set(uniq[cnt < 5])
    assert (out == 500).any()  # a value 30 people share is drawn as it is
    # an empty leaf-and-bin cell falls back to the bin's own draw
    empty = cells.pick(np.array([0]), np.array([7]), np.random.default_rng(0))
    assert np.isnan(empty).all()
    again = cells.draw(b, bins[rows], leaf[rows], np.random.default_rng(1))
    assert np.array_equal(out, again)
