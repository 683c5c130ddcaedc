"""Linkage at the coordinator: quality, outputs, keys, bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from htwork.errors import InputError
from htwork.linkage import (
    encode,
    link,
    link_files,
    new_key,
    pairwise_quality,
    read_links,
    truth_by_record,
)
from htwork.prevalence import CaptureTable
from tests.linkage.scan import assert_nothing_plain


def test_linkage_finds_the_people(linked, sim, key):
    q = pairwise_quality(linked.clusters, truth_by_record(sim.truth, key))
    assert q.precision >= 0.95
    assert q.recall >= 0.75
    # every record is in exactly one person, at most one record per list per person
    assert len(linked.clusters) == len(sim.truth)
    assert not linked.clusters.duplicated(["person", "list"]).any()
    cap = linked.capture
    assert cap.observed == linked.clusters["person"].nunique()
    assert cap.list_totals().to_dict() == {k: len(v) for k, v in sim.lists.items()}


def test_pairs_are_probabilities_of_records_on_different_lists(linked):
    p = linked.pairs
    assert p["match_probability"].between(0, 1).all()
    assert (p["list_l"] != p["list_r"]).all()
    assert not p.duplicated(["list_l", "rid_l", "list_r", "rid_r"]).any()


@pytest.mark.slow
def test_wrong_key_gives_no_links(sim, key, other_key):
    a = encode(sim.lists["Police"], key, "Police")
    b = encode(sim.lists["Welfare"], other_key, "Welfare")
    with pytest.raises(InputError, match="different keys"):
        link([a, b])
    # even if the check is fooled, records encoded with another key never match
    b.meta["key_fingerprint"] = a.meta["key_fingerprint"]
    res = link([a, b], u_pairs=100_000)
    assert (res.pairs["match_probability"] < 0.5).all()
    assert res.capture.observed == len(a) + len(b)
    same = encode(sim.lists["Welfare"], key, "Welfare")
    ok = link([a, same], u_pairs=100_000)
    assert ok.capture.observed < len(a) + len(same)


def _encode_all(sim, tmp_path, key_path, keys=None):
    from htwork.linkage import encode_file

    src = tmp_path / "agencies"
    src.mkdir(exist_ok=True)
    enc_dir = tmp_path / "encoded"
    enc_dir.mkdir(exist_ok=True)
    paths = []
    for name, df in sim.lists.items():
        csv = src / f"{name.lower()}_cases.csv"
        df.to_csv(csv, index=False)
        out = enc_dir / f"{name}.parquet"
        encode_file(csv, (keys or {}).get(name, key_path), out)
        paths.append(out)
    return paths


@pytest.mark.slow
def test_link_files_writes_the_folder_with_nothing_plain(sim, tmp_path):
    key_path = new_key(tmp_path / "shared.key")
    paths = _encode_all(sim, tmp_path, key_path)
    out = tmp_path / "links"
    res = link_files(paths, out)
    files = sorted(out.iterdir())
    assert [f.name for f in files] == ["capture.csv", "clusters.parquet", "model.json",
                                       "pairs.parquet", "summary.json"]
    assert_nothing_plain(files + paths, list(sim.lists.values()), key_path,
                         forbidden=["_cases", "agencies", str(tmp_path)])
    # htwork mse reads the capture table
    cap = CaptureTable.from_counts(out / "capture.csv")
    assert cap == res.capture
    back = read_links(out)
    pd.testing.assert_frame_equal(back.pairs, res.pairs)
    assert json.loads((out / "summary.json").read_text())["lists"] == list(sim.lists)


def test_lists_with_different_keys_write_nothing(sim, tmp_path):
    key_path = new_key(tmp_path / "shared.key")
    odd = new_key(tmp_path / "odd.key")
    paths = _encode_all(sim, tmp_path, key_path, keys={"NGO": odd})
    out = tmp_path / "links"
    with pytest.raises(InputError, match="different keys") as err:
        link_files(paths, out)
    assert "NGO" in str(err.value)
    assert not out.exists()


def test_bad_link_inputs_write_nothing(sim, key, tmp_path):
    a = encode(sim.lists["Police"], key, "Police")
    b = encode(sim.lists["Welfare"], key, "Police")
    with pytest.raises(InputError, match="same list name"):
        link([a, b])
    with pytest.raises(InputError, match="at least two"):
        link([a])
    with pytest.raises(InputError, match="engine"):
        link([a, encode(sim.lists["NGO"], key, "NGO")], engine="sqlite")
    p = tmp_path / "police.parquet"
    a.save(p)
    with pytest.raises(InputError, match="overwrite or hold an input"):
        link_files([p, p], p)
    missing = tmp_path / "nope.parquet"
    with pytest.raises(InputError, match="does not exist"):
        link_files([p, missing], tmp_path / "links")
    assert not (tmp_path / "links").exists()


@pytest.mark.slow
def test_spark_gives_the_same_links_as_duckdb(encoded, linked):
    spark_res = link(encoded, engine="spark", u_pairs=200_000)
    thr = linked.threshold
    a = linked.pairs[linked.pairs["match_probability"] >= thr]
    b = spark_res.pairs[spark_res.pairs["match_probability"] >= thr]
    cols = ["list_l", "rid_l", "list_r", "rid_r"]
    assert set(map(tuple, a[cols].to_numpy())) == set(map(tuple, b[cols].to_numpy()))
    merged = linked.pairs.merge(spark_res.pairs, on=cols, suffixes=("_duck", "_spark"))
    assert len(merged) == len(linked.pairs) == len(spark_res.pairs)
    assert (merged["match_probability_duck"] - merged["match_probability_spark"]).abs().max() \
        < 1e-6
    assert spark_res.capture == linked.capture
