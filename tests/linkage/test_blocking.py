"""MinHash blocking keys of the name, the level of names no list holds twice, and the date a
year later: the pairs the exact blocking rules cannot find are now candidates and linked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from htwork.linkage import encode, link, pairwise_quality, truth_by_record
from htwork.linkage._levels import _level_sizes, level_codes
from htwork.linkage.encode import DEFAULT_LSH, Encoder, LshSpec
from htwork.linkage.link import NAME_LEVELS, _name_frequencies
from htwork.linkage.normalise import normalise_name


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(normalise_name(name))


#: names one typo or one transliteration apart
CLOSE = [("Dimaculangan Gary", "Dimakulangan Gary"), ("Sreypich Ling", "Sreypich Leng"),
         ("Norin Ieng", "Norin Ineg"), ("Rinna Sav", "Rinna Sao"),
         ("Malaythong Malavongsa", "Malaithong Malavongsa"), ("Alisha Rivira", "Alisha Rivera"),
         ("Khin Yu Lwin", "Khin Yu Lwwin"), ("Nouphet Sayasith", "Nouphet Xayasith"),
         ("Thanh Vu Nguyen", "Thanh Vo Nguyen"), ("Sopheab Koul", "Sopheab Kol"),
         ("Wunna Zin Linn", "Wunna Zinn Linn"), ("Hoang Duc Thang", "Hoang Duc Thangg")]
#: unrelated names
FAR = [("Dimaculangan Gary", "Sreypich Ling"), ("Norin Ieng", "Alisha Rivera"),
       ("Khin Yu Lwin", "Malaithong Malavongsa"), ("Thanh Vu Nguyen", "Rinna Sao"),
       ("Sopheab Koul", "Wunna Zin Linn"), ("Hoang Duc Thang", "Nouphet Sayasith")]


def test_lsh_keys_bring_close_names_together_and_keep_far_ones_apart(key):
    enc = Encoder(key)
    names = [_tokens(n) for pair in CLOSE + FAR for n in pair]
    keys = enc.lsh_keys(names)
    assert all(len(k) == DEFAULT_LSH.bands for k in keys)
    shared = [bool(set(keys[2 * i]) & set(keys[2 * i + 1])) for i in range(len(CLOSE + FAR))]
    close, far = shared[:len(CLOSE)], shared[len(CLOSE):]
    assert sum(close) >= 0.75 * len(CLOSE), close
    assert not any(far), far
    # an empty name has no key; the same name always has the same keys
    assert enc.lsh_keys([()]) == [[]]
    assert enc.lsh_keys(names[:1]) == keys[:1]


def test_lsh_keys_depend_on_the_key_and_the_parameters(key, other_key):
    names = [_tokens(a) for a, _ in CLOSE]
    a = Encoder(key).lsh_keys(names)
    b = Encoder(other_key).lsh_keys(names)
    assert not {k for ks in a for k in ks} & {k for ks in b for k in ks}
    c = Encoder(key).lsh_keys(names, LshSpec(bands=4, rows=4))
    assert all(len(k) == 4 for k in c) and c != a
    with pytest.raises(Exception, match="bands"):
        Encoder(key).lsh_keys(names, LshSpec(bands=9, rows=4))


def _with_pair(sim, left: dict, right: dict):
    police = sim.lists["Police"].copy()
    welfare = sim.lists["Welfare"].copy()
    police.loc[police.index.max() + 1] = left
    welfare.loc[welfare.index.max() + 1] = right
    return police, welfare


def test_a_pair_without_birth_date_and_a_typo_is_a_candidate_and_linked(sim, key):
    # one record has no birth date, a letter is dropped from one name token: no exact
    # name, no shared pair of tokens, no date to block on; only the MinHash keys meet
    left = {"name": "DIMACULANGAN, Gary", "dob": None, "sex": "M"}
    right = {"name": "Gary Dimaculangn", "dob": "1991-12-21", "sex": "male"}
    police, welfare = _with_pair(sim, left, right)
    a, b = encode(police, key, "Police"), encode(welfare, key, "Welfare")
    ra = a.frame.set_index("rid").loc[Encoder(key).record_id("Police", police.index[-1])]
    rb = b.frame.set_index("rid").loc[Encoder(key).record_id("Welfare", welfare.index[-1])]
    assert ra["h_name"] != rb["h_name"] and ra["h_dob"] is None
    assert not set(ra["blk_tp"]) & set(rb["blk_tp"])
    assert not ra["blk_ty"] and not ra["blk_tmd"]
    assert set(ra["blk_lsh"]) & set(rb["blk_lsh"])
    res = link([a, b], u_pairs=200_000)
    pair = res.pairs[(res.pairs["rid_l"] == ra.name) & (res.pairs["rid_r"] == rb.name)]
    assert len(pair) == 1, "the pair was not a candidate"
    assert pair["match_probability"].iloc[0] >= res.threshold
    cl = res.clusters.set_index("rid")["person"]
    assert cl[ra.name] == cl[rb.name]
    # and the rest of the lists are still linked well
    truth = truth_by_record(sim.truth[sim.truth["list"].isin(["Police", "Welfare"])], key)
    q = pairwise_quality(res.clusters, truth)
    assert q.precision >= 0.95 and q.recall >= 0.85


def test_the_lsh_rule_needs_a_missing_date_and_no_contradiction(sim, key):
    # the same two names with full, different dates on both sides: not a candidate by MinHash
    left = {"name": "DIMACULANGAN, Gary", "dob": "03/04/1985", "sex": "M"}
    right = {"name": "Gary Dimaculangn", "dob": "1991-12-21", "sex": "male"}
    police, welfare = _with_pair(sim, left, right)
    a, b = encode(police, key, "Police"), encode(welfare, key, "Welfare")
    ida = Encoder(key).record_id("Police", police.index[-1])
    idb = Encoder(key).record_id("Welfare", welfare.index[-1])
    res = link([a, b], u_pairs=200_000)
    assert not ((res.pairs["rid_l"] == ida) & (res.pairs["rid_r"] == idb)).any()


def _frame(names, dobs, singles, key):
    enc = Encoder(key)
    rows = []
    for nm, (y, m, d), single in zip(names, dobs, singles, strict=True):
        toks = _tokens(nm)
        full = f"{y:04d}-{m:02d}-{d:02d}"
        rows.append({"h_name": enc.field_hash("name", " ".join(toks)),
                     "h_single": enc.field_hash("name", " ".join(toks)) if single else None,
                     "h_dob": enc.field_hash("dob", full),
                     "h_dob_swap": None,
                     "h_dob1": enc.field_hash("dob", f"{y + 1:04d}-{m:02d}-{d:02d}"),
                     "h_ym": enc.field_hash("ym", f"{y:04d}-{m:02d}"),
                     "h_y": enc.field_hash("y", f"{y:04d}"),
                     "h_y1": enc.field_hash("y", f"{y + 1:04d}"),
                     "h_sex": None})
    df = pd.DataFrame(rows)
    bf = enc.filters([_tokens(n) for n in names])
    for j in range(bf.shape[1]):
        df[f"bf_{j}"] = bf[:, j]
    return df


def test_levels_of_a_single_name_and_of_a_date_a_year_later(key):
    names = ["Sopheab Lay", "Sopheab Lay", "Sopheab Lay"]
    left = _frame(names, [(1986, 10, 16)] * 3, [True, True, False], key)
    right = _frame(names, [(1987, 10, 16), (1990, 1, 2), (1987, 10, 16)],
                   [True, True, False], key)
    codes = level_codes(left, right, words=16, weight=512, name_levels=NAME_LEVELS)
    top = _level_sizes(NAME_LEVELS)["name"] - 1     # the name no list holds twice
    # a name no list holds twice, dates a year apart on the same day: the top name level and
    # the date level "same day and month, years one apart"
    assert codes["name"][0] == top and codes["dob"][0] == 5
    # dates that differ: only "same name"; a name some list holds twice: only "same name"
    assert codes["dob"][1] == 0 and codes["name"][1] == top - 1
    assert codes["name"][2] == top - 1 and codes["dob"][2] == 5


def test_a_year_that_agrees_with_a_date_given_as_the_year_only(key):
    # full dates that differ in the same year, against a year only on one side: two levels
    names = ["Kadir Suwarno"] * 2
    left = _frame(names, [(1986, 10, 16), (1986, 10, 16)], [False, False], key)
    right = _frame(names, [(1986, 3, 2), (1986, 3, 2)], [False, False], key)
    right.loc[1, ["h_dob", "h_dob_swap", "h_dob1", "h_ym"]] = None
    codes = level_codes(left, right, words=16, weight=512, name_levels=NAME_LEVELS)
    assert codes["dob"][0] == 2 and codes["dob"][1] == 3


def test_name_frequencies_are_scaled_to_the_names_held_twice():
    a = pd.DataFrame({"h_name": ["x", "x", "y", "z"], "h_single": [None, None, "y", "z"]})
    b = pd.DataFrame({"h_name": ["x", "y", None], "h_single": [None, "y", None]})
    tf = _name_frequencies([a, b]).set_index("h_name")["tf_h_name"]
    # 6 named records, 3 of them bear a name some list holds twice: F_S = 1/2
    np.testing.assert_allclose(tf["x"], 0.5 * 3 / 6)
    np.testing.assert_allclose(tf["y"], 0.5 * 2 / 6)
    np.testing.assert_allclose(tf["z"], 0.5 * 1 / 6)


def test_common_minhash_keys_are_not_blocked_on(encoded, monkeypatch):
    import importlib

    # the package's ``link`` is the function; the module is reached by its full name
    link_module = importlib.import_module("htwork.linkage.link")
    counts = pd.Series([k for e in encoded for v in e.frame["blk_lsh"] for k in v]).value_counts()
    cap = 3
    assert (counts > cap).any() and (counts <= cap).any()
    monkeypatch.setattr(link_module, "LSH_MAX_BLOCK", cap)
    frames = link_module._frames_for_engine(encoded)
    kept = pd.Series([k for f in frames for v in f["blk_lsh"] for k in v]).value_counts()
    # exactly the keys held by more than `cap` records are gone, the others are all there
    assert set(kept.index) == set(counts.index[counts <= cap])
    assert (kept == counts[kept.index]).all()
    # the other blocking keys are untouched
    for f, e in zip(frames, encoded, strict=True):
        assert [list(v) for v in e.frame["blk_tp"]] == list(f["blk_tp"])


@pytest.mark.parametrize("col", ["blk_ty", "blk_tmd", "blk_tp"])
def test_common_name_token_keys_are_not_blocked_on(encoded, monkeypatch, col):
    import importlib

    link_module = importlib.import_module("htwork.linkage.link")
    counts = pd.Series([k for e in encoded for v in e.frame[col] if v is not None
                        for k in v]).value_counts()
    cap = int(counts.max()) - 1  # the most common keys go
    assert (counts > cap).any() and (counts <= cap).any()
    monkeypatch.setattr(link_module, "TOKEN_MAX_BLOCK", cap)
    frames = link_module._frames_for_engine(encoded)
    kept = pd.Series([k for f in frames for v in f[col] for k in v]).value_counts()
    assert set(kept.index) == set(counts.index[counts <= cap])  # only the common keys gone
    assert (kept == counts[kept.index]).all()
    lsh = pd.Series([k for f in frames for v in f["blk_lsh"] for k in v])
    assert lsh.value_counts().max() <= link_module.LSH_MAX_BLOCK  # MinHash: its own cap


def test_lists_with_different_minhash_parameters_are_refused(sim, key):
    from htwork.errors import InputError

    a = encode(sim.lists["Police"], key, "Police")
    b = encode(sim.lists["Welfare"], key, "Welfare", lsh=LshSpec(bands=4, rows=4))
    with pytest.raises(InputError, match="MinHash"):
        link([a, b])


def test_u_of_the_same_birth_date_and_name_is_counted_not_sampled(key):
    # the levels of exact equality get their share among all pairs of the two lists, whatever
    # the few random pairs drawn (the key orders the records, and so moved the sampled share)
    from htwork.linkage._levels import estimate_u

    names = ["Aung Kyaw", "Mya Mya", "Sopheab Lay", "Kadir Suwarno", "Mya Mya", "Lin Lin"]
    dobs = [(1990, 1, 2), (1991, 3, 4), (1990, 1, 2), (1985, 6, 7), (1991, 3, 4), (1970, 1, 1)]
    left = _frame(names, dobs, [False] * 6, key)
    right = _frame(names[::-1], dobs[::-1], [False] * 6, key)
    same_dob = sum(a == b for a in left["h_dob"] for b in right["h_dob"]) / 36
    same_name = sum(a == b for a in left["h_name"] for b in right["h_name"]) / 36
    for seed in (0, 1):
        u = estimate_u([left, right], words=16, weight=512, name_levels=NAME_LEVELS,
                       max_pairs=10, seed=seed)
        assert u["dob"][0] == pytest.approx(same_dob)
        assert u["name"][1] == pytest.approx(same_name)
