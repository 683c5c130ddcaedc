"""``evaluate``: utility and privacy of a synthetic table, beside the holdout's own figures.

The holdout is real rows the synthesizer never saw. It is split in two halves:

- the **reference** half is scored *as if it were synthetic*: it is what a perfect
  synthesizer (a fresh sample of real people) would give, so every synthetic figure is shown
  beside it;
- the **control** half is anonymeter's control set for both the synthetic table and the
  reference, so that no table is ever its own control.

Quality, detection, exact copies and leakage use the whole holdout as the reference.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.results import Result
from htwork.errors import InputError
from htwork.synth.evaluation import detection, privacy, quality, utility
from htwork.synth.evaluation.prep import align, canonical, column_types

__all__ = ["evaluate", "EvaluationResult"]


@dataclass(repr=False)
class EvaluationResult(Result):
    """Figures of one evaluation: each measure for ``synthetic`` and for ``holdout``.

    Attributes
    ----------
    figures : dict
        Nested plain data (see :meth:`to_dict`).
    """

    figures: dict[str, Any] = field(default_factory=dict)

    # --- plain data ---------------------------------------------------------------------------

    def _data(self) -> dict[str, Any]:
        """Every figure, as measured (see :meth:`headline` for the main ones)."""
        return self.figures

    def headline(self) -> dict[str, dict[str, Any]]:
        """The main figures: measure -> ``{"synthetic": x, "holdout": y}``."""
        f = self.figures
        rows: dict[str, dict[str, Any]] = {}

        def put(name: str, syn: Any, hold: Any) -> None:
            rows[name] = {"synthetic": syn, "holdout": hold}

        if "quality" in f:
            q = f["quality"]
            put("quality", q["synthetic"]["score"], q["holdout"]["score"])
            put("column_shapes", q["synthetic"]["column_shapes"], q["holdout"]["column_shapes"])
            put("column_pair_trends", q["synthetic"]["column_pair_trends"],
                q["holdout"]["column_pair_trends"])
            if "synthetic_vs_holdout" in q:
                put("quality_vs_holdout", q["synthetic_vs_holdout"]["score"],
                    q["holdout"]["score"])
        if "detection" in f:
            put("detection_auc", f["detection"]["synthetic"]["auc"],
                f["detection"]["holdout"]["auc"])
        if "exact_copies" in f:
            put("exact_copy_share", f["exact_copies"]["synthetic"], f["exact_copies"]["holdout"])
        if "leakage" in f:
            for length, v in f["leakage"]["synthetic"].items():
                put(f"rare_combinations_L{length}", v["rare"],
                    f["leakage"]["holdout"][length]["rare"])
        if "privacy" in f:
            p = f["privacy"]
            for key in ("singling_out_univariate", "singling_out_univariate_max_column",
                        "singling_out_multivariate", "linkability", "inference_pooled",
                        "inference_max"):
                s, h = p["synthetic"].get(key), p["holdout"].get(key)
                if s is not None or h is not None:
                    put(key, _risk_text(s), _risk_text(h))
        if "tstr" in f:
            t = f["tstr"]
            put(f"tstr_auc[{t['target']}]", t["synthetic"]["auc"], t["real"]["auc"])
        if "specific" in f:
            for item in f["specific"]:
                put(f"ci_overlap[{item['kind']}:{item['target']}]", item["synthetic"]["overlap"],
                    item["holdout"]["overlap"])
        for item in f.get("regression", []):
            put(f"ci_overlap[regression:{item['formula']}]", item["synthetic"]["mean_overlap"],
                item["holdout"]["mean_overlap"])
        return rows

    def to_frame(self) -> pd.DataFrame:
        """The headline figures as a table (rows: measures; columns: synthetic, holdout)."""
        return pd.DataFrame(self.headline()).T

    def summary(self) -> str:
        """A plain-text report of the headline figures."""
        f = self.figures
        lines = [
            "htwork synthetic data evaluation",
            f"  training rows {f.get('n_train')}, synthetic rows {f.get('n_synthetic')}, "
            f"holdout rows {f.get('n_holdout')} (the holdout is scored as if synthetic: "
            "the ideal)",
            "",
            f"  {'measure':<40}{'synthetic':>22}{'holdout':>22}",
        ]
        for name, v in self.headline().items():
            lines.append(f"  {name:<40}{_fmt(v['synthetic']):>22}{_fmt(v['holdout']):>22}")
        errors = _errors(f.get("privacy", {}))
        if errors:
            lines.append("")
            lines.append("  attacks that could not run:")
            lines.extend(f"    {e}" for e in errors)
        lines.append("")
        lines.append("  quality/pair trends: SDMetrics (1 = same as training data); detection: "
                     "cross-validated AUC (0.5 = indistinguishable);")
        lines.append("  risks: anonymeter, excess success over the control half of the holdout, "
                     "95% interval in brackets")
        return "\n".join(lines)

    # --- figures ------------------------------------------------------------------------------

    def plot(self, kind: str = "all"):
        """Matplotlib figures: ``"marginals"``, ``"pairs"``, ``"risks"`` or ``"all"`` (a dict).

        ``"all"`` gives the figures of the parts that were run (marginals and pairs need
        ``quality``, risks needs ``privacy``); asking for one whose part was not run raises
        :class:`htwork.errors.InputError`.
        """
        from htwork.synth.evaluation import figures

        makers = {"marginals": figures.marginals, "pairs": figures.pair_trends,
                  "risks": figures.risks}
        needs = {"marginals": "quality", "pairs": "quality", "risks": "privacy"}
        if kind == "all":
            return {k: m(self) for k, m in makers.items() if needs[k] in self.figures}
        if kind not in makers:
            raise ValueError(f"kind must be one of {list(makers)} or 'all'")
        if needs[kind] not in self.figures:
            from htwork.errors import InputError

            raise InputError(f"the {kind} figure needs the {needs[kind]!r} part, which this "
                             "evaluation did not run",
                             hint=f"evaluate with parts including {needs[kind]!r}")
        return makers[kind](self)


def _risk_text(r: dict | None) -> Any:
    if r is None:
        return None
    if r.get("risk") is None:
        return "failed"
    return {"risk": r["risk"], "ci": r["ci"]}


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, dict) and "risk" in v:
        lo, hi = v["ci"]
        return f"{v['risk']:.3f} [{lo:.3f}, {hi:.3f}]"
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def _errors(p: dict) -> list[str]:
    out = []
    for who, res in p.items():
        if not isinstance(res, dict):
            continue
        for k, v in res.items():
            if isinstance(v, dict) and v.get("error"):
                out.append(f"{who} {k}: {v['error']}")
            if k == "inference" and isinstance(v, dict):
                out += [f"{who} inference[{s}]: {r['error']}" for s, r in v.items()
                        if r.get("error")]
    return out


ALL_PARTS = ("quality", "detection", "copies", "leakage", "privacy", "tstr", "specific")


def evaluate(
    real_train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    *,
    target: Hashable | None = None,
    positive: Any = 1,
    by: Hashable | None = None,
    predictors: Sequence[Hashable] | None = None,
    secrets: Sequence[Hashable] | None = None,
    link_columns: tuple[Sequence[Hashable], Sequence[Hashable]] | None = None,
    n_attacks: int = 1000,
    leakage_length: int = 3,
    leakage_k: int = 5,
    parts: Sequence[str] = ALL_PARTS,
    seed: int = 0,
    types: Mapping[Hashable, Any] | None = None,
    formulas: Sequence[str] = (),
    schema: Any = None,
) -> EvaluationResult:
    """Utility and privacy of ``synthetic``, each beside the holdout scored as if synthetic.

    Parameters
    ----------
    real_train : DataFrame
        The rows the synthesizer learnt from.
    synthetic : DataFrame
        The synthetic rows (same columns).
    holdout : DataFrame
        Real rows the synthesizer never saw (same columns; at least 40).
    target : column, optional
        Column for train-on-synthetic-test-on-real and specific utility.
    positive : value
        The target's value of interest for specific utility (default 1, a flag).
    by : column, optional
        Grouping column of the specific-utility cross-tab.
    predictors : columns, optional
        Predictors of the specific-utility logistic regression.
    secrets : columns, optional
        Inference-attack targets (default: every column).
    link_columns : pair of column lists, optional
        The attacker's two sources for linkability (default: first half / second half).
    n_attacks : int
        anonymeter attacks per measure.
    leakage_length, leakage_k : int
        Leakage by length: combinations of up to ``leakage_length`` attributes describing
        fewer than ``leakage_k`` training people.
    parts : sequence of str
        Which measures to run (any of ``quality, detection, copies, leakage, privacy, tstr,
        specific``).
    seed : int
        Seed of every random choice (splits, classifiers, attacks).
    types : mapping, optional
        Column -> declared type (as for the synthesizers); other columns' types are read from
        ``real_train`` (:func:`~htwork.synth.evaluation.prep.column_types`): numbers and dates
        are scored as quantities, survey missing codes as missing.
    formulas : sequence of str
        Regressions to compare (``"income ~ age + sex + edu"``), each through
        :func:`~htwork.synth.evaluation.analysis.compare_analysis` with
        :func:`~htwork.synth.evaluation.analysis.regression`: OLS for a numeric outcome,
        logistic for a 0/1 one.
    schema : Standard, str, Path or mapping, optional
        A table schema (as ``htwork profile`` writes it) giving the columns' types, missing
        codes and bounds, read as the synthesizers read it
        (:func:`~htwork.synth.types.types_from_schema`); ``types`` given beside it win. The
        SDMetrics metadata (numerical, datetime, categorical) follow these types.

    Returns
    -------
    EvaluationResult
    """
    if schema is not None:
        from htwork.synth.types import types_from_schema

        types = {**types_from_schema(schema, real_train.columns), **(types or {})}
    import sklearn.ensemble  # noqa: F401 - loads the OpenMP runtime that the limit must see
    from threadpoolctl import threadpool_limits

    # scikit-learn's OpenMP threads slow its tree boosting down many times on small, busy
    # machines; threadpoolctl only limits runtimes already loaded, hence the import above
    with threadpool_limits(1):
        return _evaluate(real_train, synthetic, holdout, target=target, positive=positive,
                         by=by, predictors=predictors, secrets=secrets,
                         link_columns=link_columns, n_attacks=n_attacks,
                         leakage_length=leakage_length, leakage_k=leakage_k, parts=parts,
                         seed=seed, types=types, formulas=formulas)


def _evaluate(real_train, synthetic, holdout, *, target, positive, by, predictors, secrets,
              link_columns, n_attacks, leakage_length, leakage_k, parts, seed, types,
              formulas):
    unknown = set(parts) - set(ALL_PARTS)
    if unknown:
        raise ValueError(f"unknown parts {sorted(unknown)}; choose from {ALL_PARTS}")
    real_train, others = align(real_train, {"synthetic": synthetic, "holdout": holdout})
    synthetic, holdout = others["synthetic"], others["holdout"]
    types = column_types(real_train, types)
    raw = (real_train, synthetic, holdout)  # the measures on text read numbers as numbers:
    real_train, synthetic, holdout = (canonical(t, types) for t in raw)
    if len(holdout) < 40:
        raise InputError(f"the holdout has {len(holdout)} rows; evaluation needs at least 40",
                         hint="keep a larger share of the real rows out of training")
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(holdout))
    half = len(holdout) // 2
    reference = holdout.iloc[perm[:half]].reset_index(drop=True)
    control = holdout.iloc[perm[half:]].reset_index(drop=True)
    fig: dict[str, Any] = {
        "columns": [str(c) for c in real_train.columns],
        "types": {str(c): t.kind for c, t in types.items()},
        "n_train": len(real_train), "n_synthetic": len(synthetic), "n_holdout": len(holdout),
        "seed": seed, "seconds": {},
    }

    def timed(name: str, fn, *args, **kwargs):
        t = time.perf_counter()
        out = fn(*args, **kwargs)
        fig["seconds"][name] = fig["seconds"].get(name, 0.0) + time.perf_counter() - t
        return out

    if "quality" in parts:
        fig["quality"] = {
            "synthetic": timed("quality", quality.quality_report, raw[0], raw[1], types),
            "holdout": timed("quality", quality.quality_report, raw[0], raw[2], types),
            "synthetic_vs_holdout": timed("quality", quality.quality_report, raw[2], raw[1],
                                          types),
        }
    if "detection" in parts:
        fig["detection"] = {
            "synthetic": timed("detection", detection.detection_auc, raw[0], raw[1],
                               seed=seed, types=types),
            "holdout": timed("detection", detection.detection_auc, raw[0], raw[2],
                             seed=seed, types=types),
        }
    if "copies" in parts:
        fig["exact_copies"] = {
            "synthetic": timed("copies", privacy.exact_copy_share, real_train, synthetic),
            "holdout": timed("copies", privacy.exact_copy_share, real_train, holdout),
        }
    if "leakage" in parts:
        kw = {"max_length": leakage_length, "k": leakage_k}
        fig["leakage"] = {
            "k": leakage_k,
            "synthetic": timed("leakage", privacy.leakage_by_length, real_train, synthetic, **kw),
            "holdout": timed("leakage", privacy.leakage_by_length, real_train, holdout, **kw),
        }
    if "privacy" in parts:
        kw = {"secrets": secrets, "link_columns": link_columns, "n_attacks": n_attacks,
              "seed": seed}
        fig["privacy"] = {
            "synthetic": timed("privacy", privacy.anonymeter_risks, real_train, synthetic,
                               control, **kw),
            "holdout": timed("privacy", privacy.anonymeter_risks, real_train, reference,
                             control, **kw),
        }
    if target is not None and "tstr" in parts:
        fig["tstr"] = timed("tstr", utility.tstr, *raw, target, seed=seed, types=types)
    if target is not None and "specific" in parts:
        items = []
        if by is not None:
            items.append({
                "kind": f"crosstab by {by}", "target": str(target),
                "synthetic": utility.crosstab_overlap(real_train, synthetic, target, by,
                                                      positive=positive),
                "holdout": utility.crosstab_overlap(real_train, holdout, target, by,
                                                    positive=positive),
            })
        if predictors:
            items.append({
                "kind": "logit", "target": str(target),
                "synthetic": utility.logit_overlap(real_train, synthetic, target, predictors,
                                                   positive=positive),
                "holdout": utility.logit_overlap(real_train, holdout, target, predictors,
                                                 positive=positive),
            })
        fig["specific"] = items
    if formulas and "specific" in parts:
        from htwork.synth.evaluation.analysis import compare_analysis, regression

        fig["regression"] = []
        for formula in formulas:
            comp = timed("regression", compare_analysis, regression(formula, types=types),
                         *raw)
            head = comp.headline()
            fig["regression"].append({
                "formula": formula,
                **{who: {**{k: v[who] for k, v in head.items()},
                         "terms": _terms(comp, who)} for who in ("synthetic", "holdout")},
            })
    return EvaluationResult(fig)


def _terms(comp: Any, who: str) -> list[dict[str, Any]]:
    e = comp.to_frame()
    return [{"term": str(k), "real": r["real"], "real_ci": [r["real_lower"], r["real_upper"]],
             who: r[who], f"{who}_ci": [r[f"{who}_lower"], r[f"{who}_upper"]],
             "overlap": r[f"overlap_{who}"], "close": r[f"close_{who}"]}
            for k, r in e.iterrows()]
