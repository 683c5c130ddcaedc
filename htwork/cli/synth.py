"""``htwork synth`` and ``htwork evaluate``: the command line over :mod:`htwork.synth`.

``htwork synth FILE --method NAME --n N --seed S --out OUT`` fits
:func:`htwork.synth.make_synthesizer` on FILE and writes N synthetic rows with
:func:`htwork.io.write_table`; ``htwork evaluate TRAIN SYNTHETIC --holdout HOLDOUT [--json]``
prints :func:`htwork.synth.evaluate` (utility and privacy, each beside the holdout scored as
if synthetic).

Their options list the library's synthesis methods and evaluation parts, so their arguments
are added only when one of them is parsed (:func:`~htwork.cli._parser.add_arguments_later`):
the other commands never import :mod:`htwork.synth`.
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from htwork.cli._parser import Subparsers, add_arguments_later

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["cmd_evaluate", "cmd_synth", "register"]


def _read(path: str, columns: list[str] | None = None) -> pd.DataFrame:
    """The table, rows numbered from 0, with only ``columns`` when given."""
    from htwork.io import read_table

    return read_table(path, columns=columns or None).reset_index(drop=True)


def cmd_synth(args: argparse.Namespace) -> int:
    """Fit a synthesizer on a file and write synthetic rows."""
    from htwork.errors import InputError
    from htwork.io import write_table
    from htwork.synth import make_synthesizer, release_domain

    df = _read(args.file, args.columns)
    params: dict[str, Any] = {}
    if args.epsilon is not None:
        params["epsilon"] = args.epsilon
    if args.delta is not None:
        params["delta"] = args.delta
    if args.epochs is not None:
        params["epochs"] = args.epochs
    if args.no_rules:
        params["rules"] = None
    if args.min_rows is not None:
        params["min_rows"] = args.min_rows
    if args.schema is not None:
        from htwork.standards import load_standard

        params["schema"] = load_standard(args.schema)
    if args.method.lower() == "dp":
        if args.epsilon is None:
            raise InputError("the dp method needs --epsilon", hint="e.g. --epsilon 1")
        params["domain"] = release_domain(df.columns)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        syn = make_synthesizer(args.method, **params).fit(df)
        out = syn.sample(args.n if args.n is not None else len(df), seed=args.seed)
    for w in caught:
        if issubclass(w.category, UserWarning):
            print(f"note: {w.message}")
    path = Path(args.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_table(out, path)
    print(f"wrote {len(out):,} synthetic rows ({args.method}, seed {args.seed}) to {path}")
    privacy = getattr(syn, "privacy_", None)  # the dp method's spent budget
    if privacy:
        print(f"differential privacy: epsilon={privacy['epsilon']}, "
              f"delta={privacy['delta']:g} (rho={privacy['rho']:.5f} zCDP)")
    if args.save_model:
        syn.save(args.save_model)
        print(f"saved the fitted synthesizer to {args.save_model} (pickle: keep it private)")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Evaluate a synthetic file against its training file and a holdout file."""
    from htwork.standards import load_standard
    from htwork.synth import evaluate

    train = _read(args.train, args.columns)
    cols = list(train.columns)
    synthetic = _read(args.synthetic, cols)
    holdout = _read(args.holdout, cols)
    options: dict[str, Any] = {}
    if args.parts:
        options["parts"] = args.parts
    if args.schema:
        options["schema"] = load_standard(args.schema)
    result = evaluate(
        train, synthetic, holdout, target=args.target, by=args.by,
        predictors=args.predictors, secrets=args.secrets, n_attacks=args.n_attacks,
        seed=args.seed, **options,
    )
    if args.figures:
        folder = Path(args.figures)
        folder.mkdir(parents=True, exist_ok=True)
        for name, fig in result.plot("all").items():
            fig.savefig(folder / f"{name}.png", dpi=120, bbox_inches="tight")
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(result.summary())
        if args.figures:
            print(f"\nfigures written to {args.figures}/ (marginals, pairs, risks .png)")
    return 0


