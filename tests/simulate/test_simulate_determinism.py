"""Same seed, same bytes; another seed, another extract; parameters and edge cases."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.errors import HtworkError
from htwork.io import write_csv
from htwork.simulate import CaseSimulator, simulate, write_extract, write_standard_csv


@pytest.mark.slow
def test_same_seed_same_csv_bytes(tmp_path):
    a = write_extract(simulate(3000, 7), tmp_path / "a.csv")
    b = write_extract(simulate(3000, 7), tmp_path / "b.csv")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.slow
def test_different_seed_differs(tmp_path):
    a, b = simulate(2000, 7), simulate(2000, 8)
    assert not a.equals(b)
    assert (a.cas_Notes.fillna("") != b.cas_Notes.fillna("")).mean() > 0.9


@pytest.mark.slow
def test_streamed_writer_matches_io_writer(tmp_path):
    df = simulate(2500, 11)
    write_csv(df, tmp_path / "io.csv")
    write_standard_csv(df, tmp_path / "streamed.csv", chunk=700)
    assert (tmp_path / "io.csv").read_bytes() == (tmp_path / "streamed.csv").read_bytes()
    tricky = pd.DataFrame({"a": ['x,y', 'q"u', "line\nbreak", "cr\rx", None, " s "],
                           "b,c": list("abcdef")})
    write_csv(tricky, tmp_path / "t1.csv")
    write_standard_csv(tricky, tmp_path / "t2.csv", chunk=4)
    assert (tmp_path / "t1.csv").read_bytes() == (tmp_path / "t2.csv").read_bytes()


def test_read_back_gives_the_same_frame(tmp_path):
    from htwork.io import read_table

    df = simulate(1500, 3)
    back = read_table(write_extract(df, tmp_path / "x.csv"))
    assert back.reset_index(drop=True).equals(df)


@pytest.mark.slow
def test_years_and_duplicates_parameters():
    df, truth = simulate(1000, 5, start_year=2021, end_year=2022, duplicate_rate=0.1,
                         return_truth=True)
    years = df.cas_RegistrationDate.str[:4].astype(int)
    assert years.between(2021, 2022).all()
    assert truth.duplicate_of.notna().sum() == 100
    assert (truth.cas_CaseId == df.cas_CaseId).all()
    none = simulate(500, 5, duplicate_rate=0.0, return_truth=True)[1]
    assert none.duplicate_of.isna().all()


def test_agency_format_restricts_to_that_countrys_agencies():
    from htwork.simulate import _tables as T

    df = simulate(800, 2, agency_format="th_cross_ministerial")
    thai = set(T.organisations().query("country == 'TH'").name)
    assert df.cas_IdentifyingOrganisation.isin(thai).all()
    for col in df.columns:  # everything a Windows-874 file can hold
        for value in df[col].dropna():
            value.encode("cp874")


def test_edge_cases():
    empty = simulate(0, 1)
    assert len(empty) == 0 and len(empty.columns) == 39
    one = simulate(1, 1)
    assert len(one) == 1
    with pytest.raises(HtworkError):
        simulate(-1, 1)
    with pytest.raises(HtworkError):
        simulate(10, 1, start_year=2025, end_year=2020)
    with pytest.raises(HtworkError):
        simulate(10, 1, duplicate_rate=1.5)


def test_case_simulator_follows_sklearn_conventions():
    sim = CaseSimulator(start_year=2020, end_year=2021)
    assert sim.get_params()["start_year"] == 2020
    assert sim.set_params(duplicate_rate=0.0) is sim
    df = sim.sample(300, seed=4)
    assert df.equals(simulate(300, 4, start_year=2020, end_year=2021, duplicate_rate=0.0))
    assert "CaseSimulator(start_year=2020" in repr(sim)
    with pytest.raises(ValueError):
        sim.set_params(colour="red")


def test_provenance_attrs(df):
    meta = df.attrs["htwork"]
    assert meta["simulation"]["seed"] == 424242 and meta["read_problems"] == []


@pytest.mark.slow
def test_general_extract_cannot_go_to_a_cp874_file(tmp_path):
    df = simulate(2000, 9)
    with pytest.raises(HtworkError) as err:
        write_extract(df, tmp_path / "x.csv", agency_format="th_cross_ministerial")
    assert "agency_format='th_cross_ministerial'" in str(err.value)
    assert not (tmp_path / "x.csv").exists()
