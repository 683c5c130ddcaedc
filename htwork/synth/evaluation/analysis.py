"""Run *your own* analysis on real, synthetic and holdout data, and say how close the answers are.

The promise of synthetic data to a practitioner is that the same analysis gives close answers
on the real and on the synthetic table. :func:`compare_analysis` checks it for any analysis
written as a function of a DataFrame that returns estimates with confidence intervals (a fitted
statsmodels model, a table of estimate / lower / upper, or a dict of them). Per estimate it
reports:

- the estimate and interval on the real, synthetic and (optionally) holdout table;
- the **interval overlap** of Karr et al. (2006) with the real interval (1 = the same interval,
  0 = apart): :func:`~htwork.synth.evaluation.utility.interval_overlap`;
- the **standardised difference**: (other - real) / the real estimate's standard error;
- whether the **sign** and the **significance** (the interval excluding ``null``) agree;
- whether the synthetic answer is **as close as a fresh sample of real people would be**:
  within ``z * sqrt(se_real**2 + se_other**2)`` of the real estimate (the 95% range of the
  difference between two independent samples), or no further than the holdout's own answer.

The holdout (real people the synthesizer never saw) is the yardstick: its row says how much a
fresh sample of real people differs from the real answer, so a synthetic answer that differs as
much is as good as one can ask for.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from htwork.core.numbers import to_numbers
from htwork.core.results import Result
from htwork.errors import HtworkError
from htwork.synth.evaluation.utility import interval_overlap

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["compare_analysis", "AnalysisComparison", "AnalysisError", "estimates_table",
           "regression"]

ROLES = ("real", "synthetic", "holdout")

_ESTIMATE = ("estimate", "est", "coef", "coef.", "coefficient", "value", "share", "mean", "params")
_LOWER = ("lower", "lo", "low", "ci_low", "ci_lower", "lower_ci", "conf_low", "2.5%", "[0.025")
_UPPER = ("upper", "hi", "high", "ci_high", "ci_upper", "upper_ci", "conf_high", "97.5%",
          "0.975]")
_SE = ("se", "std_err", "std err", "std.err.", "bse", "stderr", "standard_error")
_NAME = ("term", "name", "estimate_name", "parameter")


class AnalysisError(HtworkError):
    """The analysis could not be run on one of the tables, or its result could not be read."""


# --- reading an analysis' result ------------------------------------------------------------


def _pick(columns: Iterable[Any], options: Sequence[str]) -> Any | None:
    lowered = {str(c).strip().lower(): c for c in columns}
    for o in options:
        if o in lowered:
            return lowered[o]
    return None


def _label(key: Any) -> str:
    if isinstance(key, tuple):
        return ", ".join(str(k) for k in key)
    return str(key)


def _frame(est: Any, lo: Any, hi: Any, se: Any = None, index: Any = None) -> pd.DataFrame:
    out = pd.DataFrame({
        "estimate": np.asarray(est, dtype=float).ravel(),
        "lower": np.asarray(lo, dtype=float).ravel(),
        "upper": np.asarray(hi, dtype=float).ravel(),
        "se": (np.full(np.size(est), np.nan) if se is None
               else np.asarray(se, dtype=float).ravel()),
    })
    if index is not None:
        out.index = [_label(k) for k in index]
    return out


def _from_statsmodels(res: Any, level: float) -> pd.DataFrame:
    params = res.params
    ci = res.conf_int(alpha=1 - level)
    bse = getattr(res, "bse", None)
    if isinstance(params, pd.Series):
        names = list(params.index)
    else:
        model = getattr(res, "model", None)
        names = list(getattr(model, "exog_names", None) or range(np.size(params)))
    ci = np.asarray(ci, dtype=float).reshape(-1, 2)
    return _frame(params, ci[:, 0], ci[:, 1], None if bse is None else np.asarray(bse),
                  index=names)


def _from_dataframe(df: pd.DataFrame) -> pd.DataFrame:
    name_col = _pick(df.columns, _NAME)
    if name_col is not None:
        df = df.set_index(name_col)
    est, lo, hi = (_pick(df.columns, o) for o in (_ESTIMATE, _LOWER, _UPPER))
    if est is None or lo is None or hi is None:
        if df.shape[1] == 2 and est is None:  # statsmodels' conf_int() alone: no estimate
            raise TypeError("a table of two columns looks like an interval without its "
                            "estimate; add an 'estimate' column")
        raise TypeError(
            "a table of estimates needs columns estimate, lower and upper "
            f"(it has {[str(c) for c in df.columns]})")
    se = _pick(df.columns, _SE)
    return _frame(df[est], df[lo], df[hi], None if se is None else df[se], index=df.index)


def _is_statsmodels(obj: Any) -> bool:
    return hasattr(obj, "params") and callable(getattr(obj, "conf_int", None))


def _single(obj: Any) -> tuple[float, float, float, float] | None:
    """One estimate written as ``(est, lo, hi)`` or ``{"estimate":, "lower":, "upper":}``."""
    if isinstance(obj, tuple | list) and len(obj) in (3, 4) and all(
            isinstance(v, int | float | np.integer | np.floating) or v is None for v in obj):
        vals = [np.nan if v is None else float(v) for v in obj]
        return (vals[0], vals[1], vals[2], vals[3] if len(vals) == 4 else np.nan)
    if isinstance(obj, Mapping | pd.Series):
        keys = list(obj.keys())
        est, lo, hi = (_pick(keys, o) for o in (_ESTIMATE, _LOWER, _UPPER))
        if est is not None and lo is not None and hi is not None:
            se = _pick(keys, _SE)
            try:
                return (float(obj[est]), float(obj[lo]), float(obj[hi]),
                        np.nan if se is None else float(obj[se]))
            except (TypeError, ValueError):
                return None
    return None


def estimates_table(result: Any, *, level: float = 0.95) -> pd.DataFrame:
    """Read what an analysis returned as a table of estimates.

    Parameters
    ----------
    result : object
        One of

        - a fitted statsmodels results object (``params`` and ``conf_int()``; ``bse`` is used
          as the standard error when present);
        - a DataFrame with columns ``estimate``, ``lower``, ``upper`` (also ``coef``, ``share``,
          ``ci_low``/``ci_high``, ``lo``/``hi``, ...; optional ``se``), one row per estimate
          (names from the index, a MultiIndex joined by ``", "``, or a ``term`` column);
        - a Series or dict with keys ``estimate``, ``lower``, ``upper``: one estimate;
        - a dict ``{name: part}`` where each part is any of the above or a tuple
          ``(estimate, lower, upper)``; names of estimates inside a part are prefixed with
          ``"name: "``.
    level : float
        Confidence level asked of statsmodels' ``conf_int`` (and assumed for intervals given
        without a standard error).

    Returns
    -------
    DataFrame
        Index: estimate names (strings); columns ``estimate``, ``lower``, ``upper``, ``se``
        (NaN when not given).

    Raises
    ------
    TypeError
        When the result is none of the above.
    """
    if _is_statsmodels(result):
        return _from_statsmodels(result, level)
    if isinstance(result, pd.DataFrame):
        return _from_dataframe(result)
    one = _single(result)
    if one is not None:
        name = getattr(result, "name", None) if isinstance(result, pd.Series) else None
        return _frame([one[0]], [one[1]], [one[2]], [one[3]],
                      index=[name if name is not None else "estimate"])
    if isinstance(result, Mapping):
        parts = []
        for key, part in result.items():
            one = _single(part)
            if one is not None:
                parts.append(_frame([one[0]], [one[1]], [one[2]], [one[3]], index=[key]))
                continue
            try:
                sub = estimates_table(part, level=level)
            except TypeError as err:
                raise TypeError(f"entry {key!r}: {err}") from None
            sub.index = [f"{_label(key)}: {i}" for i in sub.index]
            parts.append(sub)
        if not parts:
            raise TypeError("the analysis returned an empty dict")
        return pd.concat(parts)
    raise TypeError(
        f"cannot read estimates from a {type(result).__name__}; return a fitted statsmodels "
        "model, a DataFrame with estimate/lower/upper columns, or a dict of them")


# --- a regression as an analysis ------------------------------------------------------------


def regression(formula: str, *, family: str | None = None,
               types: Mapping[Hashable, Any] | None = None) -> Callable[[pd.DataFrame], Any]:
    """An analysis for :func:`compare_analysis`: a regression fitted by statsmodels.

    Parameters
    ----------
    formula : str
        A statsmodels formula, e.g. ``"income ~ age + sex + edu"``. Text columns enter as
        categories (the first level in sorted order is the reference), numbers and dates as
        quantities.
    family : {"ols", "logit"}, optional
        Least squares for a numeric outcome, logistic regression for a 0/1 one; default:
        logistic when the outcome takes only the values 0 and 1, least squares otherwise.
    types : mapping, optional
        Column -> ColumnType (default: read from each table; give the real table's, as
        :func:`compare_analysis` does for a formula, so that every table is read alike). A
        number missing for any reason (blank, or a survey code such as ``-8``) is missing:
        its row is left out, never fitted as the value -8.

    Returns
    -------
    callable
        ``analysis(df)`` -> the fitted statsmodels results.
    """
    import re

    if not isinstance(formula, str) or "~" not in formula:
        raise ValueError(f"a regression needs a formula 'outcome ~ terms', not {formula!r}")
    if family not in (None, "ols", "logit"):
        raise ValueError(f"family must be 'ols' or 'logit', not {family!r}")
    outcome = formula.split("~", 1)[0].strip()

    def analysis(df: pd.DataFrame) -> Any:
        import statsmodels.formula.api as smf

        from htwork.synth.evaluation.prep import column_types
        from htwork.synth.types import parse_values

        t = dict(types) if types is not None else column_types(df)
        used = [c for c in df.columns
                if re.search(rf"(?<![\w.]){re.escape(str(c))}(?![\w])", formula)]
        data: dict[Hashable, Any] = {}
        for c in used:
            if c in t and t[c].numeric:
                data[c] = parse_values(df[c], t[c])[0]
            elif pd.api.types.is_numeric_dtype(df[c].dtype) and not \
                    pd.api.types.is_bool_dtype(df[c].dtype):
                data[c] = to_numbers(df[c]).astype(float)
            else:
                data[c] = df[c].astype(object).where(df[c].notna(), None)  # type: ignore[call-overload]  # pandas stubs: None as other
        frame = pd.DataFrame(data, index=df.index)
        fam = family
        if fam is None:
            y = to_numbers(frame[outcome]) if outcome in frame else None
            fam = "logit" if y is not None and set(y.dropna().unique()) <= {0, 1} else "ols"
        if fam == "logit":
            return smf.logit(formula, frame, missing="drop").fit(disp=0)
        return smf.ols(formula, frame, missing="drop").fit()

    analysis.__name__ = f"regression {formula!r}"
    return analysis


# --- the comparison -------------------------------------------------------------------------


def _z(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2))


def _fmt(x: float | None, digits: int = 3) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}g}"


def _fmt_ci(est: float, lo: float, hi: float) -> str:
    if math.isnan(est):
        return "missing"
    return f"{_fmt(est)} [{_fmt(lo)}, {_fmt(hi)}]"


@dataclass(repr=False)
class AnalysisComparison(Result):
    """One analysis run on real, synthetic and holdout tables, estimate by estimate.

    Attributes
    ----------
    estimates : DataFrame
        One row per estimate (see :meth:`to_frame`).
    labels : dict
        Role (``real``, ``synthetic``, ``holdout``) -> the table's label.
    level : float
        Confidence level of the intervals.
    null : float or None
        The value that "no effect" means (0 for coefficients, 1 for odds ratios); None when
        sign and significance mean nothing (shares, rates).
    warnings : dict
        Role -> warnings the analysis raised on that table (e.g. statsmodels'
        ``PerfectSeparationWarning`` on synthetic data), each ``"Category: message"``.
    """

    estimates: pd.DataFrame
    labels: dict[str, str]
    level: float = 0.95
    null: float | None = 0.0
    warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def has_holdout(self) -> bool:
        """Whether a holdout was given."""
        return "holdout" in self.labels

    @property
    def others(self) -> list[str]:
        """The roles compared with the real table: synthetic, and holdout if given."""
        return ["synthetic", "holdout"] if self.has_holdout else ["synthetic"]

    # --- plain data ---------------------------------------------------------------------------

    def to_frame(self) -> pd.DataFrame:
        """Per estimate: values and intervals per table, overlap, standardised difference.

        Columns: ``real``, ``real_lower``, ``real_upper`` (and the same for ``synthetic`` and
        ``holdout``); for each of ``synthetic`` / ``holdout``: ``overlap_*`` (Karr et al.'s CI
        overlap with the real interval), ``std_diff_*`` ((other - real) / real SE),
        ``sign_agrees_*``, ``significance_agrees_*``, ``close_*`` (as close as a fresh sample
        of real people); and ``missing_in`` (tables without the estimate).
        """
        return self.estimates.copy()

    def headline(self) -> dict[str, dict[str, Any]]:
        """Summary figures: measure -> ``{"synthetic": x, "holdout": y}``."""
        e = self.estimates
        out: dict[str, dict[str, Any]] = {}
        for who in self.others:
            ok = e[f"overlap_{who}"].notna()
            sub = e[ok]
            vals = {
                "estimates_compared": int(ok.sum()),
                "median_overlap": float(sub[f"overlap_{who}"].median()) if len(sub) else None,
                "mean_overlap": float(sub[f"overlap_{who}"].mean()) if len(sub) else None,
                "min_overlap": float(sub[f"overlap_{who}"].min()) if len(sub) else None,
                "median_abs_std_diff": (float(sub[f"std_diff_{who}"].abs().median())
                                        if len(sub) else None),
                "sign_agreement": (float(sub[f"sign_agrees_{who}"].astype(float).mean())
                                   if len(sub) and self.null is not None else None),
                "significance_agreement": (
                    float(sub[f"significance_agrees_{who}"].astype(float).mean())
                    if len(sub) and self.null is not None else None),
                "close": int(sub[f"close_{who}"].astype(bool).sum()),
            }
            for k, v in vals.items():
                out.setdefault(k, {})[who] = v
        return out

    def _data(self) -> dict[str, Any]:
        """Labels, level, null, headline, verdict, warnings and every estimate."""
        return {
            "labels": self.labels, "level": self.level, "null": self.null,
            "headline": self.headline(), "verdict": self.verdict(),
            "warnings": self.warnings,
            "estimates": [{"name": str(k), **row}
                          for k, row in self.estimates.to_dict("index").items()],
        }

    # --- words --------------------------------------------------------------------------------

    def not_close(self, who: str = "synthetic") -> list[str]:
        """Estimates whose ``who`` answer is further from the real one than a fresh sample's."""
        e = self.estimates
        ok = e[f"overlap_{who}"].notna()
        return [str(k) for k in e.index[ok & ~e[f"close_{who}"].astype(bool)]]

    def missing(self) -> dict[str, str]:
        """Estimates absent from some table: name -> the tables that lack it."""
        e = self.estimates
        return {str(k): v for k, v in e["missing_in"].items() if v}

    def verdict(self) -> str:
        """The answer in plain words: how many synthetic estimates are as close as a fresh
        sample's, and which are not."""
        e = self.estimates
        syn = self.labels["synthetic"]
        compared = e[e["overlap_synthetic"].notna()]
        n = len(compared)
        if n == 0:
            text = f"No estimate could be compared between the real and the {syn} table."
        else:
            close = int(compared["close_synthetic"].astype(bool).sum())
            bad = self.not_close("synthetic")
            text = (f"The {syn} answers are as close to the real ones as a fresh sample of real "
                    f"people would be for {close} of {n} estimates")
            if not bad:
                text += "."
            else:
                shown = bad[:5]
                parts = [self._describe(k) for k in shown]
                word = "the one that is not" if len(bad) == 1 else f"the {len(bad)} that are not"
                text += f"; {word}: " + "; ".join(parts)
                if len(bad) > len(shown):
                    text += f"; and {len(bad) - len(shown)} more"
                text += "."
            med = compared["overlap_synthetic"].median()
            text += f" Median interval overlap {med:.2f}"
            if self.has_holdout:
                hold = e[e["overlap_holdout"].notna()]
                if len(hold):
                    text += (f" (a fresh sample of real people, the holdout: "
                             f"{hold['overlap_holdout'].median():.2f}; it is this close for "
                             f"{int(hold['close_holdout'].astype(bool).sum())} of {len(hold)})")
            if self.null is None:
                text += "."
            else:
                sign = int(compared["sign_agrees_synthetic"].astype(bool).sum())
                sig = int(compared["significance_agrees_synthetic"].astype(bool).sum())
                text += (f"; the sign agrees for {sign} of {n}, the significance for {sig} "
                         f"of {n}.")
        missing = self.missing()
        if missing:
            items = [f"{k} (missing in {v})" for k, v in list(missing.items())[:5]]
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            text += (f" {len(missing)} estimate{'s' if len(missing) > 1 else ''} could not be "
                     f"compared: " + "; ".join(items) + more + ".")
        return text

    def _describe(self, name: str) -> str:
        r = self.estimates.loc[name]
        assert isinstance(r, pd.Series)  # one row: the names are unique
        s = (f"{name} (real {_fmt_ci(r['real'], r['real_lower'], r['real_upper'])}, "
             f"synthetic {_fmt_ci(r['synthetic'], r['synthetic_lower'], r['synthetic_upper'])}")
        if self.has_holdout and not math.isnan(r["holdout"]):
            s += f", holdout {_fmt_ci(r['holdout'], r['holdout_lower'], r['holdout_upper'])}"
        return s + f", overlap {r['overlap_synthetic']:.2f})"

    def summary(self, max_rows: int = 40) -> str:
        """A plain-text report: the verdict, then the table of estimates."""
        e = self.estimates
        head = self.headline()
        lines = ["htwork analysis comparison: " + ", ".join(
            f"{k} = {v}" for k, v in self.labels.items()), ""]
        lines += _wrap(self.verdict(), 96, "  ")
        lines.append("")
        lines.append(f"  {'':<28}{'synthetic':>14}{'holdout':>14}" if self.has_holdout
                     else f"  {'':<28}{'synthetic':>14}")
        for k, v in head.items():
            cells = "".join(f"{_fmt(v.get(w)) if not isinstance(v.get(w), int) else v.get(w):>14}"
                            for w in self.others)
            lines.append(f"  {k:<28}{cells}")
        lines.append("")
        cols = ["real", "synthetic"] + (["holdout"] if self.has_holdout else [])
        header = f"  {'estimate':<34}" + "".join(f" {c:>28}" for c in cols) + f"{'overlap':>9}"
        if self.has_holdout:
            header += f"{'(holdout)':>10}"
        header += f"{'std.diff':>9}  close"
        lines.append(header)
        for name, r in e.head(max_rows).iterrows():
            row = f"  {_short(str(name), 34):<34}" + "".join(
                f" {_fmt_ci(r[c], r[c + '_lower'], r[c + '_upper']):>28}" for c in cols)
            row += f"{_fmt(r['overlap_synthetic'], 2):>9}"
            if self.has_holdout:
                row += f"{_fmt(r['overlap_holdout'], 2):>10}"
            row += f"{_fmt(r['std_diff_synthetic'], 2):>9}"
            close = r["close_synthetic"]
            row += "  " + ("-" if pd.isna(r["overlap_synthetic"]) else ("yes" if close else "NO"))
            lines.append(row)
        if len(e) > max_rows:
            lines.append(f"  ... {len(e) - max_rows} more estimates (see to_frame())")
        for who, ws in self.warnings.items():
            for w in ws:
                lines.append(f"  warning on the {who} table: {w}")
        lines.append("")
        lines.append(f"  intervals: {self.level:.0%}; overlap: Karr et al. 2006 (1 = same "
                     "interval, 0 = apart); std.diff: (synthetic - real) / real standard error;")
        lines.append("  close: within the range a fresh sample of real people would give "
                     "(95% of the two samples' combined error"
                     + (", or no further than the holdout)" if self.has_holdout else ")"))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = self.verdict().replace("&", "&amp;").replace("<", "&lt;")
        e = self.estimates
        cols = ["real", "synthetic"] + (["holdout"] if self.has_holdout else [])
        rows = []
        for name, r in e.iterrows():
            cells = "".join(f"<td>{_fmt_ci(r[c], r[c + '_lower'], r[c + '_upper'])}</td>"
                            for c in cols)
            cells += f"<td>{_fmt(r['overlap_synthetic'], 2)}</td>"
            if self.has_holdout:
                cells += f"<td>{_fmt(r['overlap_holdout'], 2)}</td>"
            cells += f"<td>{_fmt(r['std_diff_synthetic'], 2)}</td>"
            flag = ("-" if pd.isna(r["overlap_synthetic"])
                    else ("yes" if r["close_synthetic"] else "<b>no</b>"))
            cells += f"<td>{flag}</td>"
            label = str(name).replace("&", "&amp;").replace("<", "&lt;")
            rows.append(f"<tr><th style='text-align:left'>{label}</th>{cells}</tr>")
        head = "".join(f"<th>{self.labels[c]}</th>" for c in cols)
        head += "<th>overlap</th>" + ("<th>overlap (holdout)</th>" if self.has_holdout else "")
        head += "<th>std. diff.</th><th>as close as a fresh sample</th>"
        warn = "".join(f"<p><i>warning on the {w} table: {m}</i></p>"
                       for w, ms in self.warnings.items() for m in ms)
        return (f"<p>{esc}</p><table><thead><tr><th>estimate</th>{head}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>{warn}")

    # --- figure -------------------------------------------------------------------------------

    def plot(self, names: Sequence[str] | None = None, *, title: str | None = None,
             ax: Any = None) -> Figure:
        """Forest plot: each estimate with its interval on every table, overlap on the right.

        Parameters
        ----------
        names : sequence of str, optional
            The estimates to show (default: all).
        title : str, optional
            Figure title (default: names the tables).
        ax : matplotlib Axes, optional
            Draw into this axes instead of a new figure.

        Returns
        -------
        matplotlib.figure.Figure
        """
        from htwork.plotting import Figure

        e = self.estimates if names is None else self.estimates.loc[list(names)]
        roles = ["real", "synthetic"] + (["holdout"] if self.has_holdout else [])
        if ax is None:  # a Figure pyplot does not know of: no global state changed
            fig = Figure(figsize=(8, 0.42 * len(e) + 2.2))
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        y = np.arange(len(e))
        step = 0.25
        colours = {"real": "black", "synthetic": "tab:orange", "holdout": "tab:blue"}
        markers = {"real": "o", "synthetic": "s", "holdout": "^"}
        for i, role in enumerate(roles):
            off = (i - (len(roles) - 1) / 2) * step
            val = e[role].to_numpy(dtype=float)
            lo = e[f"{role}_lower"].to_numpy(dtype=float)
            hi = e[f"{role}_upper"].to_numpy(dtype=float)
            err = np.vstack([np.clip(val - lo, 0, None), np.clip(hi - val, 0, None)])
            ax.errorbar(val, y + off, xerr=err,
                        fmt=markers[role], color=colours[role], ms=4, capsize=2, lw=1,
                        label=self.labels[role])
        if self.null is not None:
            ax.axvline(self.null, color="grey", lw=0.6, ls="--")
        ax.set_yticks(y, [_short(str(n), 45) for n in e.index], fontsize=8)
        ax.invert_yaxis()
        ax.set_ylabel("estimate")
        ax.set_xlabel(f"estimate with {self.level:.0%} interval")
        for yi, (_, r) in zip(y, e.iterrows(), strict=True):
            text = "missing" if pd.isna(r["overlap_synthetic"]) else f"{r['overlap_synthetic']:.2f}"
            ax.annotate(text, xy=(1.01, yi), xycoords=("axes fraction", "data"), fontsize=7,
                        va="center", color="black" if r["close_synthetic"] else "tab:red")
        ax.annotate("overlap", xy=(1.01, 0.0), xycoords="axes fraction", fontsize=7,
                    va="top", xytext=(0, -4), textcoords="offset points")
        title = title or (f"{self.labels['real']} vs {self.labels['synthetic']}"
                          + (f" vs {self.labels['holdout']}" if self.has_holdout else ""))
        ax.set_title("\n".join(_wrap(title, 70, "")), fontsize=10, pad=22)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(roles), fontsize=8,
                  frameon=False)
        fig.tight_layout()
        return fig


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrap(text: str, width: int, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent)


