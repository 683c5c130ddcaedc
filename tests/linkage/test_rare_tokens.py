"""Name tokens few records hold: keyed at the agency, counted at the coordinator, and a split of
every band of name similarity (two names sharing such a token are far more often one person)."""

from __future__ import annotations

import importlib
import itertools

import numpy as np
import pandas as pd
import pytest

from htwork.linkage import encode
from htwork.linkage._levels import _level_sizes, estimate_u, level_codes, shared_rare_codes
from htwork.linkage.encode import Encoder
from htwork.linkage.link import (
    NAME_LEVELS,
    RARE_TOKEN_COLUMNS,
    RARER_TOKEN_MAX,
    model_settings,
)
from htwork.linkage.normalise import normalise_name

link_module = importlib.import_module("htwork.linkage.link")


def test_the_encoding_holds_one_keyed_hash_per_name_token(key, other_key):
    df = pd.DataFrame({"name": ["Kadir Suwarno", "SUWARNO, Kadir", "Siti Aminah", "Kadir"],
                       "dob": ["1990-01-02"] * 4, "sex": ["m", "m", "f", "m"]})
    enc = encode(df, key, "Police").frame.set_index("rid")
    toks = [enc.loc[Encoder(key).record_id("Police", i), "blk_t"] for i in df.index]
    assert [len(t) for t in toks] == [2, 2, 2, 1]
    assert sorted(toks[0]) == sorted(toks[1])          # the same tokens, whatever the order
    assert set(toks[3]) < set(toks[0])                 # "kadir" hashes alike on every record
    assert not set(toks[2]) & set(toks[0])
    plain = {t for n in df["name"] for t in normalise_name(n)}
    assert not plain & {h for t in toks for h in t}    # keyed hashes, no plain token
    other = encode(df, other_key, "Police").frame
    assert not {h for t in toks for h in t} & {h for t in other["blk_t"] for h in t}


def test_the_rare_tokens_are_those_few_records_hold_rarest_first(monkeypatch):
    monkeypatch.setattr(link_module, "RARE_TOKEN_MAX", 2)
    monkeypatch.setattr(link_module, "RARER_TOKEN_MAX", 1)
    a = pd.DataFrame({"blk_t": [["x", "y", "z"], ["y"], ["w", "v", "u", "t"], []]})
    b = pd.DataFrame({"blk_t": [["x", "y"], ["y", "w"], ["v", "u", "t", "s"]]})
    frames = [a, b]
    link_module._mark_rare_tokens(frames)
    # counts over both lists: x 2, y 4, z 1, w 2, v 2, u 2, t 2, s 1
    assert "blk_t" not in a.columns and "blk_t" not in b.columns
    assert a.loc[0, RARE_TOKEN_COLUMNS].tolist() == ["z", "x", None]     # y is common
    assert a.loc[1, RARE_TOKEN_COLUMNS].tolist() == [None, None, None]
    assert a.loc[2, RARE_TOKEN_COLUMNS].tolist() == ["t", "u", "v"]      # three kept, by key
    assert b.loc[2, RARE_TOKEN_COLUMNS].tolist() == ["s", "t", "u"]
    assert a.loc[3, RARE_TOKEN_COLUMNS].isna().all()
    # a token only one record holds (RARER_TOKEN_MAX): z on a's first, s on b's last
    assert a["rt_low"].tolist() == [1, 0, 0, 0] and b["rt_low"].tolist() == [0, 0, 1]


