"""Benchmark of htwork's synthesizers on a real mixed table: SD2011 (numbers, dates, codes).

Data: the Social Diagnosis 2011 survey subset shipped with synthpop (5,000 people, 35 columns:
age, income, height, weight, BMI, years of marriage and separation as numbers; survey missing
code ``-8``), read from ``../shared/realdata/sd2011.csv`` beside the repository (or the folder
in ``HTWORK_REALDATA``). It is not in the repository; without it the script prints a JSON that
says so and exits 0.

For each seed (default 1-5) the table is split at random into 2,500 training and 2,500 holdout
people; each method is fitted on the training half and samples 2,500 rows in a fresh process
(so that its time and peak memory are its own), then :func:`htwork.synth.evaluate` scores it
against the same training and holdout rows (SDMetrics quality with numerical / categorical
metadata, detection AUC, exact copies, and the regression ``income ~ age + sex + edu``,
coefficient by coefficient). The holdout is scored the same way: the ideal.

Every method is given the relations a user of SD2011 would declare: BMI = weight / (height /
100) ** 2 (derived, not modelled) and year of marriage not before the year of birth (2011 -
age). The peers (SDV GaussianCopula and CTGAN, htwork's CART) get the same declared rules; the
default also keeps the relations the data carry (``relations="auto"``: age within each age
group), which the peers are not given (``relations=None``) so that their rows are theirs.

``--dp-fits 20`` adds the DP check: 20 fits at epsilon 1 (delta 1e-9) with declared bounds for
every number and the code lists of the categories (taken from the full table, as a codebook
gives them; ``None`` where the survey allows no answer), counting values outside the declared
domain and missing cells in columns whose domain has none.

Usage::

    python benchmarks/bench_synth_real.py                      # default, cart, gaussiancopula
    python benchmarks/bench_synth_real.py --methods default --seeds 1
    python benchmarks/bench_synth_real.py --methods ctgan --ctgan-epochs 300 --seeds 1
    python benchmarks/bench_synth_real.py --methods default --dp-fits 20
    python benchmarks/bench_synth_real.py --methods default --draws 3 --params '{"leaf_shrink": 0}'

``dp_eps1`` is htwork's DP mode at epsilon 1 (delta 1e-9) with the DP check's declarations.
The ``smartnoise_*`` methods (MST at epsilon 1 and 5, AIM at epsilon 1; delta 1e-9) are
smartnoise-synth 1.0.8, run as in ``bench_synth.py``: give ``--peer-python`` an interpreter that
has it, and it fits in its own process on the training rows written as text. Its numbers are
declared as for the DP check: ``DP_BOUNDS`` as public bounds (``preprocessor_eps`` 0, so no
budget goes to bounds), 16 equal-width bins as in htwork's DP mode (smartnoise returns a bin's
midpoint), with a blank (where the survey has blanks) and ``-8`` (where it uses the code) as
states of their own beside the bins; categories are its own (read from the training rows).
BMI is dropped before fitting and computed in its rows, and rows that break the declared check
are dropped from a sample four times as large. smartnoise-synth 1.0.8 pins mbi < 2, and mbi
1.1.0's sampler makes columns drawn under the same parents comonotone (fixed in mbi 2.0.0, which
smartnoise 1.0.8 cannot use): ``benchmarks/README.md`` gives the figures with and without a
back-port of that fix.

    python benchmarks/bench_synth_real.py --methods smartnoise_mst_eps1 smartnoise_aim_eps1 \
        dp_eps1 --peer-python /path/to/venv/bin/python

``--draws K`` also samples K more tables from the same fit (sampling seeds 1..K) and compares the
regression on each (the goal is met or missed draw by draw: a coefficient at 0.8 of the real one
overlaps or not by chance); ``--params`` adds parameters to every method run (variants).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench_synth import PEERS, _peak_mb, _run_peer  # noqa: E402

FORMULA = "income ~ age + sex + edu"
N_TRAIN = 2500
PEER_BINS = 16  # htwork's DP_BINS: the peer bins numbers as finely as htwork's DP mode
PEER_OVERSAMPLE = 4  # the peer samples this many times the rows; the declared check filters
DP_BOUNDS = {
    "age": ("integer", (0, 110)), "unempdur": ("integer", (0, 60)),
    "income": ("integer", (0, 20000)), "ymarr": ("year", (1900, 2011)),
    "ysepdiv": ("year", (1900, 2011)), "depress": ("integer", (0, 21)),
    "nofriend": ("integer", (0, 99)), "nociga": ("integer", (0, 100)),
    "wkabdur": ("integer", (0, 120)), "height": ("integer", (100, 230)),
    "weight": ("integer", (30, 250)),
}


def data_path() -> Path:
    """Where SD2011 is expected."""
    folder = os.environ.get("HTWORK_REALDATA")
    base = Path(folder) if folder else ROOT.parent / "shared" / "realdata"
    return base / "sd2011.csv"


def relations():
    """The relations a user of SD2011 declares."""
    from htwork.synth.relations import Check, Derived

    return [Derived("bmi", "weight / (height / 100) ** 2", name="BMI from height and weight"),
            Check("ymarr >= 2011 - age", name="married no earlier than born")]


def methods(ctgan_epochs: int) -> dict[str, tuple[str, dict]]:
    """Name -> (registry name, parameters); rules are added when the method runs."""
    types, domain = dp_declared()
    return {
        "default": ("default", {}),
        "cart": ("cart", {"relations": None}),
        "gaussiancopula": ("gaussiancopula", {"relations": None}),
        "ctgan": ("ctgan", {"relations": None, "epochs": ctgan_epochs, "progress": False}),
        "dp_eps1": ("dp", {"epsilon": 1.0, "delta": 1e-9, "types": types, "domain": domain}),
        **{k: ("peer", {"method": m, "epsilon": e}) for k, (m, e) in PEERS.items()},
    }


def dp_declared() -> tuple[dict, dict]:
    """What a codebook declares for the DP mode: each number's kind and bounds (with the
    survey code ``-8`` as a missing code where the full table has it) and each category's
    code list (``None`` where the survey has blanks; a number with blanks gets ``[None]``)."""
    import pandas as pd

    full = pd.read_csv(data_path())
    types = {c: {"kind": k, "bounds": b, "missing": [-8]} if (full[c] == -8).any()
             else {"kind": k, "bounds": b} for c, (k, b) in DP_BOUNDS.items()}
    numeric = set(DP_BOUNDS) | {"bmi"}
    domain = {}
    for c in full.columns:
        if c in numeric:
            if full[c].isna().any():
                domain[c] = [None]
            continue
        values = sorted(full[c].dropna().unique().tolist(), key=str)
        domain[c] = values + ([None] if full[c].isna().any() else [])
    return types, domain


def peer_numbers() -> dict:
    """The peer's numbers, declared as for the DP mode: bounds from ``DP_BOUNDS`` (public, no
    budget spent on them) and the states besides a value: a blank where the survey has blanks,
    the code -8 where it uses it."""
    types, domain = dp_declared()
    return {c: {"lower": b[0], "upper": b[1],
                "states": ([None] if None in domain.get(c, []) else [])
                + list(types[c].get("missing", []))}
            for c, (_, b) in DP_BOUNDS.items()}


def _peer_fit_sample(python: str, params: dict, train, n: int):
    """smartnoise in its own interpreter (``bench_synth._run_peer``), given the declared rules
    as a user would apply them to its output: a derived column is dropped before fitting and
    computed in every sampled row; rows that break a check are dropped (``PEER_OVERSAMPLE``
    times ``n`` rows are sampled, the first ``n`` that keep every check are kept)."""
    import pandas as pd

    from htwork.synth.relations import Check, Derived

    rules = relations()
    derived = [r for r in rules if isinstance(r, Derived)]
    checks = [r for r in rules if isinstance(r, Check)]
    fit_on = train.drop(columns=[r.column for r in derived])
    fake, cost = _run_peer(python, params["method"], params["epsilon"], fit_on,
                           numbers=peer_numbers(), n=n * PEER_OVERSAMPLE, bins=PEER_BINS)
    keep = np.ones(len(fake), dtype=bool)
    for r in checks:
        keep &= r.holds(fake, {})
    cost["rows_breaking_checks"] = round(float(1 - keep.mean()), 4)
    if keep.sum() < n:
        raise RuntimeError(f"only {int(keep.sum())} of {len(fake)} sampled rows keep the "
                           f"checks; {n} needed")
    fake = fake[keep].head(n).reset_index(drop=True)
    for r in derived:
        fake[r.column] = r.compute(fake, {})
    return pd.DataFrame({c: fake[c] for c in train.columns}), {**cost, "extra": []}


def load(seed: int):
    """Training and holdout halves of SD2011 for one seed."""
    import pandas as pd

    df = pd.read_csv(data_path())
    perm = np.random.default_rng(seed).permutation(len(df))
    return (df.iloc[perm[:N_TRAIN]].reset_index(drop=True),
            df.iloc[perm[N_TRAIN:]].reset_index(drop=True))


def _fit_sample(method: str, params: dict, train, n: int, seed: int, draws: int = 0):
    """In a fresh process: fit, sample; seconds and peak memory (and ``draws`` more tables,
    sampled with seeds 1..draws after the timing, under ``"extra"``)."""
    os.environ.setdefault("HTWORK_NO_PROGRESS", "1")
    from threadpoolctl import threadpool_limits

    from htwork.synth import make_synthesizer

    params = {**params, "rules": relations()}
    with warnings.catch_warnings(), threadpool_limits(1, user_api="openmp"):
        warnings.simplefilter("ignore")
        start, cpu = time.perf_counter(), time.process_time()
        syn = make_synthesizer(method, **params).fit(train)
        fitted = time.perf_counter()
        out = syn.sample(n, seed=seed)
        done, cpu_done = time.perf_counter(), time.process_time()
        peak = _peak_mb()  # before the extra draws
        extra = [syn.sample(n, seed=s) for s in range(1, draws + 1)]
    return out, {"fit_seconds": fitted - start, "sample_seconds": done - fitted,
                 "seconds": done - start, "cpu_seconds": cpu_done - cpu, "peak_mb": peak,
                 "penalty": getattr(syn, "penalty_", None), "extra": extra}


def regression_draws(train, holdout, tables: list) -> list[dict]:
    """The regression goal and each term's synthetic / real coefficient, table by table."""
    from htwork.synth import compare_analysis

    out = []
    for fake in tables:
        f = compare_analysis(FORMULA, train, fake, holdout).to_frame()
        need = [t for t in f.index if f.loc[t, "overlap_holdout"] > 0]
        out.append({"met": bool(all(f.loc[t, "overlap_synthetic"] > 0 for t in need)),
                    "ratio": {t: round(float(f.loc[t, "synthetic"] / f.loc[t, "real"]), 3)
                              for t in f.index if t != "Intercept"}})
    return out


