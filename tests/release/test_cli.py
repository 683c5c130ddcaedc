"""``release``, ``replay`` and ``scan`` from the command line; agency files via a crosswalk;
input that fails validation stops the release."""

from __future__ import annotations

import pytest

from htwork.cli import main
from htwork.errors import InputError
from htwork.release import release

from .conftest import REPO

TH = REPO / "datasets" / "demo" / "cases_th_cross_ministerial.csv"


@pytest.fixture(scope="module")
def th_release(tmp_path_factory):
    out = tmp_path_factory.mktemp("th") / "rel"
    code = main(["release", str(TH), "--crosswalk", "th_cross_ministerial", "--policy",
                 "hdx_global_risk_3pct", "--out", str(out), "--quiet"])
    assert code == 0
    return out


@pytest.mark.slow
def test_release_of_an_agency_file_through_its_crosswalk(th_release, capsys):
    assert (th_release / "datapackage.json").is_file()
    assert main(["scan", str(th_release), "--against", str(TH), "--crosswalk",
                 "th_cross_ministerial"]) == 0
    assert "nothing found" in capsys.readouterr().out


@pytest.mark.slow
def test_scan_exits_1_on_a_leak(th_release, tmp_path, capsys):
    import shutil

    from htwork.standards.crosswalk import load_crosswalk

    df = load_crosswalk("th_cross_ministerial").read(TH)
    phone = df["prs_MobilePhone"].dropna().iloc[0]
    copy = tmp_path / "leaky"
    shutil.copytree(th_release, copy)
    (copy / "NOTES.txt").write_text(f"call {phone}\n", encoding="utf-8")
    code = main(["scan", str(copy), "--against", str(TH), "--crosswalk",
                 "th_cross_ministerial"])
    assert code == 1
    assert "NOTES.txt" in capsys.readouterr().out


@pytest.mark.slow
def test_replay_from_the_command_line(th_release, tmp_path):
    out = tmp_path / "again"
    assert main(["replay", str(th_release / "recipe.yaml"), str(TH), "--out", str(out),
                 "--quiet"]) == 0
    assert (out / "data.csv").read_bytes() == (th_release / "data.csv").read_bytes()


def test_invalid_input_stops_the_release(extract, tmp_path):
    bad = tmp_path / "bad.csv"
    text = extract.read_text(encoding="utf-8").splitlines(keepends=True)
    header = text[0].rstrip("\n").split(",")
    assert header[0] == "cas_CaseId"
    bad.write_text(text[0] + text[1].replace(",Female,", ",Femail,", 1) + "".join(text[2:]),
                   encoding="utf-8")
    if bad.read_text(encoding="utf-8") == extract.read_text(encoding="utf-8"):
        pytest.skip("first record has no gender to spoil")
    with pytest.raises(InputError, match="input standard"):
        release(bad, "ctdc_k11", out=tmp_path / "never", progress=False)
    assert not (tmp_path / "never").exists()


def test_unknown_policy_exits_2(tmp_path, capsys):
    assert main(["release", str(TH), "--policy", "no_such", "--out", str(tmp_path / "x"),
                 "--quiet"]) == 2
    assert "preset" in capsys.readouterr().err
