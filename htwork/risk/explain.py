"""Risk in words a caseworker understands, and a figure of what makes people stand out."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from htwork.core.results import Result
from htwork.risk._result import keys_phrase

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from htwork.risk.report import RiskReport

__all__ = ["Explanation", "explain", "contribution_figure"]


def _people(n: int) -> str:
    if n == 0:
        return "Nobody"
    return "1 person" if n == 1 else f"{n:,} people"


def _verb(n: int, one: str, many: str) -> str:
    return one if n <= 1 else many  # "Nobody is", "1 person is", "2 people are"


@dataclass(repr=False)
class Explanation(Result):
    """Plain-language sentences about a table's disclosure risk.

    Attributes
    ----------
    sentences : list of str
        Short sentences, most important first.
    contributions : pandas.Series or None
        Each key's share of special uniqueness (percent: how many of the rare combinations
        that single people out it takes part in), for the figure.
    """

    sentences: list[str]
    contributions: pd.Series | None = None
    keys: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The sentences as one paragraph."""
        return " ".join(self.sentences)

    def figure(self) -> Figure:
        """A bar chart of each key's contribution to special uniqueness."""
        return contribution_figure(self.contributions, self.keys)

    def _data(self) -> dict[str, Any]:
        """The sentences, and each key's contribution (percent) or None."""
        contrib = None if self.contributions is None else self.contributions.to_dict()
        return {"sentences": self.sentences, "contributions": contrib}

    def summary(self) -> str:
        """The sentences as a list, one per line."""
        return "\n".join(f"- {s}" for s in self.sentences)

    def to_frame(self) -> pd.DataFrame:
        """One row per sentence."""
        return pd.DataFrame({"sentence": self.sentences})

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.sentences)
        out = f"<ul>{items}</ul>"
        if self.contributions is not None and float(self.contributions.sum()) > 0:
            buf = io.BytesIO()
            self.figure().savefig(buf, format="png", dpi=90, bbox_inches="tight")
            data = base64.b64encode(buf.getvalue()).decode("ascii")
            out += f"<img alt='contributions' src='data:image/png;base64,{data}'/>"
        return out