def _row(fig: dict, who: str) -> dict:
    q = fig["quality"][who]
    reg = fig["regression"][0][who]
    return {
        "quality": round(q["score"], 4), "column_shapes": round(q["column_shapes"], 4),
        "pair_trends": round(q["column_pair_trends"], 4),
        "detection_auc": round(fig["detection"][who]["auc"], 4),
        "exact_copy_share": round(fig["exact_copies"][who], 4),
        "regression": {t["term"]: {k: None if v is None else round(v, nd) for k, v, nd in
                                   (("overlap", t["overlap"], 3), ("estimate", t[who], 1))}
                       for t in reg["terms"]},  # None: a term the table cannot estimate
    }


def goals(row: dict, hold: dict) -> dict:
    """The issue's goals for one method on one split."""
    need = [t for t, v in hold["regression"].items() if (v["overlap"] or 0) > 0]
    return {
        "quality >= holdout - 0.01": row["quality"] >= hold["quality"] - 0.01,
        "detection AUC <= 0.60": row["detection_auc"] <= 0.60,
        "exact copies <= holdout's": row["exact_copy_share"] <= hold["exact_copy_share"],
        "fit + sample <= 5 s": row["seconds"] <= 5.0,
        "peak <= 1 GB": row["peak_mb"] <= 1024,
        "regression CIs overlap wherever the holdout's do": all(
            (row["regression"].get(t, {}).get("overlap") or 0) > 0 for t in need),
    }


