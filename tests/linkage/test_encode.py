"""Encoding at the agency: keyed, deterministic, balanced, no plain value, no key."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from htwork.errors import InputError
from htwork.linkage import encode, encode_file, key_fingerprint, new_key, read_encoded
from htwork.linkage.encode import ENCODING_VERSION, Encoder
from htwork.linkage.keys import subkey
from tests.linkage.scan import assert_nothing_plain


def _frame(sim, name="Police"):
    return sim.lists[name]


def test_same_input_and_key_give_identical_encodings(sim, key, tmp_path):
    a = encode(_frame(sim), key, "Police")
    b = encode(_frame(sim).copy(), key, "Police")
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.meta == b.meta
    pa_, pb = tmp_path / "a.parquet", tmp_path / "b.parquet"
    a.save(pa_)
    b.save(pb)
    assert pa_.read_bytes() == pb.read_bytes()


def test_another_key_changes_every_encoding(sim, key, other_key):
    a = encode(_frame(sim), key, "Police").frame
    b = encode(_frame(sim), other_key, "Police").frame
    assert set(a["rid"]).isdisjoint(b["rid"])
    for col in ("h_name", "h_dob", "h_y", "h_sex"):
        assert set(a[col].dropna()).isdisjoint(b[col].dropna())
    assert not set(map(tuple, a[[f"bf_{i}" for i in range(16)]].dropna().to_numpy())) & set(
        map(tuple, b[[f"bf_{i}" for i in range(16)]].dropna().to_numpy()))


def test_filters_are_balanced(sim, key):
    f = encode(_frame(sim), key, "Police").frame
    words = f[[f"bf_{i}" for i in range(16)]].dropna().to_numpy(dtype=np.int64)
    bits = np.unpackbits(np.ascontiguousarray(words).view(np.uint8), axis=1)
    # every record sets exactly half of the 1024 bits, whatever its name's length
    assert (bits.sum(axis=1) == 512).all()


def test_metadata_records_parameters_not_the_key(sim, key, tmp_path):
    e = encode(_frame(sim), key, "Police")
    out = tmp_path / "police.parquet"
    e.save(out)
    meta = json.loads(pq.read_schema(out).metadata[b"htwork.linkage"])
    assert meta["bloom"]["bits"] == 512 and meta["bloom"]["balanced"] is True
    assert meta["bloom"]["hashes"] == 16 and meta["bloom"]["qgram"] == 2
    assert meta["key_fingerprint"] == key_fingerprint(key)
    assert meta["list"] == "Police" and meta["records"] == len(_frame(sim))
    assert read_encoded(out).frame.equals(e.frame)


def test_encode_file_writes_nothing_plain_and_no_key(sim, tmp_path):
    lists = tmp_path / "agency"
    lists.mkdir()
    src = lists / "police_export.csv"
    sim.lists["Police"].to_csv(src, index=False)
    key_path = new_key(tmp_path / "shared.key")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "Police.parquet"
    encode_file(src, key_path, out)
    assert_nothing_plain([out], sim.lists["Police"], key_path, forbidden=["police_export"])


def test_encode_file_makes_the_folder_of_its_output_only_when_it_writes(sim, tmp_path):
    src = tmp_path / "police.csv"
    sim.lists["Police"].to_csv(src, index=False)
    key_path = new_key(tmp_path / "shared.key")
    out = tmp_path / "new" / "deeper" / "Police.parquet"
    encode_file(src, key_path, out)
    assert read_encoded(out).meta["records"] == len(sim.lists["Police"])
    empty = tmp_path / "empty.csv"
    empty.write_text("name,dob,sex\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        encode_file(empty, key_path, tmp_path / "never" / "Police.parquet")
    assert not (tmp_path / "never").exists()


def test_new_key_never_overwrites(tmp_path):
    p = new_key(tmp_path / "k.key")
    before = p.read_bytes()
    with pytest.raises(InputError, match="never overwritten"):
        new_key(p)
    assert p.read_bytes() == before
    assert (p.stat().st_mode & 0o777) == 0o600


def test_encoder_is_never_pickled(key):
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(Encoder(key))
    assert key.hex() not in repr(Encoder(key))


# ------------------------------------------------------------------ bad input ----------------

def _write(tmp_path, df, name="list.csv"):
    p = tmp_path / name
    df.to_csv(p, index=False)
    return p


def test_no_name_column(tmp_path):
    key_path = new_key(tmp_path / "k.key")
    src = _write(tmp_path, pd.DataFrame({"dob": ["1990-01-01"], "sex": ["m"]}))
    out = tmp_path / "enc.parquet"
    with pytest.raises(InputError, match="no name column") as err:
        encode_file(src, key_path, out)
    assert "list.csv" in str(err.value)
    assert not out.exists()


def test_empty_list(tmp_path):
    key_path = new_key(tmp_path / "k.key")
    out = tmp_path / "enc.parquet"
    header_only = tmp_path / "header.csv"
    header_only.write_text("name,dob,sex\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        encode_file(header_only, key_path, out)
    zero = tmp_path / "zero.csv"
    zero.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        encode_file(zero, key_path, out)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["header.csv", "k.key", "zero.csv"]


def test_bad_list_name_and_outputs(sim, tmp_path):
    key_path = new_key(tmp_path / "k.key")
    src = _write(tmp_path, sim.lists["NGO"])
    with pytest.raises(InputError, match="list name"):
        encode_file(src, key_path, tmp_path / "x.parquet", list_name="Police dept")
    before = src.read_bytes()
    with pytest.raises(InputError, match="overwrite the list"):
        encode_file(src, key_path, src)
    with pytest.raises(InputError, match="overwrite the key"):
        encode_file(src, key_path, key_path)
    assert src.read_bytes() == before
    assert not (tmp_path / "x.parquet").exists()


def test_file_from_another_encoding_version(sim, key, tmp_path):
    import pyarrow as pa

    e = encode(sim.lists["NGO"], key, "NGO")
    p = tmp_path / "ngo.parquet"
    e.save(p)
    table = pq.read_table(p)
    meta = json.loads(table.schema.metadata[b"htwork.linkage"])
    meta["version"] = ENCODING_VERSION + 1
    pq.write_table(table.replace_schema_metadata({b"htwork.linkage": json.dumps(meta)}), p)
    with pytest.raises(InputError, match="another version"):
        read_encoded(p)
    plain = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"name": ["x"]}), plain)
    with pytest.raises(InputError, match="not an htwork encoding"):
        read_encoded(plain)


def test_subkeys_differ_and_hide_the_key(key):
    ks = {subkey(key, p) for p in ("bloom", "field", "permutation", "record")}
    assert len(ks) == 4 and key not in ks


@pytest.mark.parametrize("columns, expected", [
    (["Victim full name", "Date of birth", "Gender", "Case no"], "Victim full name"),
    (["case_id", "client_name", "dob"], "client_name"),
    (["Name", "Victim full name"], "Name"),                        # an exact header first
])
def test_a_name_header_with_words_before_it_is_recognised(columns, expected):
    from htwork.linkage.encode import find_columns

    assert find_columns(columns)["name"] == expected


@pytest.mark.parametrize("columns", [
    ["victim_name", "child_name", "dob"],                         # two candidates
    ["Victim first name", "Victim last name", "Mother name"],     # split names: not guessed
])
def test_an_ambiguous_name_header_is_not_guessed(columns):
    from htwork.linkage.encode import find_columns

    with pytest.raises(InputError, match="no name column"):
        find_columns(columns)


@pytest.mark.parametrize("columns, name, dob, sex", [
    (["ลำดับ", "ชื่อ-สกุล", "วันเกิด", "เพศ"], "ชื่อ-สกุล", "วันเกิด", "เพศ"),          # Thai
    (["No", "Nama Lengkap", "Tanggal Lahir", "Jenis Kelamin"], "Nama Lengkap",
     "Tanggal Lahir", "Jenis Kelamin"),                                         # Indonesian
    (["ឈ្មោះ", "ថ្ងៃខែឆ្នាំកំណើត", "ភេទ"], "ឈ្មោះ", "ថ្ងៃខែឆ្នាំកំណើត", "ភេទ"),          # Khmer
    (["ຊື່ ແລະ ນາມສະກຸນ", "ວັນເດືອນປີເກີດ", "ເພດ"], "ຊື່ ແລະ ນາມສະກຸນ", "ວັນເດືອນປີເກີດ", "ເພດ"),  # Lao
    (["အမည်", "မွေးသက္ကရာဇ်", "ကျား/မ"], "အမည်", "မွေးသက္ကရာဇ်", "ကျား/မ"),        # Burmese
])
def test_the_regions_form_headers_are_recognised(columns, name, dob, sex):
    from htwork.linkage.encode import find_columns

    cols = find_columns(columns)
    assert (cols["name"], cols["dob"], cols["sex"]) == (name, dob, sex)


def test_headers_with_spaces_or_underscores_are_the_same_header():
    from htwork.linkage.encode import find_columns

    cols = find_columns(["Case ref", "Given name", "Family name", "birth", "sex"])
    assert cols["given"] == "Given name" and cols["family"] == "Family name"
    assert cols["dob"] == "birth"
    assert find_columns(["full-name", "Date_of_Birth"])["name"] == "full-name"
    assert find_columns(["full-name", "Date_of_Birth"])["dob"] == "Date_of_Birth"
