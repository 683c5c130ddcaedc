"""`htwork mse` through its own parser; result objects; bad input never gives silent nonsense."""

from __future__ import annotations

import argparse
import json
import math

import pytest

from htwork.cli.prevalence import register
from htwork.errors import InputError
from htwork.prevalence import CaptureTable, estimate
from tests.prevalence.conftest import DATA


def _run(capsys, *argv):
    parser = argparse.ArgumentParser(prog="htwork")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["mse", *argv])
    rc = args.func(args)
    return rc, capsys.readouterr().out


def test_json_output(capsys):
    rc, out = _run(capsys, str(DATA / "uk_2013.csv"), "--method", "stepwise", "--json")
    assert rc == 0
    d = json.loads(out)
    for key in ("observed", "estimate", "ci_low", "ci_high", "interval_kind", "model", "checks"):
        assert key in d
    assert d["observed"] == 2744
    assert round(d["estimate"], 1) == 11313.0
    assert d["model"] == ["LA:NG", "LA:PFNCA", "NG:GO", "NG:GP", "PFNCA:GP", "GO:GP"]
    assert d["checks"]["code"] == 0


@pytest.mark.parametrize("method,expected", [
    ("main", 13444.1), pytest.param("bic", 25311.3, marks=pytest.mark.slow), ("bhs", 11313.0)])
def test_methods(capsys, method, expected):
    rc, out = _run(capsys, str(DATA / "uk_2013.csv"), "--method", method, "--json")
    assert rc == 0
    assert round(json.loads(out)["estimate"], 1) == expected


@pytest.mark.slow
def test_bic_two_list_terms_only(capsys):
    _, out = _run(capsys, str(DATA / "uk_2013.csv"), "--method", "bic", "--max-order", "2",
                  "--json")
    d = json.loads(out)
    assert round(d["estimate"], 1) == 22991.3
    assert d["hierarchy"] == "[12,13,23,25,34]"


def test_text_output_and_bootstrap(capsys):
    rc, out = _run(capsys, str(DATA / "artificial_3.csv"), "--method", "stepwise",
                   "--nboot", "30", "--seed", "3", "--jobs", "1")
    assert rc == 0
    assert "Population estimate (stepwise)" in out and "model-aware" in out


def test_bad_file_raises_input_error(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,count\n1,0,4\n0,0,3\n")
    with pytest.raises(InputError, match="row 3"):
        _run(capsys, str(bad))


def test_empty_list_gives_warning_not_nonsense(uk):
    counts = uk.cell_counts
    wide = CaptureTable(list(uk.lists) + ["X"], list(counts) + [0] * len(counts))
    r = estimate(wide, "stepwise")
    assert r.estimate == pytest.approx(11312.99, rel=1e-6)
    assert any("nobody on it" in w for w in r.warnings)
    assert "X" in r.checks["minus_infinity"]


def test_unidentifiable_model_is_never_a_silent_number(artificial):
    r = estimate(artificial, "fixed", model=["A:B", "A:C", "B:C"])
    assert math.isnan(r.estimate)
    assert r.checks["code"] == 2 and not r.checks["identifiable"]
    assert r.to_dict()["estimate"] is None
    json.dumps(r.to_dict())


def test_result_views(uk):
    r = estimate(uk, "stepwise")
    assert "MSEResult(method='stepwise', estimate=11,313.0" in repr(r)
    assert "<table>" in r._repr_html_()
    assert "95% interval: 9,884.4 to 13,027.4" in r.summary()
    frame = r.to_frame()
    assert frame.loc[0, "estimate"] == pytest.approx(11312.99, rel=1e-6)
    assert len(r.models) == 7
    assert r.models.to_frame()["p_value"].iloc[1] < 1e-6
    assert "ModelTable" in repr(r.models) and "<table" in r.models._repr_html_()
    assert r.fit.profile_interval()[0] < r.estimate < r.fit.profile_interval()[1]


def test_many_lists_use_downhill_for_bic():
    from htwork.prevalence import simulate_lists

    sim = simulate_lists(3000, [0.1, 0.15, 0.2, 0.05, 0.1, 0.12, 0.08, 0.2],
                         dependence={"A:B": 1.0, "C:D": 0.8}, seed=4)
    r = estimate(sim.table, "bic")
    assert any("downhill" in w for w in r.warnings)
    assert "A:B" in r.model and "C:D" in r.model
    assert abs(r.estimate / 3000 - 1) < 0.1
    assert estimate(sim.table, "stepwise").checks["code"] == 0


def test_count_column_found_case_insensitively(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("A,B,Freq\n1,0,4\n0,1,3\n1,1,1\n")
    assert CaptureTable.from_counts(path).observed == 8


def test_per_100k(uk):
    from htwork.prevalence import per_100k

    r = estimate(uk, "stepwise")
    out = per_100k(r, 64_100_000)
    assert out["rate"] == pytest.approx(r.estimate / 641.0)
    assert out["rate_low"] < out["rate"] < out["rate_high"]
    assert any("linkage" in c for c in out["caveats"])
    with pytest.raises(InputError):
        per_100k(r, 0)


@pytest.mark.parametrize("counts", [{"100": 35}, {"110": 5}, {"11": 4, "10": 3}])
@pytest.mark.parametrize("method", ["stepwise", "main", "bic", "downhill", "bhs"])
def test_degenerate_tables_are_flagged_not_estimated(counts, method):
    r = estimate(CaptureTable.from_dict(counts), method)
    assert math.isnan(r.estimate)
    assert r.checks["code"] != 0
    assert any("cannot be used" in w for w in r.warnings)
