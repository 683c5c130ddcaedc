"""``htwork synth`` and ``htwork evaluate`` through their ``register`` hook."""

from __future__ import annotations

import argparse
import json

import pytest

from htwork.cli.synth import register
from tests.synth.fixtures import case_table


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="htwork")
    register(parser.add_subparsers(dest="command", required=True))
    return parser


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return args.func(args)


@pytest.mark.slow
def test_synth_then_evaluate(tmp_path, capsys):
    t = case_table(1000, seed=3)
    t.iloc[:500].to_csv(tmp_path / "train.csv", index=False)
    t.iloc[500:].to_csv(tmp_path / "holdout.csv", index=False)
    out = tmp_path / "synthetic.csv"
    assert _run(["synth", str(tmp_path / "train.csv"), "--method", "default", "--n", "400",
                 "--seed", "4", "--out", str(out)]) == 0
    assert "wrote 400 synthetic rows" in capsys.readouterr().out
    first = out.read_bytes()
    assert _run(["synth", str(tmp_path / "train.csv"), "--n", "400", "--seed", "4",
                 "--out", str(out)]) == 0
    assert out.read_bytes() == first  # same seed, same bytes
    capsys.readouterr()
    assert _run(["evaluate", str(tmp_path / "train.csv"), str(out), "--holdout",
                 str(tmp_path / "holdout.csv"), "--json", "--n-attacks", "100",
                 "--secrets", "gender", "--parts", "copies", "privacy"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["n_synthetic"] == 400 and "privacy" in data and "exact_copies" in data


@pytest.mark.slow
def test_dp_needs_epsilon(tmp_path):
    import pytest

    from htwork.errors import InputError

    case_table(300, seed=1).to_csv(tmp_path / "t.csv", index=False)
    with pytest.raises(InputError, match="--epsilon"):
        _run(["synth", str(tmp_path / "t.csv"), "--method", "dp", "--seed", "1",
              "--out", str(tmp_path / "o.csv")])
    assert _run(["synth", str(tmp_path / "t.csv"), "--method", "dp", "--epsilon", "1",
                 "--seed", "1", "--out", str(tmp_path / "o.csv")]) == 0