def _pair_frames(share: list[bool], key: bytes,
                 low: list[bool] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pairs of records with the same Bloom filter (Dice 1) and different keyed names; pair i
    shares a rare token when ``share[i]``, and its left record holds a very rare token when
    ``low[i]``."""
    enc = Encoder(key)
    bf = enc.filters([tuple(normalise_name("Kadir Suwarno"))] * len(share))
    rows_l, rows_r = [], []
    for i, s in enumerate(share):
        rows_l.append({"h_name": f"l{i}", "h_rt1": f"t{i}", "h_rt2": "only-left"})
        rows_r.append({"h_name": f"r{i}", "h_rt1": "only-right", "h_rt3": f"t{i}" if s else None})
    left, right = pd.DataFrame(rows_l), pd.DataFrame(rows_r)
    left["rt_low"] = [int(x) for x in (low or [False] * len(share))]
    right["rt_low"] = 0
    for j in range(bf.shape[1]):
        left[f"bf_{j}"] = bf[:, j]
        right[f"bf_{j}"] = bf[:, j]
    return left, right


def test_each_band_of_similarity_is_split_on_rare_tokens(key):
    share, low = [True, False, True, False], [False, False, True, True]
    left, right = _pair_frames(share, key, low)
    codes = level_codes(left, right, words=16, weight=512, name_levels=NAME_LEVELS)["name"]
    top = _level_sizes(NAME_LEVELS)["name"] - 1   # the name no list holds twice
    # Dice 1 but different keyed names: the four levels of the highest band, below the same
    # name and the name no list holds twice
    assert sorted(codes) == list(range(top - 5, top - 1))
    assert sorted(shared_rare_codes(NAME_LEVELS))[-2:] == sorted(codes[[0, 2]])
    # the settings have one level for each code, in the same order
    name = next(c for c in model_settings()["comparisons"] if c["output_column_name"] == "name")
    labels = [lev["label_for_charts"] for lev in name["comparison_levels"]
              if not lev.get("is_null_level")][::-1]            # least similar first, as codes
    assert len(labels) == top + 1
    for code, s, lo in zip(codes, share, low, strict=True):
        assert labels[code].startswith(f"Dice >= {max(NAME_LEVELS)}")
        assert ("rare token shared" in labels[code]) == s
        assert (f"at most {RARER_TOKEN_MAX} records hold" in labels[code]) == lo


def test_u_of_the_rare_token_levels_is_counted_over_all_pairs(key):
    # random pairs seldom share a rare token: those levels' u come from all such pairs
    left, right = _pair_frames([True, False, True, False, False], key)
    every = list(itertools.product(range(len(left)), range(len(right))))
    codes = level_codes(left.iloc[[i for i, _ in every]], right.iloc[[j for _, j in every]],
                        words=16, weight=512, name_levels=NAME_LEVELS)["name"]
    size = _level_sizes(NAME_LEVELS)["name"]
    shared = codes[0]                                      # pair (0, 0) shares a token
    assert shared in shared_rare_codes(NAME_LEVELS)
    share = np.bincount(codes, minlength=size) / len(every)
    assert share[shared] == pytest.approx(2 / 25)          # the two pairs sharing a token
    for seed in (0, 1):
        u = estimate_u([left, right], words=16, weight=512, name_levels=NAME_LEVELS,
                       max_pairs=3, seed=seed)["name"][::-1]           # least similar first
        assert u[shared] == pytest.approx(share[shared])


def test_splink_gives_every_pair_the_level_numpy_gives_it(encoded):
    # the SQL of the settings (on the engine) and _levels._codes (for u and the moments) agree
    from splink import DuckDBAPI, Linker, SettingsCreator

    frames = link_module._frames_for_engine(encoded)
    link_module._mark_rare_names(frames)
    assert sum(f["h_rt1"].notna().sum() for f in frames) > 100
    settings = model_settings()
    keep = ["bf_0", *[f"bf_{i}" for i in range(1, 16)], *link_module.FIELD_COLUMNS,
            "h_single", *RARE_TOKEN_COLUMNS, "rt_low"]
    link_module._set_u(settings, estimate_u([f[keep] for f in frames], words=16, weight=512,
                                            name_levels=NAME_LEVELS, max_pairs=50_000))
    db = DuckDBAPI()
    inputs = [db.register(f, dataset_display_name=e.list_name)
              for f, e in zip(frames, encoded, strict=True)]
    linker = Linker(inputs, SettingsCreator.from_path_or_dict(settings), log_level=None)
    linker.table_management.register_term_frequency_lookup(
        db.register(link_module._name_frequencies(frames)), "h_name")
    vectors = link_module._comparison_vectors(linker)
    pred = linker.misc.query_sql(f"SELECT * FROM {vectors.physical_name}", output_type="pandas")
    by_name = {e.list_name: f.set_index("rid") for e, f in zip(encoded, frames, strict=True)}
    got, want = [], []
    for (sl, sr), g in pred.groupby(["source_dataset_l", "source_dataset_r"]):
        a = by_name[sl].loc[g["rid_l"]].reset_index()
        b = by_name[sr].loc[g["rid_r"]].reset_index()
        codes = level_codes(a, b, words=16, weight=512, name_levels=NAME_LEVELS)
        got.append(g["gamma_name"].to_numpy())
        want.append(codes["name"])
    got_a, want_a = np.concatenate(got), np.concatenate(want)
    assert len(got_a) > 500
    assert (got_a == want_a).all()
    assert np.isin(want_a, shared_rare_codes(NAME_LEVELS)).sum() > 20  # sharing a rare token
    split = [c for c in range(1, 4 * len(NAME_LEVELS) + 1) if (c - 1) % 2 == 1]
    assert np.isin(want_a, split).sum() > 20        # a name holds a very rare token


def test_tokens_many_records_of_the_list_hold_are_not_sent(key, monkeypatch):
    enc_module = importlib.import_module("htwork.linkage.encode")
    df = pd.DataFrame({"name": ["Kadir Suwarno", "Siti Suwarno", "Budi Suwarno", "Kadir Amin"],
                       "dob": ["1990-01-02"] * 4, "sex": ["m", "f", "m", "m"]})
    full = encode(df, key, "Police").frame
    monkeypatch.setattr(enc_module, "TOKEN_LIST_MAX", 2)
    capped = encode(df, key, "Police").frame
    # "suwarno" (3 records) is left out; "kadir" (2) and the names held once stay
    gone = {h for v in full["blk_t"] for h in v} - {h for v in capped["blk_t"] for h in v}
    assert len(gone) == 1
    assert sum(len(v) for v in full["blk_t"]) - sum(len(v) for v in capped["blk_t"]) == 3
    assert capped.drop(columns=["blk_t"]).equals(full.drop(columns=["blk_t"]))
