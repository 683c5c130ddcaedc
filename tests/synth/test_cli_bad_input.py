"""``htwork synth`` on bad input: a clear error naming file, column and row; nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from htwork.cli import main
from htwork.standards import profile
from tests.synth.fixtures import survey_table


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return survey_table(400, seed=5).drop(columns=["bmi", "agegr", "majority"])


def _schema(df: pd.DataFrame, path: Path, **fields: dict) -> Path:
    d = profile(df).to_frictionless()
    for f in d["fields"]:
        f.update(fields.get(f["name"], {}))
    path.write_text(json.dumps(d, default=str), encoding="utf-8")
    return path


def _all_missing(df, tmp):
    schema = _schema(df, tmp / "schema.json")  # income declared a number
    df = df.assign(income=float("nan"))
    return df, ["--schema", str(schema)], "income", None, "every cell is missing"


def _mixed_dates(df, tmp):
    df = df.assign(registered=df["registered"].dt.strftime("%Y-%m-%d"))
    df.loc[7, "registered"] = "31/01/2011"
    return df, [], "registered", 9, "more than one format"  # record 7 sits on row 9


def _one_value(df, tmp):
    df = df.assign(wave=3)
    schema = _schema(df, tmp / "schema.json", wave={"type": "integer"})
    return df, ["--schema", str(schema)], "wave", None, "at least two distinct values"


def _narrow_bound(df, tmp):
    schema = _schema(df, tmp / "schema.json",
                     age={"constraints": {"minimum": 18, "maximum": 80}})
    first = int(((df["age"] < 18) | (df["age"] > 80)).to_numpy().argmax())
    return df, ["--schema", str(schema)], "age", first + 2, "outside the declared bounds"


@pytest.mark.parametrize("case", [_all_missing, _mixed_dates, _one_value, _narrow_bound],
                         ids=["all-missing", "mixed-dates", "one-value", "narrow-bound"])
def test_bad_input_names_file_column_row_and_writes_nothing(survey, tmp_path, capsys, case):
    df, extra, column, row, what = case(survey.copy(), tmp_path)
    src = tmp_path / "cases.csv"
    df.to_csv(src, index=False)
    before = src.read_bytes()
    out = tmp_path / "out" / "synthetic.csv"
    status = main(["synth", str(src), "--seed", "1", "--out", str(out), *extra])
    err = capsys.readouterr().err
    assert status == 2, err
    assert f"file {src}" in err and f"column {column!r}" in err and what in err
    if row is not None:
        assert f"row {row}:" in err
        assert str(df.loc[row - 2, column]) in err  # the row is the file's row
    assert "Traceback" not in err
    assert not out.exists() and not out.parent.exists()
    assert src.read_bytes() == before
