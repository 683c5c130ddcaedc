"""The route through the command line: encode at each agency, link, estimate; and bad input.

Every output folder is scanned with the release leak scan (:func:`htwork.release.scan.scan`)
for the lists' names and for the key, and with :func:`tests.linkage.scan.assert_nothing_plain`
for birth dates as written and the key file's text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from htwork.cli import ERROR, main
from htwork.linkage import load_key, simulate_agency_lists
from htwork.release.scan import scan
from tests.linkage.scan import assert_nothing_plain


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def route(tmp_path_factory):
    """Four agencies' lists written as the agencies hold them, a key, their encodings (each in
    a folder of its own, as at the agency), the links folder and the estimate's output."""
    root = tmp_path_factory.mktemp("route")
    sim = simulate_agency_lists(500, seed=5)
    agency = root / "agency"
    lists = sim.save(agency)
    key_path = root / "secret" / "shared.key"
    key_path.parent.mkdir()
    status = main(["encode", "--new-key", str(key_path)])
    assert status == 0
    enc_dir = root / "encodings"
    enc_dir.mkdir()
    outputs = {}
    for name, path in lists.items():
        out = enc_dir / f"{name}.parquet"
        assert main(["encode", str(path), "--key", str(key_path), "--out", str(out)]) == 0
        outputs[name] = out
    links = root / "links"
    assert main(["link", *map(str, outputs.values()), "--out", str(links)]) == 0
    return {"root": root, "sim": sim, "lists": lists, "key": key_path, "enc_dir": enc_dir,
            "encodings": outputs, "links": links}


def test_route_writes_encodings_and_links(route):
    assert sorted(p.name for p in route["enc_dir"].iterdir()) == sorted(
        f"{n}.parquet" for n in route["lists"])
    assert sorted(p.name for p in route["links"].iterdir()) == [
        "capture.csv", "clusters.parquet", "model.json", "pairs.parquet", "summary.json"]
    capture = pd.read_csv(route["links"] / "capture.csv")
    assert list(capture.columns) == [*route["lists"], "count"]
    clusters = pd.read_parquet(route["links"] / "clusters.parquet")
    assert len(clusters) == sum(len(df) for df in route["sim"].lists.values())
    # the capture table counts the persons of the clusters
    assert capture["count"].sum() == clusters["person"].nunique()
    pairs = pd.read_parquet(route["links"] / "pairs.parquet")
    assert pairs["match_probability"].between(0, 1).all() and len(pairs) > 0


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["enc_dir", "links"])
def test_no_plain_identifier_and_no_key_in_outputs(route, folder):
    sim = route["sim"]
    everyone = pd.concat(list(sim.lists.values()), ignore_index=True)
    key = load_key(route["key"])
    result = scan(route[folder], everyone, keys=[key])
    assert result.files and result.ok, result.summary()
    files = sorted(p for p in route[folder].rglob("*") if p.is_file())
    # dates of birth as written, the key file's text and the inputs' file names
    assert_nothing_plain(files, sim.lists.values(), route["key"],
                         forbidden=[str(route["root"]), "agency", "shared.key"])


def test_the_scan_would_see_a_name(route, tmp_path):
    """The leak scan finds a name of the lists when one is written (it can fail)."""
    name = next(n for n in route["sim"].lists["Police"]["name"].dropna() if len(n) > 8)
    (tmp_path / "oops.csv").write_text(f"note\n{name}\n", encoding="utf-8")
    everyone = pd.concat(list(route["sim"].lists.values()), ignore_index=True)
    assert not scan(tmp_path, everyone).ok


