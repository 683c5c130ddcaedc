"""``htwork validate`` and ``htwork demo`` end to end, as a user runs them (issue 2's promises)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from htwork.cli import main

# slow: runs the command line end to end, several times as a process
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "datasets" / "demo"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run the command as a separate process, the way a user does."""
    return subprocess.run(
        [sys.executable, "-m", "htwork", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("file", "crosswalk"),
    [
        ("cases_kh_identification_form.xlsx", "kh_identification_form"),
        ("cases_th_cross_ministerial.csv", "th_cross_ministerial"),
    ],
)
def test_agency_variants_validate_with_zero_problems(file, crosswalk, capsys):
    status = main(["validate", str(DEMO / file), "--crosswalk", crosswalk])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "0 errors, 0 warnings" in out


def test_demo_validates_then_releases(capsys, tmp_path):
    out_dir = tmp_path / "release"
    assert main(["demo", "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    assert "5,000 rows" in out and "0 errors" in out
    assert str(out_dir) in out and "leak scan: 0 identifiers found" in out
    assert (out_dir / "datapackage.json").exists()


def _broken_copy(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """The demo extract with four planted problems; returns the path and their rows."""
    text = (DEMO / "cases.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    gender = header.index("prs_Gender")
    registered = header.index("cas_RegistrationDate")
    first_name = header.index("prs_FirstName")
    dropped = header.index("cas_IdentifyingOrganisation")
    # spreadsheet rows: header is row 1, so rows[i] is row i + 1
    planted = {"unknown_code": 11, "buddhist_era": 21, "bad_encoding": 31}
    rows[planted["unknown_code"] - 1][gender] = "Mael"
    year, rest = rows[planted["buddhist_era"] - 1][registered].split("-", 1)
    rows[planted["buddhist_era"] - 1][registered] = f"{int(year) + 543}-{rest}"
    rows[planted["bad_encoding"] - 1][first_name] = "\x00THAI\x00"  # placeholder, bytes below
    rows = [r[:dropped] + r[dropped + 1 :] for r in rows]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    # the row pasted from a Thai Windows system: its name is in windows-874, not UTF-8
    data = buf.getvalue().encode("utf-8").replace(
        b"\x00THAI\x00", "สมชาย".encode("cp874")
    )
    path = tmp_path / "broken.csv"
    path.write_bytes(data)
    return path, planted


def test_broken_copy_names_each_problem_and_fails(tmp_path):
    path, planted = _broken_copy(tmp_path)
    result = run_cli("validate", str(path))
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out
    assert str(path) in out
    # a missing required column, by name
    assert "cas_IdentifyingOrganisation" in out
    # the unknown code, with its row and the nearest allowed code
    assert f"row {planted['unknown_code']}" in out and "'Mael'" in out and "'Male'" in out
    # the Buddhist-Era date, with its row and column
    assert f"row {planted['buddhist_era']}" in out and "cas_RegistrationDate" in out
    assert "Buddhist" in out
    # the wrong encoding, with its row and the encoding it looks like
    assert f"row {planted['bad_encoding']}" in out
    assert "874" in out or "Thai" in out


def test_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "picture.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr


def test_missing_file_is_a_clear_error(tmp_path):
    result = run_cli("validate", str(tmp_path / "nope.csv"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "nope.csv" in result.stderr


@pytest.mark.parametrize(
    ("crosswalk", "suffix"),
    [("kh_identification_form", ".xlsx"), ("th_cross_ministerial", ".csv")],
)
def test_simulate_in_an_agency_format_then_validate(crosswalk, suffix, tmp_path, capsys):
    out = tmp_path / f"extract{suffix}"
    assert main(["simulate", "--n", "200", "--seed", "3", "--out", str(out),
                 "--agency-format", crosswalk]) == 0
    assert main(["validate", str(out), "--crosswalk", crosswalk]) == 0
    assert "200 rows, 0 errors, 0 warnings" in capsys.readouterr().out


def test_simulate_same_seed_same_bytes(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    for path, seed in ((a, 11), (b, 11), (c, 12)):
        assert main(["simulate", "--n", "500", "--seed", str(seed), "--out", str(path)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_a_table_with_no_column_of_the_standard_does_not_pass(tmp_path):
    """Issue 12: the release-standard check passed a file whose columns were all unrelated."""
    import subprocess
    import sys

    path = tmp_path / "unrelated.csv"
    path.write_text("foo,bar\n1,2\n3,4\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "htwork", "validate", str(path), "--standard",
                           "release"], capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "none of the table's 2 columns is a field of the" in proc.stdout + proc.stderr
