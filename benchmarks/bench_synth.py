"""Benchmark of htwork's synthesizers: every method side by side on one 10,000/10,000 split.

Data: ``to_release(simulate(20000, seed))`` restricted to 13 categorical release columns, split
at random into 10,000 training and 10,000 holdout rows. Each method is fitted on the training
rows and samples 10,000 rows in a fresh process (so that its time and peak memory are its own);
every synthetic table is then evaluated with :func:`htwork.synth.evaluate` against the same
training and holdout rows. The holdout itself is scored as if it were synthetic (the ideal).

Prints one JSON object. Usage::

    python benchmarks/bench_synth.py                      # all methods (CTGAN 300 epochs)
    python benchmarks/bench_synth.py --ctgan-epochs 30    # state the epochs you can afford
    python benchmarks/bench_synth.py --candidates         # the comparison that chose the default
    python benchmarks/bench_synth.py --methods default dp1 --quick
    python benchmarks/bench_synth.py --data release --methods default independent --quick
    python benchmarks/bench_synth.py --peer-python /path/to/venv/bin/python --methods \
        default dp_eps1 smartnoise_mst_eps1 --quick

``--data release`` uses every release column with at most 200 values (37 columns, five flag
families) instead of the 13: a wider table of the same kind. The peer, smartnoise-synth's MST
(McKenna et al.'s own implementation through Private-PGM), is not a dependency of htwork: give
``--peer-python`` an interpreter that has ``smartnoise-synth`` installed (``pip install
smartnoise-synth==1.0.8``) and it runs there on the same training rows, in its own process;
without it the peer rows are skipped and say so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COLUMNS = [
    "yearOfRegistration", "gender", "ageBroad", "majorityStatus", "citizenship",
    "CountryOfExploitation", "isForcedLabour", "isSexualExploit", "typeOfLabourAgriculture",
    "typeOfLabourConstruction", "typeOfLabourDomesticWork", "meansThreats",
    "recruiterRelationFamily",
]


def methods(ctgan_epochs: int, tvae_epochs: int) -> dict[str, tuple[str, dict]]:
    """The benchmark's methods: name -> (registry name, parameters)."""
    from htwork.synth.dp import release_domain

    domain = release_domain(COLUMNS)
    return {
        "default": ("default", {}),
        "dp_eps1": ("dp", {"epsilon": 1.0, "delta": 1e-9, "domain": domain}),
        "dp_eps5": ("dp", {"epsilon": 5.0, "delta": 1e-9, "domain": domain}),
        "gaussiancopula": ("gaussiancopula", {}),
        "ctgan": ("ctgan", {"epochs": ctgan_epochs, "progress": False}),
        "tvae": ("tvae", {"epochs": tvae_epochs, "progress": False}),
        "independent": ("independent", {}),
    }


CANDIDATES: dict[str, tuple[str, dict]] = {
    "bayesnet_k4_bic0.25 (default)": ("bayesnet", {}),
    "bayesnet_k4_bic0.1": ("bayesnet", {"penalty": 0.1}),
    "bayesnet_k2_bic1": ("bayesnet", {"max_parents": 2, "penalty": 1.0, "candidates": 4}),
    "chow_liu_tree": ("tree", {}),
    "cart_minleaf10": ("cart", {"min_leaf": 10}),
    "cart_minleaf25": ("cart", {"min_leaf": 25}),
    "independent": ("independent", {}),
}