def contribution_figure(contributions: pd.Series | None, keys: Iterable[str] = ()) -> Figure:
    """Horizontal bars: percent of special uniqueness each key contributes.

    Parameters
    ----------
    contributions : pandas.Series or None
        Percent by key (``Suda2Result.attribute_contributions``).
    keys : iterable of str
        Keys to show when there are no contributions.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from htwork.plotting import Figure

    if contributions is None:
        contributions = pd.Series(0.0, index=list(keys))
    data = contributions.sort_values()
    fig = Figure(figsize=(6.0, 0.5 * len(data) + 1.4))
    ax = fig.add_subplot(1, 1, 1)
    bars = ax.barh([str(k) for k in data.index], data.to_numpy(), color="#4C72B0")
    for bar, value in zip(bars, data.to_numpy(), strict=True):
        ax.text(
            bar.get_width(),
            bar.get_y() + bar.get_height() / 2,
            f" {value:.0f}%",
            va="center",
            fontsize=9,
        )
    ax.set_xlim(0, max(100.0, float(data.max()) * 1.15 if len(data) else 100.0))
    ax.set_xlabel("% of the rare combinations that single people out")
    ax.set_title("Which details make people stand out")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.text(
        0.01,
        0.01,
        "A rare combination counts for every detail in it, so the shares add up to over 100%.",
        fontsize=7,
        color="#555555",
    )
    return fig


def explain(report: RiskReport | pd.DataFrame, quasi: Any = None, **kwargs: Any) -> Explanation:
    """Explain a table's disclosure risk in plain language.

    Parameters
    ----------
    report : RiskReport or pandas.DataFrame
        A report from :func:`htwork.risk.assess`, or a table (then ``quasi`` and any
        :func:`assess` argument are passed on).
    quasi : str or iterable of str, optional
        Quasi-identifiers, when ``report`` is a table.
    **kwargs
        Passed to :func:`htwork.risk.assess`.

    Returns
    -------
    Explanation

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sex": list("FFMF"), "province": ["a", "a", "a", "b"]})
    >>> print(explain(df, ["sex", "province"]).sentences[0])  # doctest: +NORMALIZE_WHITESPACE
    2 people are each the only one with their sex × province; sex and province are each part
    of 50% of the rare combinations that single people out.
    """
    from htwork.risk.report import RiskReport, assess

    if not isinstance(report, RiskReport):
        report = assess(report, quasi, **kwargs)
    f = report.frequencies
    keys = keys_phrase(report.keys)
    sentences: list[str] = []

    uniq = f.sample_uniques
    first = f"{_people(uniq)} {_verb(uniq, 'is', 'are each')} the only one with their {keys}"
    suda = report.suda
    top = suda.top_contributor() if suda is not None else None
    leaders: list[str] = []
    if suda is not None and top is not None:
        contrib = suda.attribute_contributions
        leaders = [str(k) for k, v in contrib.items() if abs(v - top[1]) < 1e-9]
    if top is not None and leaders and uniq > 0:
        if len(leaders) == 1:
            first += (f"; {leaders[0]} is part of {top[1]:.0f}% of the rare combinations "
                      "that single people out")
        else:
            names = ", ".join(leaders[:-1]) + f" and {leaders[-1]}"
            first += (f"; {names} are each part of {top[1]:.0f}% of the rare combinations "
                      "that single people out")
    sentences.append(first + ".")

    pair = int((f.fk == 2).sum())
    v3 = f.violations(3)
    if pair:
        sentences.append(
            f"{_people(pair)} share{_verb(pair, 's', '')} it with just one other person; "
            f"{v3:,} in all {_verb(v3, 'is', 'are')} in a group smaller than 3."
        )
    elif v3:
        sentences.append(f"{_people(v3)} {_verb(v3, 'is', 'are')} in a group smaller than 3.")
    else:
        sentences.append(f"Everyone shares their {keys} with at least two other people.")
    for level in [k for k in getattr(report, "k_levels", ()) if k > 5]:
        n_k = f.violations(level)
        sentences.append(
            f"At k = {level}: {_people(n_k) if n_k else 'nobody'} "
            f"{_verb(n_k, 'is', 'are')} in a group smaller than {level}"
            + ("." if n_k else f" (the table is {level}-anonymous on these keys)."))

    risk = report.risk
    est = " (estimated with the sampling weights)" if risk.method != "1/fk" else ""
    sentences.append(
        f"Someone who knows these details about each person, and picks one of the records "
        f"that match, would find the right record for about "
        f"{risk.expected_reidentifications:,.0f} of the {f.n_records:,} people "
        f"({100 * risk.global_risk:.1f} %, the global risk){est}."
    )
    if risk.cluster is not None:
        sentences.append(
            f"Counting people found together (same {risk.group}), that number rises to "
            f"about {risk.cluster_expected_reidentifications:,.0f}."
        )

    if report.l_diversity is not None:
        for s in report.sensitive:
            n1 = report.l_diversity.records_with_l1(s)
            if n1:
                sentences.append(
                    f"{_people(n1)} {_verb(n1, 'has', 'have')} the same {s} as everyone else "
                    f"with their {keys}: knowing those details is enough to learn it."
                )
            if report.l_diversity.multi.get(s):
                k = report.l_diversity.records_with_shared_item(s)
                if k:
                    sentences.append(
                        f"For {_people(k)}, some {s} item is shared by everyone with "
                        f"their {keys}: anyone who knows those details learns that item."
                    )
    if report.t_closeness is not None:
        for s in report.sensitive:
            above = report.t_closeness.records_above(attribute=s)
            thr = report.t_closeness.threshold
            if above:
                sentences.append(
                    f"{_people(above)} {_verb(above, 'is', 'are')} in a group whose {s} looks "
                    f"clearly different from the whole table (t > {thr:g})."
                )

    if leaders and uniq > 0:
        what = leaders[0] if len(leaders) == 1 else " or ".join(leaders)
        sentences.append(
            f"Recoding {what} into broader groups, or suppressing it for the people at risk, "
            f"would lower the risk most."
        )
    if f.records_with_missing:
        sentences.append(
            f"{_people(f.records_with_missing)} miss some detail; a missing detail is counted as "
            "possibly matching anyone."
        )
    contributions = None if report.suda is None else report.suda.attribute_contributions
    return Explanation(sentences=sentences, contributions=contributions, keys=list(report.keys))
