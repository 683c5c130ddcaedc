"""Fit one Poisson log-linear model to a capture table, with the extended MLE for sparse tables.

Terms (main effects included) whose observed margin is zero have their parameter at minus
infinity: the cells they cover are dropped from the fit (their fitted value is zero), and the
parameters still count in AIC and BIC, as in SparseMSE and MultipleSystemsEstimation. The
population estimate is the number observed plus ``exp(intercept)``, the fitted count of the
unobserved pattern.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.special import gammaln

from htwork.core.results import Result
from htwork.prevalence.checks import ModelCheck, certificate, existence_lp
from htwork.prevalence.glm import column_rank, fit_poisson, spd_solve
from htwork.prevalence.model import Model, term_name
from htwork.prevalence.table import CaptureTable

if TYPE_CHECKING:
    from htwork.prevalence.results import MSEResult

__all__ = ["LogLinearFit", "fit_loglinear", "Design"]


class Design:
    """Cached design columns and margins of one table; fits many models quickly.

    Parameters
    ----------
    counts : ndarray
        Counts by bit-mask pattern (length ``2 ** n_lists``; entry 0 ignored).
    lists : tuple of str
        List names.
    """

    def __init__(self, counts: np.ndarray, lists: tuple[str, ...]) -> None:
        self.lists = tuple(lists)
        self.m = len(lists)
        self.cells = np.arange(1, 1 << self.m)
        self.y = np.asarray(counts, dtype=float)[1:]
        self.observed = float(self.y.sum())
        self._cols: dict[int, np.ndarray] = {}
        self._margins: dict[int, float] = {}
        self._fcols: dict[int, np.ndarray] = {}
        self._nonexistent: dict[bytes, list[frozenset[int]]] = {}
        self._fits: dict[frozenset[int], LogLinearFit] = {}
        self.positive = self.y > 0

    @classmethod
    def of(cls, table: CaptureTable) -> Design:
        """Design of a capture table."""
        return cls(table.cell_counts, table.lists)

    def covers(self, term: int) -> np.ndarray:
        """Boolean column: cells containing every list of ``term`` (all cells for term 0)."""
        col = self._cols.get(term)
        if col is None:
            col = (self.cells & term) == term
            self._cols[term] = col
        return col

    def margin(self, term: int) -> float:
        """Observed number of people on every list of ``term``."""
        v = self._margins.get(term)
        if v is None:
            v = float(self.y[self.covers(term)].sum())
            self._margins[term] = v
        return v

    def params(self, model: Model) -> list[int]:
        """Parameter terms: 0 (intercept), main effects, then interactions."""
        return [0] + [1 << i for i in range(self.m)] + model.sorted_terms

    def column(self, term: int) -> np.ndarray:
        """Float design column of a term over all observable cells."""
        col = self._fcols.get(term)
        if col is None:
            col = self.covers(term).astype(float)
            self._fcols[term] = col
        return col

    def record_nonexistent(self, model: Model, keep: np.ndarray) -> None:
        """Remember a model without an MLE (for :meth:`known_nonexistent`)."""
        self._nonexistent.setdefault(np.packbits(keep).tobytes(), []).append(model.terms)

    def known_nonexistent(self, model: Model, keep: np.ndarray) -> str | None:
        """Say whether a recorded sub-model on the same cells already has no MLE.

        Adding terms with positive margins keeps the cells and enlarges the design's column
        space, so the Fienberg-Rinaldo certificate of non-existence of the sub-model carries
        over.
        """
        for terms in self._nonexistent.get(np.packbits(keep).tobytes(), ()):
            if terms <= model.terms:
                return "inherited from sub-model " + Model(self.m, terms).hierarchy()
        return None

    def fit(self, model: Model, start: LogLinearFit | None = None) -> LogLinearFit:
        """Fit (or fetch the cached fit of) a model.

        Parameters
        ----------
        model : Model
            The model.
        start : LogLinearFit, optional
            A fitted neighbouring model whose coefficients start the Newton iterations.
        """
        got = self._fits.get(model.terms)
        if got is None:
            if start is None and model.terms:
                parent = model.sorted_terms[-1]
                start = self._fits.get(model.terms - {parent})
            got = _fit(self, model, start)
            self._fits[model.terms] = got
        return got


@dataclass
class LogLinearFit(Result):
    """One log-linear model fitted to one capture table.

    Attributes
    ----------
    model : Model
        The model.
    lists : tuple of str
        List names.
    check : ModelCheck
        Existence and identifiability.
    observed : int
        People observed.
    estimate : float
        Population estimate (NaN when the check fails).
    dark : float
        Estimated number never observed.
    loglik, deviance, aic, bic : float
        Fit statistics; AIC and BIC count every parameter of the model, including those at
        minus infinity; BIC uses the number observed as sample size (as Rcapture).
    df : int
        Residual degrees of freedom: cells kept minus parameters estimated.
    """

    model: Model
    lists: tuple[str, ...]
    check: ModelCheck
    observed: int
    estimate: float = math.nan
    dark: float = math.nan
    loglik: float = math.nan
    deviance: float = math.nan
    aic: float = math.nan
    bic: float = math.nan
    df: int = 0
    converged: bool = True
    _est: list[int] = field(default_factory=list, repr=False)
    _sparse: list[int] = field(default_factory=list, repr=False)
    _se: np.ndarray | None = field(default=None, repr=False)
    _beta: np.ndarray | None = field(default=None, repr=False)
    _design: Design | None = field(default=None, repr=False)
    _keep: np.ndarray | None = field(default=None, repr=False)

    def _matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """Design matrix and counts on the kept cells."""
        d = self._design
        assert d is not None  # set together with _beta by the fit
        X = np.stack([d.column(t) for t in self._est], axis=1)[self._keep]
        return X, d.y[self._keep]

    def fitted_cells(self) -> np.ndarray:
        """Fitted means of all observable cells (bit-mask order from 1), 0 where dropped."""
        if self._design is None:
            return np.zeros(0)
        out = np.zeros(self._design.cells.shape[0])
        if self._beta is not None:
            X, _ = self._matrix()
            out[self._keep] = np.exp(np.minimum(X @ self._beta, 700.0))
        return out

    @property
    def ok(self) -> bool:
        """True when the model passed both checks and the fit converged."""
        return self.check.ok and self.converged and math.isfinite(self.estimate)

    @property
    def terms(self) -> list[str]:
        """Interaction terms as ``"A:B"``."""
        return self.model.term_names(self.lists)

    def _std_errors(self) -> np.ndarray | None:
        if self._se is None and self._beta is not None and self._design is not None:
            X, _ = self._matrix()
            mu = np.exp(np.minimum(X @ self._beta, 700.0))
            try:
                cov = spd_solve((X.T * mu) @ X, np.eye(X.shape[1]))
                self._se = np.sqrt(np.maximum(np.diag(cov), 0.0))
            except np.linalg.LinAlgError:
                self._se = np.full(X.shape[1], np.nan)
        return self._se

    @property
    def intercept_se(self) -> float:
        """Standard error of the intercept (log of the unobserved count)."""
        se = self._std_errors()
        return float(se[0]) if se is not None else math.nan

    @property
    def coef(self) -> dict[str, float]:
        """Parameter estimates by name (``"(Intercept)"``, list names, ``"A:B"``);
        ``-inf`` for terms whose observed margin is zero."""
        if self._beta is None:
            return {}
        out = {_name(t, self.lists): float(b)
               for t, b in zip(self._est, self._beta, strict=True)}
        out.update({_name(t, self.lists): -math.inf for t in self._sparse})
        return out

    @property
    def se(self) -> dict[str, float]:
        """Standard errors by name (NaN for parameters at minus infinity)."""
        se = self._std_errors()
        if se is None:
            return {}
        out = {_name(t, self.lists): float(v) for t, v in zip(self._est, se, strict=True)}
        out.update({_name(t, self.lists): math.nan for t in self._sparse})
        return out

    def start_for(self, est: list[int]) -> np.ndarray | None:
        """Starting coefficients for another model's parameters (0 for new ones)."""
        if self._beta is None or not self.converged:
            return None
        pos = {t: k for k, t in enumerate(self._est)}
        return np.array([self._beta[pos[t]] if t in pos else 0.0 for t in est])

    def fitted(self) -> dict[str, float]:
        """Fitted count of every observable pattern (0 for dropped cells)."""
        from htwork.prevalence.table import pattern_string

        if self._design is None:
            return {}
        mu = self.fitted_cells()
        return {pattern_string(int(c), len(self.lists)): float(v)
                for c, v in zip(self._design.cells, mu, strict=True)}

    # ------------------------------------------------------------- intervals ------------

    def wald_interval(self, level: float = 0.95) -> tuple[float, float]:
        """Log-normal Wald interval conditional on the model.

        The unobserved count ``exp(b0)`` is log-normal with the intercept's standard error;
        the interval is the number observed plus its quantiles (SparseMSE's
        ``estimatepopulation.0``).
        """
        if not self.ok:
            return (math.nan, math.nan)
        z = stats.norm.ppf(0.5 + level / 2)
        b0 = math.log(self.dark)
        se = self.intercept_se
        return (self.observed + math.exp(b0 - z * se), self.observed + math.exp(b0 + z * se))

    def profile_loglik(self, n_total: float) -> float:
        """Multinomial profile log-likelihood of the population size (Cormack 1992).

        The unobserved cell is given ``n_total - observed`` and the model refitted on the full
        table; the multinomial log-likelihood of all cells, maximised over the model's other
        parameters, is returned.
        """
        n = float(self.observed)
        y0 = n_total - n
        if y0 < 0 or self._beta is None:
            return -math.inf
        Xo, yo = self._matrix()
        X = np.vstack([np.eye(1, Xo.shape[1]), Xo])
        y = np.concatenate([[y0], yo])
        fit = fit_poisson(X, y, beta0=self._beta)
        p = fit.mu / fit.mu.sum()
        pos = y > 0
        ll = float((y[pos] * np.log(p[pos])).sum())
        return ll + float(gammaln(n_total + 1) - gammaln(y0 + 1) - gammaln(yo + 1).sum())

    def profile_interval(self, level: float = 0.95) -> tuple[float, float]:
        """Profile-likelihood interval for the population size, conditional on the model."""
        if not self.ok:
            return (math.nan, math.nan)
        n = float(self.observed)
        crit = float(stats.chi2.ppf(level, 1)) / 2

        def neg(t: float) -> float:
            return -self.profile_loglik(n + math.exp(t))

        t_hat = math.log(max(self.dark, 1e-8))
        opt = optimize.minimize_scalar(neg, bracket=(t_hat - 0.1, t_hat + 0.1))
        t_max = float(opt.x) if opt.success else t_hat
        ll_max = -float(opt.fun) if opt.success else -neg(t_hat)

        def g(t: float) -> float:
            return ll_max - self.profile_loglik(n + math.exp(t)) - crit

        lo = _root(g, t_max, -1.0)
        hi = _root(g, t_max, +1.0)
        return (n + math.exp(lo) if lo is not None else n,
                n + math.exp(hi) if hi is not None else math.inf)

    # ------------------------------------------------------------- output ----------------

    def result(self, interval: str = "wald", level: float = 0.95) -> MSEResult:
        """Wrap as an :class:`~htwork.prevalence.results.MSEResult` with a conditional interval.

        Parameters
        ----------
        interval : {"wald", "profile"}
            Log-normal Wald or profile likelihood.
        level : float
            Coverage of the interval.
        """
        from htwork.prevalence.results import MSEResult

        if interval == "wald":
            lo, hi = self.wald_interval(level)
            kind = "log-normal Wald, conditional on the model"
        elif interval == "profile":
            lo, hi = self.profile_interval(level)
            kind = "profile likelihood, conditional on the model"
        else:
            raise ValueError(f"unknown interval {interval!r}; use 'wald' or 'profile'")
        return MSEResult(
            estimate=self.estimate, ci_low=lo, ci_high=hi, level=level, interval_kind=kind,
            method="fixed model", model=self.terms, hierarchy=self.model.hierarchy(),
            lists=list(self.lists), observed=self.observed, checks=self.check.to_dict(),
            fit=self,
        )

    def _data(self) -> dict[str, Any]:
        """Model, estimate, fit statistics, checks, coefficients and standard errors."""
        return {
            "model": self.terms,
            "hierarchy": self.model.hierarchy(),
            "estimate": self.estimate,
            "dark": self.dark,
            "observed": self.observed,
            "loglik": self.loglik,
            "deviance": self.deviance,
            "df": self.df,
            "aic": self.aic,
            "bic": self.bic,
            "n_params": self.model.n_params,
            "checks": self.check.to_dict(),
            "coef": self.coef,
            "se": self.se,
        }

    def to_frame(self) -> pd.DataFrame:
        """The coefficients: one row per parameter, ``estimate`` and ``std_error``."""
        coef, se = self.coef, self.se
        return pd.DataFrame({"estimate": pd.Series(coef, dtype=float),
                             "std_error": pd.Series({k: se.get(k, math.nan) for k in coef},
                                                    dtype=float)},
                            index=pd.Index(list(coef), name="parameter"))

    def summary(self) -> str:
        """The model, its estimate, fit statistics, checks and coefficients, in a few lines."""
        lines = [
            f"Log-linear model: {self.model.describe(self.lists)}  {self.model.hierarchy()}",
            f"  estimate {_num(self.estimate, 1)} (never observed {_num(self.dark, 1)}; "
            f"observed {self.observed:,})",
            f"  log-likelihood {_num(self.loglik)}, deviance {_num(self.deviance)} on {self.df} "
            f"df, AIC {_num(self.aic)}, BIC {_num(self.bic)}",
            f"  checks: code {self.check.code}: {self.check.message}",
        ]
        if not self.converged:
            lines.append("  warning: the fit did not converge")
        coef, se = self.coef, self.se
        if coef:
            width = max(len(k) for k in coef)
            lines.append(f"  {'parameter':<{width}}  {'estimate':>10}  {'std. error':>10}")
            lines += [f"  {k:<{width}}  {_num(v, 4):>10}  {_num(se.get(k, math.nan), 4):>10}"
                      for k, v in coef.items()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"LogLinearFit({self.model.describe(self.lists)}: estimate={self.estimate:.1f}, "
                f"AIC={self.aic:.2f}, BIC={self.bic:.2f}, check={self.check.code})")


