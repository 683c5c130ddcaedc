"""Issue 17, point 3: outputs carry no input file name, path or unknown header, and ``report``
runs the leak scan before it publishes."""

from __future__ import annotations

import gzip
import zlib

import pandas as pd
from matplotlib.text import Text

from htwork.cli import main
from htwork.report import quarterly_report

from .conftest import FILE_NAME, SECRETS


def texts_of(path) -> str:
    """Everything a person could read in a file: its text, PNG text chunks (inflated)."""
    data = path.read_bytes()
    out = [data.decode("utf-8", "replace")]
    if data.startswith(b"\x89PNG"):
        i = 8
        while i < len(data):
            n = int.from_bytes(data[i:i + 4], "big")
            kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + n]
            if kind == b"zTXt":
                key, _, rest = body.partition(b"\0")
                out.append(key.decode("latin-1") + zlib.decompress(rest[1:]).decode("latin-1"))
            elif kind in (b"tEXt", b"iTXt"):
                out.append(body.decode("utf-8", "replace"))
            i += 12 + n
    if data[:2] == b"\x1f\x8b":
        out.append(gzip.decompress(data).decode("utf-8", "replace"))
    return "\n".join(out)


def assert_no_secret(folder, extra=()) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            text = texts_of(path)
            for secret in (*SECRETS, *extra):
                assert secret not in text, (path.name, secret)


def test_release_names_neither_file_nor_unknown_header(released):
    """``release`` wrote the input's file name, and unknown headers, into ``recipe.yaml``, the
    datasheet, ``datapackage.json`` and ``risk_report.json``."""
    folder, src = released
    assert_no_secret(folder, extra=(str(src.parent), FILE_NAME))
    recipe = (folder / "recipe.yaml").read_text(encoding="utf-8")
    assert "the input extract" in recipe and "other_columns: 1" in recipe
    assert "the input extract" in (folder / "DATASHEET.md").read_text(encoding="utf-8")


def test_replay_still_works_without_the_name(released, tmp_path):
    folder, src = released
    out = tmp_path / "again"
    assert main(["replay", str(folder / "recipe.yaml"), str(src), "--out", str(out),
                 "--quiet"]) == 0
    for p in folder.iterdir():
        assert (out / p.name).read_bytes() == p.read_bytes(), p.name


def test_report_names_no_file(released, tmp_path):
    """``report`` wrote the file name into report.json and drew "Source: <file>" on every
    chart."""
    _, src = released
    out = tmp_path / "report"
    assert main(["report", str(src), "--quarter", "2024Q3", "--out", str(out)]) == 0
    assert_no_secret(out, extra=(FILE_NAME, str(src.parent)))
    report = quarterly_report(src, "2024Q3")
    assert report.source is not None and report.source.startswith("the case extract (SHA-256")
    for fig in report.figures.values():
        drawn = " ".join(t.get_text() for t in fig.findobj(Text))
        assert "Source: case extract" in drawn
        for secret in SECRETS:
            assert secret not in drawn


def test_report_runs_the_leak_scan(released, tmp_path, monkeypatch, capsys):
    """``report`` ran no leak scan: a name slipping into any file of the folder now stops it."""
    import htwork.report.render as render

    _, src = released
    name = pd.read_csv(src, dtype=str)["prs_FirstName"].dropna().iloc[0] + " " + \
        pd.read_csv(src, dtype=str)["prs_SecondName"].dropna().iloc[0]
    real = render.write_files

    def leaky(report, folder):
        real(report, folder)
        (folder / "extra.md").write_text(f"Seen: {name}", encoding="utf-8")

    monkeypatch.setattr(render, "write_files", leaky)
    out = tmp_path / "report"
    assert main(["report", str(src), "--quarter", "2024Q3", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "leak scan" in err and "Traceback" not in err
    assert not out.exists()
    assert not list(tmp_path.iterdir())