def test_mse_from_links_reports_both_intervals(route, capsys):
    status, out, _ = _run(capsys, "mse", "--links", route["links"], "--draws", 20, "--seed", 3,
                          "--json")
    assert status == 0
    d = json.loads(out)
    w, n = d["with_linkage_uncertainty"], d["ignoring_linkage_uncertainty"]
    assert w["ci_low"] <= w["estimate"] <= w["ci_high"]
    assert n["ci_low"] <= n["estimate"] <= n["ci_high"]
    assert d["draws"] == 20 and d["seed"] == 3
    # the naive estimate is the one from the capture table htwork link wrote
    status, out2, _ = _run(capsys, "mse", str(route["links"] / "capture.csv"), "--json")
    assert status == 0 and json.loads(out2)["estimate"] == pytest.approx(n["estimate"])
    corr = d["corrected_for_missed_links"]
    assert corr["draws"] == 20 and corr["seed"] == 3
    c = corr["corrected_for_missed_links"]
    assert c["ci_low"] <= c["estimate"] <= c["ci_high"]
    assert corr["uncorrected"]["estimate"] == pytest.approx(n["estimate"])
    status, text, _ = _run(capsys, "mse", "--links", route["links"], "--draws", 5)
    assert status == 0
    assert "with linkage uncertainty" in text and "ignoring linkage uncertainty" in text
    assert text.index("corrected for missed links:") < text.index("with linkage uncertainty")


def test_mse_from_older_links_says_why_there_is_no_correction(route, capsys, tmp_path):
    import shutil

    older = tmp_path / "older"
    shutil.copytree(route["links"], older)
    summary = json.loads((older / "summary.json").read_text(encoding="utf-8"))
    del summary["missed_links"]
    (older / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    status, text, _ = _run(capsys, "mse", "--links", older, "--draws", 5)
    assert status == 0
    assert "No correction for missed links" in text and "older 'htwork link'" in text
    assert "with linkage uncertainty" in text


def test_mse_links_option_errors(route, capsys):
    status, _, err = _run(capsys, "mse", "--links", route["links"], "--method", "lcm")
    assert status == ERROR and "--method lcm cannot be used with --links" in err
    status, _, err = _run(capsys, "mse", str(route["links"] / "capture.csv"), "--links",
                          route["links"])
    assert status == ERROR and "not both" in err
    status, _, err = _run(capsys, "mse")
    assert status == ERROR and "--links" in err
    status, _, err = _run(capsys, "mse", "--links", route["root"] / "nowhere")
    assert status == ERROR and "does not exist" in err


def test_the_key_is_never_printed(tmp_path, capsys):
    key_path = tmp_path / "k.key"
    status, out, err = _run(capsys, "encode", "--new-key", key_path)
    assert status == 0 and str(key_path) in out
    text = key_path.read_text().strip()
    assert len(text) >= 32 and text not in out + err
    assert load_key(key_path).hex() not in (out + err).lower()


def test_new_key_is_never_overwritten(route, capsys):
    before = route["key"].read_bytes()
    status, _, err = _run(capsys, "encode", "--new-key", route["key"])
    assert status == ERROR and route["key"].read_bytes() == before
    status, _, err = _run(capsys, "encode", route["lists"]["Police"], "--new-key",
                          route["root"] / "other.key")
    assert status == ERROR and "alone" in err
    assert not (route["root"] / "other.key").exists()


# --- bad input: a clear error, nothing written ---------------------------------------------

def test_lists_encoded_with_different_keys(route, tmp_path, capsys):
    other = tmp_path / "other.key"
    assert main(["encode", "--new-key", str(other)]) == 0
    odd = tmp_path / "Labour.parquet"
    assert main(["encode", str(route["lists"]["Labour"]), "--key", str(other),
                 "--out", str(odd)]) == 0
    capsys.readouterr()
    out = tmp_path / "links"
    before = _tree(tmp_path)
    status, stdout, err = _run(capsys, "link", route["encodings"]["Police"],
                               route["encodings"]["NGO"], odd, "--out", out)
    assert status == ERROR and "different keys" in err and "Labour" in err
    assert "Traceback" not in err and stdout == ""
    assert not out.exists() and _tree(tmp_path) == before


def test_encoding_from_another_version(route, tmp_path, capsys):
    table = pq.read_table(route["encodings"]["NGO"])
    meta = dict(table.schema.metadata)
    inner = json.loads(meta[b"htwork.linkage"])
    inner["version"] = 99
    meta[b"htwork.linkage"] = json.dumps(inner).encode()
    future = tmp_path / "NGO.parquet"
    pq.write_table(table.replace_schema_metadata(meta), future)
    out = tmp_path / "links"
    status, _, err = _run(capsys, "link", route["encodings"]["Police"], future, "--out", out)
    assert status == ERROR and "another version" in err and "NGO.parquet" in err
    assert not out.exists()
    # a Parquet file that is no encoding at all
    plain = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"x": [1, 2]}), plain)
    status, _, err = _run(capsys, "link", route["encodings"]["Police"], plain, "--out", out)
    assert status == ERROR and "not an htwork encoding" in err and not out.exists()