def dp_check(fits: int, seed: int) -> dict:
    """DP at epsilon 1: values outside the declared domain, invented missing cells."""
    import pandas as pd

    from htwork.synth import make_synthesizer

    full = pd.read_csv(data_path())
    train, _ = load(seed)
    types, domain = dp_declared()
    numeric = set(DP_BOUNDS) | {"bmi"}
    no_missing = [c for c in full.columns if c in domain and None not in domain[c]] + \
        [c for c in DP_BOUNDS if c not in domain]
    out_of_domain = invented = 0
    detail: dict = {"per_fit": []}
    seconds = []
    quality = None
    for i in range(fits):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = time.perf_counter()
            syn = make_synthesizer("dp", epsilon=1.0, delta=1e-9, types=types, domain=domain,
                                   rules=relations()).fit(train)
            fake = syn.sample(N_TRAIN, seed=i)
            seconds.append(time.perf_counter() - t)
        ood = 0
        for c, (_, (lo, hi)) in DP_BOUNDS.items():
            v = fake[c]
            v = v[(v != -8) & v.notna()]
            ood += int(((v < lo) | (v > hi)).sum())
        for c, values in domain.items():
            if c in numeric:
                continue
            allowed = {str(v) for v in values if v is not None}
            ood += int((~fake[c].dropna().astype(str).isin(allowed)).sum())
        inv = int(sum(fake[c].isna().sum() for c in no_missing))
        if quality is None:  # the first fit's quality, beside the holdout's
            from htwork.synth.evaluation.prep import column_types
            from htwork.synth.evaluation.quality import quality_report

            _, holdout = load(seed)
            kinds = column_types(train)
            quality = {"synthetic": round(quality_report(train, fake, kinds)["score"], 4),
                       "holdout": round(quality_report(train, holdout, kinds)["score"], 4)}
        out_of_domain += ood
        invented += inv
        detail["per_fit"].append({"out_of_domain": ood, "invented_missing": inv})
    return {"fits": fits, "epsilon": 1.0, "delta": 1e-9, "out_of_domain_values": out_of_domain,
            "invented_missing_cells": invented, "columns_never_missing": no_missing,
            "seconds_per_fit": round(float(np.mean(seconds)), 2), "quality_first_fit": quality,
            "goal 0 out of domain and 0 invented missing": out_of_domain == 0 and invented == 0,
            **detail}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    ap.add_argument("--methods", nargs="*", default=["default", "cart", "gaussiancopula"],
                    help="methods to run (none: only the DP check)")
    ap.add_argument("--ctgan-epochs", type=int, default=300)
    ap.add_argument("--dp-fits", type=int, default=0, help="DP domain check: number of fits")
    ap.add_argument("--out", help="also write the JSON to this file")
    ap.add_argument("--draws", type=int, default=0,
                    help="also sample this many more tables per fit (seeds 1..K) and compare "
                    "the regression on each")
    ap.add_argument("--params", default="{}",
                    help="JSON object of parameters added to every method (a variant)")
    ap.add_argument("--peer-python", default=os.environ.get("HTWORK_PEER_PYTHON"),
                    help="an interpreter with smartnoise-synth installed (the smartnoise_* "
                    "methods; as in bench_synth.py)")
    args = ap.parse_args(argv)

    if not data_path().exists():
        print(json.dumps({"benchmark": "synth_real", "skipped": f"{data_path()} is absent: "
                          "SD2011 lives outside the repository (../shared/realdata)"}))
        return 0
    from threadpoolctl import threadpool_limits

    from htwork.synth import evaluate

    extra_params = json.loads(args.params)
    table = {k: (m, p if m == "peer" else {**p, **extra_params})
             for k, (m, p) in methods(args.ctgan_epochs).items() if k in args.methods}
    report: dict = {
        "benchmark": "synth_real", "data": f"SD2011 (synthpop), {N_TRAIN} train / "
        f"{N_TRAIN} holdout per seed", "seeds": args.seeds, "formula": FORMULA,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_at_start": os.getloadavg()[0],
        "settings": {"ctgan_epochs": args.ctgan_epochs if "ctgan" in table else None,
                     "relations": [str(r) for r in relations()], "params": extra_params,
                     "draws": args.draws,
                     "peer": {"python": args.peer_python, "bins": PEER_BINS,
                              "oversample": PEER_OVERSAMPLE,
                              "numbers": peer_numbers(), "delta": 1e-9,
                              "preprocessor_eps": 0.0}
                     if any(m == "peer" for m, _ in table.values()) else None},
        "holdout": {}, "methods": {k: {} for k in table}, "goals": {k: {} for k in table},
        "errors": {}, "complete": False,
    }
    ctx = get_context("spawn")
    for seed in args.seeds:
        train, holdout = load(seed)
        for name, (method, params) in table.items():
            print(f"[bench_synth_real] seed {seed} {name} ...", file=sys.stderr, flush=True)
            load_avg = os.getloadavg()[0]  # the machine's load when this method was timed
            if method == "peer" and not args.peer_python:
                report["errors"][f"{name}/{seed}"] = "skipped: no --peer-python given"
                continue
            try:
                if method == "peer":
                    fake, cost = _peer_fit_sample(args.peer_python, params, train, len(holdout))
                else:
                    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
                        fake, cost = pool.submit(_fit_sample, method, params, train,
                                                 len(holdout), seed, args.draws).result()
            except Exception as err:  # noqa: BLE001 - one method failing must not stop the rest
                report["errors"][f"{name}/{seed}"] = f"{type(err).__name__}: {err}"
                continue
            with warnings.catch_warnings(), threadpool_limits(1):
                warnings.simplefilter("ignore")
                t = time.perf_counter()
                res = evaluate(train, fake, holdout, parts=("quality", "detection", "copies",
                                                            "specific"),
                               formulas=[FORMULA], target="sex", seed=0)
                eval_seconds = time.perf_counter() - t
                extra = regression_draws(train, holdout, cost.pop("extra", []))
            fig = res.to_dict()
            row = {**_row(fig, "synthetic"),
                   **{k: round(v, 3) if isinstance(v, float) else v for k, v in cost.items()},
                   "load_average": round(load_avg, 2), "evaluation_seconds": round(eval_seconds, 1)}
            if extra:
                row["regression_draws"] = extra
            report["methods"][name][str(seed)] = row
            if str(seed) not in report["holdout"]:
                report["holdout"][str(seed)] = _row(fig, "holdout")
            report["goals"][name][str(seed)] = goals(row, report["holdout"][str(seed)])
            if args.out:  # what is done so far, in case the run is cut short
                report["summary"] = _summary(report)
                _write(args.out, report)
            print(f"[bench_synth_real] seed {seed} {name}: quality {row['quality']} "
                  f"(holdout {report['holdout'][str(seed)]['quality']}), AUC "
                  f"{row['detection_auc']}, {row['seconds']:.1f} s", file=sys.stderr,
                  flush=True)
    report["summary"] = _summary(report)
    if args.dp_fits:
        print(f"[bench_synth_real] DP check, {args.dp_fits} fits ...", file=sys.stderr,
              flush=True)
        report["dp"] = dp_check(args.dp_fits, args.seeds[0])
    report["complete"] = True
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.out:
        _write(args.out, report)
    return 0


