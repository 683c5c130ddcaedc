"""``htwork synth`` and ``htwork evaluate``: the command line over :mod:`htwork.synth`.

``htwork synth FILE --method NAME --n N --seed S --out OUT [--keep COL ...]`` fits
:func:`htwork.synth.make_synthesizer` on FILE (direct identifiers, case numbers and free text
left out unless named in ``--keep``) and writes N synthetic rows with
:func:`htwork.io.write_table` (never over, inside or around the input);
``htwork evaluate TRAIN SYNTHETIC --holdout HOLDOUT [--json]`` prints
:func:`htwork.synth.evaluate` (utility and privacy, each beside the holdout scored as
if synthetic).

Their options list the library's synthesis methods and evaluation parts, so their arguments
are added only when one of them is parsed (:func:`~htwork.cli._parser.add_arguments_later`):
the other commands never import :mod:`htwork.synth`.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from htwork.cli._parser import Subparsers, add_arguments_later

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["cmd_evaluate", "cmd_synth", "register"]


def _read(path: str, columns: list[str] | None = None) -> pd.DataFrame:
    """The table, rows numbered from 0, with only ``columns`` when given.

    ``df.attrs["rows"]`` keeps each row's number as a spreadsheet shows it, for errors.
    """
    from htwork.io import read_table

    df = read_table(path, columns=columns or None)
    rows = [int(r) for r in df.index]
    df = df.reset_index(drop=True)
    df.attrs["rows"] = rows
    return df


@contextmanager
def _located(path: str, df: pd.DataFrame) -> Iterator[None]:
    """Name ``path`` in a bad-input error the library raised about ``df``.

    The library numbers rows from 0 (the table it was given); the message gets the row's
    number in the file as a spreadsheet shows it.
    """
    from htwork.errors import InputError

    try:
        yield
    except InputError as err:
        if err.file is not None:
            raise
        rows: Sequence[int] = df.attrs.get("rows", [])
        row = err.row
        if row is not None and 0 <= row < len(rows):
            row = rows[row]
        raise InputError(err.message, file=path, column=err.column, row=row,
                         hint=err.hint) from None


def cmd_synth(args: argparse.Namespace) -> int:
    """Fit a synthesizer on a file and write synthetic rows."""
    from htwork.errors import InputError
    from htwork.io import write_table
    from htwork.synth import make_synthesizer, release_domain

    _check_synth_outputs(args)
    df = _read(args.file, args.columns)
    params: dict[str, Any] = {"keep": args.keep} if args.keep else {}
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
        with _located(args.file, df):
            syn = make_synthesizer(args.method, **params).fit(df)
        out = syn.sample(args.n if args.n is not None else len(df), seed=args.seed)
    for w in caught:
        if issubclass(w.category, UserWarning):
            print(f"note: {w.message}")
    path = Path(args.out)
    _make_parent(path)
    write_table(out, path)
    print(f"wrote {len(out):,} synthetic rows ({args.method}, seed {args.seed}) to {path}")
    privacy = getattr(syn, "privacy_", None)  # the dp method's spent budget
    if privacy:
        print(f"differential privacy: epsilon={privacy['epsilon']}, "
              f"delta={privacy['delta']:g} (rho={privacy['rho']:.5f} zCDP)")
    if args.save_model:
        _make_parent(args.save_model)
        syn.save(args.save_model)
        print(f"saved the fitted synthesizer to {args.save_model} (pickle: keep it private)")
    return 0


def _check_synth_outputs(args: argparse.Namespace) -> None:
    """Refuse an --out or --save-model over, inside or around the input (before reading)."""
    from htwork.io.files import check_input_path
    from htwork.io.guard import check_output

    check_input_path(args.file)
    check_output(args.out, [args.file], what="--out", make_parents=True)
    if args.save_model:
        check_output(args.save_model, [args.file, args.out], what="--save-model",
                     make_parents=True)


def _make_parent(path: str | Path) -> None:
    """Create the folders above an output (only once there is something to write)."""
    from htwork.errors import InputError

    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot make the folder of {path} ({exc.strerror or exc})",
                         file=path, hint="choose a folder you can write to") from None


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Evaluate a synthetic file against its training file and a holdout file."""
    from htwork.io.guard import check_output
    from htwork.standards import load_standard
    from htwork.synth import evaluate

    if args.figures:
        check_output(args.figures, [args.train, args.synthetic, args.holdout], folder=True,
                     what="--figures")

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
    figures = result.plot("all") if args.figures else {}
    if figures:
        _save_figures(figures, Path(args.figures))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(result.summary())
        if figures:
            print(f"\nfigures written to {args.figures}/ ({', '.join(figures)} .png)")
    if args.figures and not figures:
        print("note: no figure was written: figures need the quality or privacy part",
              file=sys.stderr)
    return 0


def _save_figures(figures: dict[str, Any], folder: Path) -> None:
    """Write each figure as ``NAME.png`` in ``folder`` (made if missing), atomically."""
    import io

    from htwork.errors import InputError
    from htwork.io import atomic_write

    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot make the figures folder ({exc.strerror or exc})",
                         file=folder, hint="choose a folder you can write to") from None
    for name, fig in figures.items():
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=120, bbox_inches="tight")
        with atomic_write(folder / f"{name}.png", "wb") as fh:
            fh.write(buf.getvalue())


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
    p.add_argument("--keep", nargs="+", metavar="COL",
                   help="synthesise these columns even though they identify people or hold "
                        "free text (by default names, phones, document numbers, e-mails, "
                        "addresses, aliases and notes are left out)")
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