def _run(analysis: Callable[[pd.DataFrame], Any], df: pd.DataFrame, role: str, label: str,
         level: float) -> tuple[pd.DataFrame, list[str]]:
    if not isinstance(df, pd.DataFrame):
        raise AnalysisError(f"the {role} table ({label}) is a {type(df).__name__}, "
                            "not a DataFrame")
    name = getattr(analysis, "__name__", type(analysis).__name__)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = analysis(df.copy())
        except Exception as err:
            raise AnalysisError(
                f"the analysis {name!r} failed on the {role} table ({label}): "
                f"{type(err).__name__}: {err}",
                hint=("a synthetic table may lack a category the analysis names, or separate "
                      "an outcome perfectly; run the analysis on that table alone to see where, "
                      "and write it so that it does not depend on one category being present"
                      if role == "synthetic" else "run the analysis on that table alone first"),
            ) from err
    try:
        table = estimates_table(result, level=level)
    except TypeError as err:
        raise AnalysisError(f"the result of {name!r} on the {role} table ({label}) cannot be "
                            f"read: {err}") from err
    if table.index.duplicated().any():
        dup = sorted(set(table.index[table.index.duplicated()]))[:5]
        raise AnalysisError(f"the result of {name!r} on the {role} table ({label}) names "
                            f"the same estimate twice: {dup}",
                            hint="give every estimate its own name")
    seen: list[str] = []
    for w in caught:
        text = f"{w.category.__name__}: {w.message}"
        if text not in seen:
            seen.append(text)
    return table, seen