def _write(path: str, report: dict) -> None:
    """The report as JSON in ``path`` (written whole, then moved into place)."""
    tmp = Path(path).with_suffix(".part")
    tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _summary(report: dict) -> dict:
    """Per method (and the holdout): mean, lowest and highest of each figure over seeds."""
    out = {}
    rows = {"holdout": report["holdout"], **report["methods"]}
    for name, by_seed in rows.items():
        if not by_seed:
            continue
        s = {}
        for key in ("quality", "pair_trends", "detection_auc", "exact_copy_share", "seconds",
                    "cpu_seconds", "peak_mb"):
            vals = [r[key] for r in by_seed.values() if key in r]
            if vals:
                s[key] = {"mean": round(float(np.mean(vals)), 4),
                          "min": round(float(np.min(vals)), 4),
                          "max": round(float(np.max(vals)), 4)}
        if name in report["goals"]:
            met = {}
            for g in next(iter(report["goals"][name].values()), {}):
                met[g] = f"{sum(v[g] for v in report['goals'][name].values())} of " \
                         f"{len(report['goals'][name])} seeds"
            s["goals_met"] = met
        draws = [d for r in by_seed.values() for d in r.get("regression_draws", [])]
        if draws:
            s["regression_goal_over_draws"] = f"{sum(d['met'] for d in draws)} of {len(draws)}"
            terms = sorted({t for d in draws for t in d["ratio"]})
            s["synthetic_over_real"] = {t: {
                "mean": round(float(np.mean([d["ratio"][t] for d in draws if t in d["ratio"]])), 3),
                "sd": round(float(np.std([d["ratio"][t] for d in draws if t in d["ratio"]])), 3)}
                for t in terms}
        out[name] = s
    return out


if __name__ == "__main__":
    sys.exit(main())