def _num(x: float, digits: int = 2) -> str:
    """``1,234.57``; ``-inf`` and ``n/a`` (NaN) in words."""
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "-inf" if x < 0 else "inf"
    return f"{x:,.{digits}f}"


def _root(g, t0: float, direction: float) -> float | None:
    """Find where ``g`` crosses zero going from ``t0`` in ``direction`` (log scale)."""
    step = 0.05
    a = t0
    ga = g(a)
    if ga >= 0:
        return t0
    for _ in range(200):
        b = a + direction * step
        gb = g(b)
        if not math.isfinite(gb) or gb > 0:
            if not math.isfinite(gb):
                return None
            lo, hi = (a, b) if a < b else (b, a)
            return optimize.brentq(g, lo, hi, xtol=1e-10)
        a, ga = b, gb
        step *= 1.5
    return None


def _name(term: int, lists: tuple[str, ...]) -> str:
    if term == 0:
        return "(Intercept)"
    return term_name(term, lists)


def _fit(design: Design, model: Model, start: LogLinearFit | None = None) -> LogLinearFit:
    lists = design.lists
    params = design.params(model)
    sparse = [t for t in params[1:] if design.margin(t) == 0.0]
    est = [t for t in params if t not in sparse]
    keep = np.ones(design.cells.shape[0], dtype=bool)
    for t in sparse:
        keep &= ~design.covers(t)
    y = design.y[keep]
    X = np.stack([design.column(t) for t in est], axis=1)
    if sparse:
        X = X[keep]
    minus_inf = tuple(_name(t, lists) for t in sparse)
    observed = int(round(design.observed))

    rank = column_rank(X)
    rankdef = X.shape[1] - rank
    if rankdef > 0:
        how = design.known_nonexistent(model, keep)
        exists = False if how is not None else existence_lp(X, y)[0]
        if not exists:
            design.record_nonexistent(model, keep)
        code = (0 if exists else 1) + 2
        check = ModelCheck(code, rankdef, minus_inf, how or "linear program")
        return LogLinearFit(model, lists, check, observed, df=int(X.shape[0] - rank),
                            _est=est, _sparse=sparse, _design=design, _keep=keep)

    pf = fit_poisson(X, y, beta0=start.start_for(est) if start is not None else None)
    if not pf.converged and start is not None:
        pf = fit_poisson(X, y)
    if np.all(y > 0):
        exists, how = True, "positive cells"
    elif pf.converged and certificate(X, y, pf.mu):
        exists, how = True, "certificate"
    else:
        inherited = design.known_nonexistent(model, keep)
        exists = False if inherited else existence_lp(X, y)[0]
        how = inherited or "linear program"
        if not exists:
            design.record_nonexistent(model, keep)
    check = ModelCheck(0 if exists else 1, 0, minus_inf, how)
    npar = model.n_params
    out = LogLinearFit(model, lists, check, observed, converged=pf.converged,
                       df=int(X.shape[0] - X.shape[1]))
    out.loglik = pf.loglik
    out.deviance = pf.deviance
    out.aic = 2 * npar - 2 * pf.loglik
    out.bic = npar * math.log(max(design.observed, 1.0)) - 2 * pf.loglik
    out._se = np.sqrt(np.maximum(np.diag(pf.cov), 0.0))
    out._est, out._sparse = est, sparse
    out._beta, out._design, out._keep = pf.beta, design, keep
    if exists:
        out.dark = float(math.exp(pf.beta[0]))
        out.estimate = observed + out.dark
    return out


def fit_loglinear(table: CaptureTable, model: Model | str | list | None = None) -> LogLinearFit:
    """Fit one log-linear model by maximum likelihood (extended MLE when sparse).

    Parameters
    ----------
    table : CaptureTable
        The data.
    model : Model, str or list of str, optional
        The model: a :class:`Model`, generator notation (``"[12,25]"``), or a list of terms
        in the lists' names (``["LA:NG", "NG:GP"]``). Main effects only when omitted.

    Returns
    -------
    LogLinearFit
        With ``check`` saying whether the estimate exists and is identifiable; ``estimate``
        is NaN when it does not.
    """
    m = table.n_lists
    if model is None:
        model = Model.main_effects(m)
    elif isinstance(model, str):
        model = Model.from_hierarchy(model, m)
    elif not isinstance(model, Model):
        model = Model.from_terms(m, model, table.lists)
    elif model.n_lists != m:
        raise ValueError(f"model is for {model.n_lists} lists, table has {m}")
    return Design.of(table).fit(model)