PEER_SCRIPT = """
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
import pandas as pd
from snsynth import Synthesizer
from snsynth.transform.bin import BinTransformer
method, src, out = sys.argv[1], sys.argv[4], sys.argv[5]
eps, delta = float(sys.argv[2]), float(sys.argv[3])
spec = json.loads(sys.argv[6]) if len(sys.argv) > 6 else {}


class CodedBin(BinTransformer):
    # smartnoise's BinTransformer with declared bounds (no budget spent on them), whose second
    # output (nullable: 0 value, 1 null) also takes the declared codes: 0 value, i + 1 the
    # i-th of ``states`` (None for a blank, or a code such as -8).
    def __init__(self, *, states, **kw):
        self.states = list(states)
        super().__init__(nullable=bool(self.states), **kw)

    @property
    def cardinality(self):
        return [self.bins, 1 + len(self.states)] if self.states else [self.bins]

    def _transform(self, val):
        if isinstance(val, float) and val != val:
            val = None  # pandas holds a blank as NaN
        for i, s in enumerate(self.states):
            if (s is None and val is None) or (s is not None and val == s):
                return (0, i + 1)
        if not self.states:
            return super()._transform(val)
        val = min(max(val, self.fit_lower), self.fit_upper)
        return (min(self.bins - 1, int(self.bins * (val - self.fit_lower)
                                       / (self.fit_upper - self.fit_lower))), 0)

    def _inverse_transform(self, val):
        if self.states:
            v, k = val
            if k > 0:
                return self.states[k - 1]
            val = v
        lo, hi = self._bin_edges(val)
        return (lo + hi) / 2


def peak_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


df = pd.read_csv(src, dtype=str, keep_default_na=False).astype(object)
numbers = spec.get("numbers", {})
transformer = {}
for c, d in numbers.items():  # text to numbers, blanks to None
    df[c] = [None if v == "" else float(v) for v in df[c]]
    transformer[c] = CodedBin(bins=int(spec.get("bins", 10)), lower=d["lower"],
                              upper=d["upper"], states=d.get("states", []))
t, cpu = time.perf_counter(), time.process_time()
syn = Synthesizer.create(method, epsilon=eps, delta=delta, verbose=False)
syn.fit(df, transformer=transformer or None, preprocessor_eps=0.0,
        categorical_columns=[c for c in df.columns if c not in numbers])
fake = syn.sample(int(spec.get("n", len(df))))
seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
pd.DataFrame(fake, columns=df.columns).to_csv(out, index=False)
print(seconds, cpu, peak_mb())
"""

PEERS = {"smartnoise_mst_eps1": ("mst", 1.0), "smartnoise_mst_eps5": ("mst", 5.0),
         "smartnoise_aim_eps1": ("aim", 1.0)}


