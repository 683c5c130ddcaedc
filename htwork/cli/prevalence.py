"""``htwork mse``: estimate a hidden population from overlapping lists.

``htwork mse FILE [--method NAME] [--nboot B] [--json] ...`` reads a
:class:`htwork.prevalence.CaptureTable` and calls, by ``--method``,
:func:`htwork.prevalence.estimate` (log-linear models), :func:`htwork.prevalence.fit_lcm`
(``lcm``), :func:`~htwork.prevalence.lincoln_petersen` (``lp``),
:func:`~htwork.prevalence.chapman` or :func:`~htwork.prevalence.chao_lower_bound` (``chao``).
The exit status is 1 when no usable estimate could be made (the reason is printed).

``htwork mse --links FOLDER`` estimates from a linkage written by ``htwork link`` instead
(:func:`htwork.cli.linkage.mse_from_links`, :func:`htwork.linkage.estimate_with_links`).
"""

from __future__ import annotations

import argparse
import math
import sys

from htwork.cli._parser import Subparsers

__all__ = ["cmd_mse", "register"]

#: ``--method`` values: the log-linear rules of :func:`htwork.prevalence.estimate`, then
#: ``lcm``, the two-list closed forms and Chao's lower bound.
_METHODS = ("stepwise", "bic", "aic", "downhill", "main", "bhs", "lcm", "lp", "chapman", "chao")


def cmd_mse(args: argparse.Namespace) -> int:
    """Run the estimate and print it (text or JSON).

    Returns
    -------
    int
        0 on success, 1 when no usable estimate could be made (the reason is printed).
    """
    from htwork.errors import InputError
    from htwork.prevalence import (
        CaptureTable,
        chao_lower_bound,
        chapman,
        estimate,
        fit_lcm,
        lincoln_petersen,
    )

    if not 0 < args.level < 1:
        raise InputError(f"--level must lie between 0 and 1, got {args.level}",
                         hint="for a 95% interval give --level 0.95")
    if args.links is not None:
        from htwork.cli.linkage import mse_from_links

        return mse_from_links(args)
    if args.file is None:
        raise InputError("give a capture table FILE, or --links FOLDER (written by htwork link)")
    if args.nboot < 0:
        raise InputError("--nboot must be 0 or more")
    table = CaptureTable.from_counts(args.file, count=args.count)
    if args.method == "lcm":
        result = fit_lcm(table, seed=args.seed).result(args.level)
    elif args.method == "lp":
        result = lincoln_petersen(table, level=args.level)
    elif args.method == "chapman":
        result = chapman(table, level=args.level)
    elif args.method == "chao":
        result = chao_lower_bound(table, level=args.level)
    else:
        result = estimate(table, args.method, pthresh=args.pthresh, max_order=args.max_order,
                          nboot=args.nboot, seed=args.seed, level=args.level,
                          interval=args.interval, n_jobs=args.jobs,
                          progress=args.nboot > 0 and not args.json and sys.stderr.isatty())
    if args.json:
        print(result.to_json(indent=2))
    else:
        print(result.summary())
    return 0 if math.isfinite(result.estimate) else 1


def register(subparsers: Subparsers) -> argparse.ArgumentParser:
    """Add ``mse`` to the sub-commands.

    Returns
    -------
    argparse.ArgumentParser
        The ``mse`` parser (its handler is set as ``func``).
    """
    p = subparsers.add_parser(
        "mse",
        help="estimate a hidden population from overlapping lists (multiple systems estimation)",
        description="Estimate the total number of victims, seen and unseen, from how agencies' "
        "lists overlap. FILE (CSV, TSV, Excel or Parquet) has one 0/1 column per list and a "
        "count column.",
    )
    p.add_argument("file", nargs="?", help="CSV, TSV, .xlsx or .parquet: one 0/1 column per "
                   "list, plus a count column (or give --links)")
    p.add_argument("--links", metavar="FOLDER",
                   help="a folder written by 'htwork link': the estimate from the capture table "
                   "corrected for the links the linkage missed, then the estimate with an "
                   "interval that includes the linkage's uncertainty beside the one that "
                   "ignores it")
    p.add_argument("--draws", type=int, default=200,
                   help="with --links: clusterings drawn from the match probabilities, and "
                   "draws of the estimated error rates (200)")
    p.add_argument("--scheme", choices=("sample", "thresholds"), default="sample",
                   help="with --links: draw each link with its probability (sample), or take "
                   "the clusterings at thresholds 0.1 to 0.9 (a sensitivity analysis)")
    p.add_argument("--method", default="stepwise", choices=_METHODS,
                   help="model choice: stepwise (SparseMSE, default), bic / aic (all "
                   "hierarchical models), downhill (BIC), main (independence), bhs "
                   "(Bales-Hesketh-Silverman), lcm (Bayesian latent classes, LCMCR); two lists: "
                   "lp (Lincoln-Petersen), chapman; chao (lower bound)")
    p.add_argument("--pthresh", type=float, default=0.02,
                   help="p-value threshold of the stepwise rule (default 0.02)")
    p.add_argument("--max-order", type=int, default=None,
                   help="largest interaction order for bic/aic/downhill (default: 2 for 3 lists, "
                   "3 for 4-5 lists)")
    p.add_argument("--nboot", type=int, default=0,
                   help="bootstrap replicates for a BCa interval that repeats the model "
                   "selection (default 0: conditional log-normal interval)")
    p.add_argument("--seed", type=int, default=None, help="seed of the bootstrap or the sampler")
    p.add_argument("--level", type=float, default=0.95, help="interval coverage (0.95)")
    p.add_argument("--interval", choices=("wald", "profile"), default="wald",
                   help="conditional interval when --nboot is 0")
    p.add_argument("--count", default="count", help="name of the count column (count)")
    p.add_argument("--jobs", type=int, default=2, help="bootstrap worker processes (2)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_mse)
    return p
