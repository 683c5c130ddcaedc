"""Keyed pseudonyms: HMAC-SHA256, stable per key, unrelated across keys, never a plain hash."""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat

import pandas as pd
import pytest

from htwork.anonymise import Pseudonymiser, generate_key, load_key
from htwork.anonymise.pseudonymise import normalise_value
from htwork.errors import InputError

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))


def test_pseudonym_is_hmac_sha256_of_the_normalised_value():
    df = pd.DataFrame({"phone": ["081 234 5678"]})
    out = Pseudonymiser(KEY, columns="phone").fit_transform(df)
    expected = hmac.new(KEY, b"081 234 5678", hashlib.sha256).hexdigest()[:16]
    assert out.loc[0, "phone"] == expected
    assert out.loc[0, "phone"] != hashlib.sha256(b"081 234 5678").hexdigest()[:16]


def test_stable_per_key_and_unrelated_across_keys(cases):
    cols = ["cas_CaseId", "prs_MobilePhone"]
    a1 = Pseudonymiser(KEY, columns=cols).fit_transform(cases)
    a2 = Pseudonymiser(KEY, columns=cols).fit_transform(cases.iloc[::-1])
    b = Pseudonymiser(OTHER, columns=cols).fit_transform(cases)
    pd.testing.assert_frame_equal(a1[cols], a2[cols].loc[a1.index])
    present = cases["cas_CaseId"].notna()
    assert (a1.loc[present, "cas_CaseId"] != b.loc[present, "cas_CaseId"]).all()
    for value, pseudo in zip(cases["cas_CaseId"], a1["cas_CaseId"], strict=True):
        assert pseudo != hashlib.sha256(value.encode()).hexdigest()[:16]
        assert value not in pseudo


def test_variant_spellings_of_one_id_match():
    df = pd.DataFrame({"id": ["1-1037-00012-34-6", "1 1037 00012 34 6", "๑๑๐๓๗๐๐๐๑๒๓๔๖",
                              "1103700012347"],
                       "name": ["Somchai", " SOMCHAI ", "somchai", "Somchai Jaidee"]})
    out = Pseudonymiser(KEY, columns=["id", "name"], normalise={"id": "id"}).fit_transform(df)
    assert out["id"].nunique() == 2 and out["id"].iloc[:3].nunique() == 1
    assert out["name"].iloc[:3].nunique() == 1 and out["name"].nunique() == 2
    exact = Pseudonymiser(KEY, columns="name", normalise="none").fit_transform(df)
    assert exact["name"].nunique() == 4
    assert normalise_value("Nguyễn  Thị", "text") == normalise_value("nguyễn thị", "text")


def test_missing_values_stay_missing_and_input_untouched(cases):
    before = cases.copy()
    out = Pseudonymiser(KEY, columns=["prs_Email"], prefix="E-").fit_transform(cases)
    assert out["prs_Email"].isna().equals(cases["prs_Email"].isna())
    assert out["prs_Email"].dropna().str.startswith("E-").all()
    pd.testing.assert_frame_equal(cases, before)


def test_default_columns_are_the_detected_identifiers(cases):
    p = Pseudonymiser(KEY).fit(cases)
    assert "prs_FirstName" in p.columns_ and "cas_Notes" not in p.columns_
    assert "prs_Gender" not in p.columns_


@pytest.mark.parametrize("key", [b"", b"short", b"x" * 15, "a text passphrase", None, 12345])
def test_refuses_empty_short_or_text_keys(key):
    with pytest.raises(InputError):
        Pseudonymiser(key)


def test_bad_length_and_unknown_column(cases):
    with pytest.raises(InputError, match="length"):
        Pseudonymiser(KEY, columns="prs_Email", length=4).fit(cases)
    with pytest.raises(InputError, match="no such column"):
        Pseudonymiser(KEY, columns="nope").fit(cases)


def test_key_hidden_from_repr_and_pickle(cases):
    p = Pseudonymiser(KEY, columns="prs_MobilePhone").fit(cases)
    assert "<hidden>" in repr(p) and KEY.hex() not in repr(p) and repr(KEY) not in repr(p)
    assert p.get_params()["key"] == "<hidden>"
    blob = pickle.dumps(p)
    assert KEY not in blob
    q = pickle.loads(blob)
    with pytest.raises(InputError, match="no key"):
        q.transform(cases)
    q.set_params(key=KEY)
    pd.testing.assert_frame_equal(q.transform(cases), p.transform(cases))
    kept = pickle.loads(pickle.dumps(Pseudonymiser(KEY, columns="x", pickle_key=True)))
    assert kept.key == KEY


def test_key_fingerprint_and_changed_key(cases):
    p = Pseudonymiser(KEY, columns="prs_MobilePhone").fit(cases)
    assert len(p.key_fingerprint_) == 16 and p.key_fingerprint_ not in KEY.hex()
    p.set_params(key=OTHER)
    with pytest.raises(InputError, match="differs"):
        p.transform(cases)


def test_generate_and_load_key(tmp_path):
    path = tmp_path / "release.key"
    key = generate_key(path)
    assert len(key) == 32 and load_key(path) == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with pytest.raises(InputError, match="never overwritten"):
        generate_key(path)
    assert generate_key() != generate_key()
    raw = tmp_path / "raw.key"
    raw.write_bytes(OTHER)
    assert load_key(raw) == OTHER
    short = tmp_path / "short.key"
    short.write_text("abcd")
    with pytest.raises(InputError, match="at least 16"):
        load_key(short)
    with pytest.raises(InputError, match="does not exist"):
        load_key(tmp_path / "missing.key")