def _run_peer(python: str, method: str, epsilon: float, train, numbers: dict | None = None,
              n: int | None = None, bins: int = 10):
    """smartnoise-synth in another interpreter, on the training rows as text (the peer).

    Every column is categorical unless named in ``numbers``: column -> ``{"lower", "upper",
    "states"}``, binned by smartnoise into ``bins`` equal-width bins over the declared bounds
    (``preprocessor_eps`` 0: no budget spent on bounds) plus one state per value of
    ``states`` (``None`` for a blank, or a survey code such as -8). ``n`` rows are sampled
    (default: as many as the training rows). The peer's threads are limited to one.
    """
    import subprocess
    import tempfile

    import pandas as pd

    numbers = numbers or {}
    spec = {"numbers": numbers, "bins": bins, "n": n or len(train)}
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "OPENBLAS_NUM_THREADS": "1",
           "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"}
    with tempfile.TemporaryDirectory() as tmp:
        src, out, script = Path(tmp, "train.csv"), Path(tmp, "fake.csv"), Path(tmp, "peer.py")
        text = train.astype(object).where(train.notna(), "<NA>").astype(str)
        for c in numbers:
            text[c] = train[c].astype(object).where(train[c].notna(), "").astype(str)
        text.to_csv(src, index=False)
        script.write_text(PEER_SCRIPT, encoding="utf-8")
        done = subprocess.run([python, str(script), method, str(epsilon), "1e-09", str(src),
                               str(out), json.dumps(spec)], capture_output=True, text=True,
                              env=env)
        if done.returncode:
            raise RuntimeError(f"the peer exited {done.returncode}: {done.stderr[-2000:]}")
        seconds, cpu, peak = (float(x) for x in done.stdout.split()[-3:])
        fake = pd.read_csv(out, dtype=str, keep_default_na=False)
    back = {}
    for c in train.columns:  # text back to the training values (and dtypes)
        if c in numbers:
            back[c] = pd.to_numeric(fake[c].replace("", np.nan)).astype(float)
            continue
        lookup = {("<NA>" if pd.isna(v) else str(v)): v for v in train[c].unique()}
        back[c] = pd.Series([lookup.get(v, pd.NA) for v in fake[c]], dtype=train[c].dtype)
    return pd.DataFrame(back), {"fit_seconds": seconds, "sample_seconds": 0.0,
                                "seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak}


def load_split(n: int, seed: int, source: str):
    """Training and holdout halves of the benchmark table."""
    if source == "release":
        from htwork.simulate import simulate
        from htwork.standards import to_release

        table = to_release(simulate(n, seed=seed))
        table = table[[c for c in table.columns if table[c].nunique(dropna=False) <= 200]]
        table = table.reset_index(drop=True)
    elif source == "simulate":
        from htwork.simulate import simulate
        from htwork.standards import to_release

        table = to_release(simulate(n, seed=seed))[COLUMNS].reset_index(drop=True)
    else:
        from tests.synth.fixtures import case_table

        table = case_table(n, seed)
    perm = np.random.default_rng(seed).permutation(len(table))
    half = len(table) // 2
    return (table.iloc[perm[:half]].reset_index(drop=True),
            table.iloc[perm[half:]].reset_index(drop=True))


def _peak_mb() -> float:
    """Peak resident memory of this process since it started (VmHWM; Linux), in MB.

    ``ru_maxrss`` is not used: on Linux it survives ``exec`` and so reports the parent's peak
    in a freshly spawned worker.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fit_sample(method: str, params: dict, train, n: int, seed: int):
    """Run in a fresh process: fit, sample, and report seconds and peak memory."""
    os.environ.setdefault("HTWORK_NO_PROGRESS", "1")
    from threadpoolctl import threadpool_limits

    from htwork.synth import make_synthesizer

    with warnings.catch_warnings(), threadpool_limits(1, user_api="openmp"):
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        syn = make_synthesizer(method, **params).fit(train)
        fitted = time.perf_counter()
        out = syn.sample(n, seed=seed)
        done = time.perf_counter()
    peak_mb = _peak_mb()
    extra = {}
    if getattr(syn, "privacy_", None):
        p = syn.privacy_
        extra["privacy"] = {k: p[k] for k in ("epsilon", "delta", "rho", "categories_protected")}
        extra["privacy"]["ledger_spent"] = p["ledger"]["spent"]
    return out, {"fit_seconds": fitted - start, "sample_seconds": done - fitted,
                 "seconds": done - start, "peak_mb": peak_mb, **extra}


def _risk(r):
    if not r or r.get("risk") is None:
        return None if not r else {"error": r.get("error")}
    return {"risk": round(r["risk"], 4), "ci": [round(r["ci"][0], 4), round(r["ci"][1], 4)]}


def summarise(fig: dict, who: str) -> dict:
    """The benchmark's row for ``who`` ("synthetic" or "holdout") of one evaluation."""
    q = fig["quality"][who]
    p = fig["privacy"][who]
    row = {
        "quality": round(q["score"], 4),
        "column_shapes": round(q["column_shapes"], 4),
        "pair_trends": round(q["column_pair_trends"], 4),
        "detection_auc": round(fig["detection"][who]["auc"], 4),
        "exact_copy_share": round(fig["exact_copies"][who], 4),
        "rare_combinations_L3": fig["leakage"][who]["3"]["rare"],
        "singling_out_univariate": _risk(p.get("singling_out_univariate")),
        "singling_out_multivariate": _risk(p.get("singling_out_multivariate")),
        "linkability": _risk(p.get("linkability")),
        "inference_pooled": _risk(p.get("inference_pooled")),
        "inference_max": _risk(p.get("inference_max")),
        "inference_max_secret": (p.get("inference_max") or {}).get("secret"),
    }
    if who == "synthetic":
        row["quality_vs_holdout"] = round(fig["quality"]["synthetic_vs_holdout"]["score"], 4)
    if "tstr" in fig and who == "synthetic":
        row["tstr_auc"] = round(fig["tstr"]["synthetic"]["auc"], 4)
    return row


def _overlaps(a, b) -> bool:
    if not a or not b or "ci" not in a or "ci" not in b:
        return False
    return a["ci"][0] <= b["ci"][1] and b["ci"][0] <= a["ci"][1]


def goals(rows: dict, holdout: dict) -> dict:
    """The issue's goals for the default and the DP mode, checked."""
    out = {}
    d = rows.get("default")
    if d:
        risks = ["singling_out_univariate", "singling_out_multivariate", "linkability",
                 "inference_pooled", "inference_max"]
        out["default"] = {
            "quality >= holdout - 0.005": d["quality"] >= holdout["quality"] - 0.005,
            "detection AUC <= 0.55": d["detection_auc"] <= 0.55,
            "risk intervals overlap the holdout's": {
                r: _overlaps(d[r], holdout[r]) for r in risks},
            "exact copies <= holdout + 1 point":
                d["exact_copy_share"] <= holdout["exact_copy_share"] + 0.01,
            "fit + sample <= 3 s": d["seconds"] <= 3.0,
            "peak <= 500 MB": d["peak_mb"] <= 500,
        }
    e = rows.get("dp_eps1")
    if e:
        out["dp_eps1"] = {"quality >= 0.97": e["quality"] >= 0.97,
                          "fit + sample <= 10 s": e["seconds"] <= 10.0}
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20000, help="rows simulated (half train)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", choices=["simulate", "release", "fixture"], default="simulate",
                    help="to_release(simulate()) in 13 columns, in every release column with "
                         "<= 200 values, or the test fixture generator")
    ap.add_argument("--peer-python", default=os.environ.get("HTWORK_PEER_PYTHON"),
                    help="an interpreter with smartnoise-synth installed (the peer)")
    ap.add_argument("--ctgan-epochs", type=int, default=300)
    ap.add_argument("--tvae-epochs", type=int, default=300)
    ap.add_argument("--methods", nargs="+", help="subset of methods to run")
    ap.add_argument("--candidates", action="store_true",
                    help="compare the candidates for htwork's default instead")
    ap.add_argument("--quick", action="store_true",
                    help="fewer attacks (300) and three inference secrets")
    ap.add_argument("--out", help="also write the JSON to this file")
    ap.add_argument("--cost-only", action="store_true",
                    help="only fit and sample: seconds and peak memory, no evaluation")
    args = ap.parse_args(argv)

    from threadpoolctl import threadpool_limits

    from htwork.synth import evaluate

    train, holdout = load_split(args.n, args.seed, args.data)
    table = CANDIDATES if args.candidates else methods(args.ctgan_epochs, args.tvae_epochs)
    if args.data == "release":  # the release schema's enums for every column that has one
        from htwork.synth.dp import release_domain

        for name in ("dp_eps1", "dp_eps5"):
            table[name][1]["domain"] = release_domain(list(train.columns))
    if not args.candidates:
        table.update({k: ("peer", {"method": m, "epsilon": e}) for k, (m, e) in PEERS.items()})
    if args.methods:
        table = {k: v for k, v in table.items() if k in args.methods}
    eval_kw = {"target": "isSexualExploit", "by": "gender",
               "predictors": ["gender", "ageBroad", "CountryOfExploitation"], "seed": 0}
    if args.quick:
        eval_kw.update(n_attacks=300, secrets=["isSexualExploit", "citizenship", "ageBroad"])
    report: dict = {
        "benchmark": "synth", "data": f"{args.data}(n={args.n}, seed={args.seed}), "
        f"{len(COLUMNS)} categorical columns, {len(train)} train / {len(holdout)} holdout",
        "columns": COLUMNS, "machine": {"cpus": os.cpu_count(), "python":
                                        platform.python_version()},
        "load_average_at_start": os.getloadavg()[0],
        "settings": {"ctgan_epochs": args.ctgan_epochs, "tvae_epochs": args.tvae_epochs,
                     **{k: v for k, v in eval_kw.items() if k != "predictors"}},
        "methods": {}, "errors": {},
    }
    holdout_row = None
    ctx = get_context("spawn")
    for name, (method, params) in table.items():
        print(f"[bench_synth] {name} ...", file=sys.stderr, flush=True)
        if method == "peer" and not args.peer_python:
            report["errors"][name] = "skipped: no --peer-python with smartnoise-synth given"
            continue
        try:
            if method == "peer":
                synthetic, cost = _run_peer(args.peer_python, params["method"],
                                            params["epsilon"], train)
            else:
                with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
                    synthetic, cost = pool.submit(_fit_sample, method, params, train,
                                                  len(holdout), args.seed).result()
        except Exception as err:  # noqa: BLE001 - one method failing must not stop the rest
            report["errors"][name] = f"{type(err).__name__}: {err}"
            continue
        if args.cost_only:
            report["methods"][name] = {k: round(v, 3) if isinstance(v, float) else v
                                       for k, v in cost.items()}
            continue
        with warnings.catch_warnings(), threadpool_limits(1):
            warnings.simplefilter("ignore")
            t = time.perf_counter()
            result = evaluate(train, synthetic, holdout, **eval_kw)
            eval_seconds = time.perf_counter() - t
        fig = result.to_dict()
        row = summarise(fig, "synthetic")
        row.update({k: round(v, 3) if isinstance(v, float) else v for k, v in cost.items()})
        row["evaluation_seconds"] = round(eval_seconds, 1)
        row["params"] = {k: v for k, v in params.items() if k != "domain"}
        if "domain" in params:
            row["params"]["domain"] = "release schema enums"
        report["methods"][name] = row
        if holdout_row is None:
            holdout_row = summarise(fig, "holdout")
            holdout_row["tstr_auc_train_on_real"] = round(fig["tstr"]["real"]["auc"], 4) \
                if "tstr" in fig else None
        print(f"[bench_synth] {name}: quality {row['quality']}, AUC {row['detection_auc']}, "
              f"{row['seconds']:.2f} s", file=sys.stderr, flush=True)
    report["holdout"] = holdout_row
    if holdout_row and not args.candidates:
        report["goals"] = goals(report["methods"], holdout_row)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