def compare_analysis(
    analysis: Callable[[pd.DataFrame], Any] | str,
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame | None = None,
    *,
    names: Sequence[Hashable] | None = None,
    labels: Mapping[str, str] | None = None,
    level: float = 0.95,
    null: float | None = 0.0,
) -> AnalysisComparison:
    """Run one analysis on the real, synthetic and holdout tables and compare the answers.

    Parameters
    ----------
    analysis : callable or str
        ``analysis(df)`` -> estimates with confidence intervals: a fitted statsmodels results
        object, a DataFrame with ``estimate``/``lower``/``upper`` columns (one row per estimate),
        or a dict of them (see :func:`estimates_table`). It receives a copy of each table.
        A formula (``"income ~ age + sex + edu"``) stands for :func:`regression` of it, with
        every table's numbers and missing codes read as the real table's types say.
    real : DataFrame
        The real table (the synthesizer's training data).
    synthetic : DataFrame
        The synthetic table.
    holdout : DataFrame, optional
        Real rows the synthesizer never saw: the yardstick of how much a fresh sample of real
        people differs from ``real``.
    names : sequence of str, optional
        The estimates to compare, in this order (default: every estimate, in the real table's
        order, then any found only in the other tables).
    labels : mapping, optional
        Labels of the tables for messages and figures, e.g. ``{"synthetic": "default
        synthesizer"}`` (defaults: ``real``, ``synthetic``, ``holdout``).
    level : float
        Confidence level (statsmodels' intervals are computed at it; other intervals are
        assumed to be at it when a standard error is derived from their width).
    null : float or None
        The "no effect" value for significance and sign (0 for coefficients and differences,
        1 for odds ratios); None to skip sign and significance (shares and rates, where an
        interval excluding 0 says nothing).

    Returns
    -------
    AnalysisComparison

    Raises
    ------
    AnalysisError
        When the analysis fails on a table (the message names which), or returns something
        that cannot be read as estimates.

    Notes
    -----
    The standard error of an estimate is taken from the result when given (statsmodels'
    ``bse``, an ``se`` column), otherwise as the interval's width / (2 z). An estimate is
    *as close as a fresh sample* when ``|other - real| <= z * sqrt(se_real**2 + se_other**2)``
    (the range within which 95% of independent samples' differences fall) or, given a holdout,
    when it is no further from the real estimate than the holdout's. An estimate missing from
    a table (a category absent, a term dropped) is reported under ``missing_in``; estimates with
    no interval (NaN) count as missing.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, not {level}")
    if isinstance(analysis, str):
        from htwork.synth.evaluation.prep import column_types

        if not isinstance(real, pd.DataFrame):
            raise AnalysisError(f"the real table is a {type(real).__name__}, not a DataFrame")
        analysis = regression(analysis, types=column_types(real))
    tables = {"real": real, "synthetic": synthetic}
    if holdout is not None:
        tables["holdout"] = holdout
    lab = {role: role for role in tables}
    for k, v in (labels or {}).items():
        if k not in ROLES:
            raise ValueError(f"labels keys must be among {ROLES}, not {k!r}")
        if k in lab:
            lab[k] = str(v)
    results: dict[str, pd.DataFrame] = {}
    caught: dict[str, list[str]] = {}
    for role, df in tables.items():
        results[role], ws = _run(analysis, df, role, lab[role], level)
        if ws:
            caught[role] = ws
    z = _z(level)
    if names is None:
        order: list[str] = []
        for t in results.values():
            order += [i for i in t.index if i not in order]
    else:
        order = [_label(n) for n in names]
        unknown = [n for n in order if not any(n in t.index for t in results.values())]
        if unknown:
            raise AnalysisError(f"no table's result has the estimate(s) {unknown}",
                                hint=f"estimates: {list(results['real'].index)[:20]}")
    rows = []
    for name in order:
        row: dict[str, Any] = {}
        se: dict[str, float] = {}
        missing = []
        for role, t in results.items():
            if name in t.index:
                est, lo, hi, s = (float(t[c].loc[name]) for c in ("estimate", "lower", "upper",
                                                                   "se"))
            else:
                est = lo = hi = s = np.nan
            if any(math.isnan(v) or math.isinf(v) for v in (est, lo, hi)):
                missing.append(lab[role])
                est = lo = hi = s = np.nan
            elif math.isnan(s):
                s = (hi - lo) / (2 * z)
            row[role], row[f"{role}_lower"], row[f"{role}_upper"] = est, lo, hi
            se[role] = s
        for who in [r for r in ("synthetic", "holdout") if r in results]:
            row.update(_compare(row, se, who, z, null))
        if "holdout" in results and not math.isnan(row["overlap_synthetic"]):
            # as close as the fresh sample actually was counts as close too
            d_h = abs(row["holdout"] - row["real"])
            if not math.isnan(d_h) and abs(row["synthetic"] - row["real"]) <= d_h:
                row["close_synthetic"] = True
        row["missing_in"] = ", ".join(missing)
        rows.append(row)
    frame = pd.DataFrame(rows, index=pd.Index(order, name="estimate"))
    return AnalysisComparison(frame, lab, level=level, null=null, warnings=caught)


def _compare(row: dict[str, Any], se: dict[str, float], who: str, z: float,
             null: float | None) -> dict[str, Any]:
    r, lo_r, hi_r = row["real"], row["real_lower"], row["real_upper"]
    o, lo_o, hi_o = row[who], row[f"{who}_lower"], row[f"{who}_upper"]
    if math.isnan(r) or math.isnan(o):
        return {f"overlap_{who}": np.nan, f"std_diff_{who}": np.nan,
                f"sign_agrees_{who}": np.nan, f"significance_agrees_{who}": np.nan,
                f"close_{who}": np.nan}
    diff = o - r
    std = diff / se["real"] if se["real"] > 0 else (0.0 if diff == 0 else math.copysign(
        math.inf, diff))
    band = z * math.sqrt(se["real"] ** 2 + se[who] ** 2)

    def signif(lo: float, hi: float, null: float) -> int:
        return 1 if lo > null else (-1 if hi < null else 0)

    return {
        f"overlap_{who}": interval_overlap(lo_r, hi_r, lo_o, hi_o),
        f"std_diff_{who}": std,
        f"sign_agrees_{who}": (np.nan if null is None
                               else bool(np.sign(r - null) == np.sign(o - null))),
        f"significance_agrees_{who}": (np.nan if null is None
                                       else bool(signif(lo_r, hi_r, null)
                                                 == signif(lo_o, hi_o, null))),
        f"close_{who}": bool(abs(diff) <= band),
    }