def _synth_arguments(p: argparse.ArgumentParser) -> None:
    from htwork.synth import METHODS

    p.description = (
        "Fit a synthesizer on FILE (one row per person, categorical columns) and write N "
        "synthetic rows. Methods: " + "; ".join(f"{k}: {v[3]}" for k, v in METHODS.items())
    )
    p.add_argument("file", help="training table: CSV, Excel or Parquet")
    p.add_argument("--method", default="default", choices=sorted(METHODS),
                   help="synthesis method (default: htwork's Bayesian network)")
    p.add_argument("--n", type=int, help="rows to write (default: as many as FILE has)")
    p.add_argument("--seed", type=int, required=True, help="random seed of the sampling")
    p.add_argument("--out", required=True, help="output file (.csv or .parquet)")
    p.add_argument("--columns", nargs="+", help="use only these columns")
    p.add_argument("--epsilon", type=float, help="privacy budget of the dp method")
    p.add_argument("--delta", type=float, help="delta of the dp method (default 1e-9)")
    p.add_argument("--epochs", type=int, help="training epochs of ctgan / tvae (default 300)")
    p.add_argument("--min-rows", type=int, help="fewest training rows accepted (default 100)")
    p.add_argument("--schema", help="table schema giving the columns' types, missing-value "
                   "codes and bounds (as `htwork profile` writes it; YAML or JSON) instead of "
                   "inferring them; in the dp method, its code lists are the public domain")
    p.add_argument("--no-rules", action="store_true",
                   help="do not enforce the release standard's structural rules")
    p.add_argument("--save-model", help="also save the fitted synthesizer to this file")


def _evaluate_arguments(p: argparse.ArgumentParser) -> None:
    from htwork.synth.evaluation.result import ALL_PARTS

    p.add_argument("train", help="the real table the synthesizer learnt from")
    p.add_argument("synthetic", help="the synthetic table")
    p.add_argument("--holdout", required=True, help="real rows the synthesizer never saw")
    p.add_argument("--columns", nargs="+", help="evaluate only these columns")
    p.add_argument("--target", help="column for train-on-synthetic-test-on-real and "
                   "specific utility")
    p.add_argument("--by", help="grouping column of the specific-utility cross-tab")
    p.add_argument("--predictors", nargs="+", help="predictors of the specific-utility logit")
    p.add_argument("--secrets", nargs="+", help="columns attacked by inference (default all)")
    p.add_argument("--n-attacks", type=int, default=1000, help="anonymeter attacks per measure")
    p.add_argument("--seed", type=int, default=0, help="seed of splits, classifiers and attacks")
    p.add_argument("--parts", nargs="+", choices=ALL_PARTS,
                   help="run only these measures (default: all)")
    p.add_argument("--figures", help="write PNG figures to this folder")
    p.add_argument("--json", action="store_true", help="print every figure as one JSON object")
    p.add_argument("--schema", help="table schema giving the columns' types and missing-value "
                   "codes (as `htwork profile` writes it) instead of inferring them")


def register(subparsers: Subparsers) -> None:
    """Add ``synth`` and ``evaluate`` to the sub-commands (arguments added on first use)."""
    p = subparsers.add_parser(
        "synth", help="fit a synthesizer on a table and write synthetic rows",
    )
    add_arguments_later(p, _synth_arguments)
    p.set_defaults(func=cmd_synth)

    p = subparsers.add_parser(
        "evaluate", help="utility and privacy of a synthetic table, beside a real holdout",
        description="Compare SYNTHETIC with TRAIN (the rows it was made from) and HOLDOUT (real "
        "rows it never saw): SDMetrics quality, detection AUC, exact copies, leakage by length, "
        "anonymeter singling-out / linkability / inference; the holdout is scored as if it "
        "were synthetic, as the ideal to compare with.",
    )
    add_arguments_later(p, _evaluate_arguments)
    p.set_defaults(func=cmd_evaluate)
