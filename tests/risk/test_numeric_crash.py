"""One huge-exponent cell in a key column used to kill ``assess`` (segmentation fault, exit
139, pandas ``to_numeric`` in SUDA2's ranking). Run in a subprocess: a crash would take the
test runner with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str]) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          timeout=300, cwd=REPO)


def test_assess_library_survives_huge_exponent():
    code = (
        "import pandas as pd\n"
        "from htwork.risk import assess\n"
        "df = pd.DataFrame({'age': ['1', '1', '1e2147483648', '2', '2'],"
        " 'sex': ['F', 'F', 'F', 'M', 'M'], 's': list('abcab')})\n"
        "rep = assess(df, ['age', 'sex'], sensitive='s')\n"
        "print(rep.to_dict()['sample_uniques'])\n"
    )
    proc = _run(["-c", code])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "1"


def test_assess_command_survives_huge_exponent(tmp_path):
    path = tmp_path / "keys.csv"
    path.write_text("age,sex\n1,F\n2,M\n1e2147483648,F\n2,F\n1,M\n", encoding="utf-8")
    proc = _run(["-m", "htwork", "assess", str(path), "--quasi", "age,sex", "--json"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["n_records"] == 5