def test_list_with_no_name_column(route, tmp_path, capsys):
    src = tmp_path / "list.csv"
    route["sim"].lists["Police"][["dob", "sex"]].to_csv(src, index=False)
    out = tmp_path / "Police.parquet"
    before = _tree(tmp_path)
    status, _, err = _run(capsys, "encode", src, "--key", route["key"], "--out", out)
    assert status == ERROR and "no name column" in err and "list.csv" in err
    assert "Traceback" not in err and _tree(tmp_path) == before
    # a name column asked for by name that is not there
    status, _, err = _run(capsys, "encode", src, "--key", route["key"], "--out", out,
                          "--name-column", "full name")
    assert status == ERROR and "full name" in err and not out.exists()


@pytest.mark.parametrize("content", ["name,dob,sex\n", "", "name,dob,sex\n,,\n,,\n"])
def test_empty_list(route, tmp_path, capsys, content):
    src = tmp_path / "list.csv"
    src.write_text(content, encoding="utf-8")
    out = tmp_path / "Police.parquet"
    before = _tree(tmp_path)
    status, _, err = _run(capsys, "encode", src, "--key", route["key"], "--out", out)
    assert status == ERROR and "empty" in err.lower() and "Traceback" not in err
    assert _tree(tmp_path) == before


def test_encode_makes_the_folder_of_its_output(route, tmp_path, capsys):
    # a new user's first try: --out into a folder that does not exist yet
    out = tmp_path / "to_coordinator" / "2026" / "Police.parquet"
    status, _, err = _run(capsys, "encode", route["lists"]["Police"], "--key", route["key"],
                          "--out", out)
    assert status == 0, err
    assert pq.read_table(out).num_rows == len(route["sim"].lists["Police"])
    # on bad input the folder is not made either
    src = tmp_path / "empty.csv"
    src.write_text("name,dob,sex\n", encoding="utf-8")
    out2 = tmp_path / "never" / "Police.parquet"
    status, _, err = _run(capsys, "encode", src, "--key", route["key"], "--out", out2)
    assert status == ERROR and not out2.parent.exists()


def test_encode_needs_key_and_out(route, tmp_path, capsys):
    status, _, err = _run(capsys, "encode", route["lists"]["Police"])
    assert status == ERROR and "--key" in err and "--out" in err
    bad_key = tmp_path / "short.key"
    bad_key.write_text("abcd\n")
    out = tmp_path / "Police.parquet"
    status, _, err = _run(capsys, "encode", route["lists"]["Police"], "--key", bad_key,
                          "--out", out)
    assert status == ERROR and not out.exists()


def test_link_refuses_a_folder_that_holds_files(route, tmp_path, capsys):
    out = tmp_path / "links"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    status, _, err = _run(capsys, "link", *route["encodings"].values(), "--out", out)
    assert status == ERROR and "already exists" in err
    assert _tree(out) == {"keep.txt": b"x"}
