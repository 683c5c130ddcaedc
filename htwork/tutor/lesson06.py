"""Lesson 6, who could recognise this person: identifiers, quasi-identifiers, k-anonymity, local
suppression and small cells in published tables; and a what-if to play with k, age detail and
keys (:func:`what_if`)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from htwork.anonymise import LocalSuppression
from htwork.risk import frequencies
from htwork.standards import load_standard
from htwork.tutor.core import Check, Question, Quiz, Wrong, _iterable

#: The columns exercise 1 asks about.
COLUMNS = ["prs_FirstName", "prs_MobilePhone", "prs_Gender", "prs_Birthdate",
           "prs_IdentityDocumentNumber", "vic_CountryOfExploitation", "prs_Email",
           "cas_RegistrationDate"]


def with_years(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``birth_year`` and ``registration_year`` (the lesson's coarser keys)."""
    return df.assign(birth_year=df["prs_Birthdate"].str[:4],
                     registration_year=df["cas_RegistrationDate"].str[:4])


#: The quasi-identifiers of the lesson.
KEYS = ["prs_Gender", "birth_year", "prs_Citizenship", "vic_CountryOfExploitation",
        "registration_year"]


def exercises(d: pd.DataFrame, k: int = 3) -> SimpleNamespace:
    """The checks of lesson 6 for ``d = with_years(df)``."""
    std = load_standard()
    direct = set(COLUMNS) & set(std.direct_identifiers)
    quasi = set(COLUMNS) & set(std.quasi_identifiers)

    complete = d.dropna(subset=KEYS)
    fc = frequencies(complete, KEYS)

    fr = frequencies(d, KEYS)
    hand_missing_as_value = int((d.fillna({c: "<missing>" for c in KEYS})
                                 .groupby(KEYS)[KEYS[0]].transform("size") < k).sum())

    ls = LocalSuppression(KEYS, k=k).fit(d)

    table = pd.crosstab(d["prs_Citizenship"], d["prs_Gender"])
    small = int(((table > 0) & (table < k)).to_numpy().sum())
    return SimpleNamespace(
        direct=Check(
            "Exercise 1: direct identifiers", direct,
            compare=lambda a, e: _iterable(a) and set(a) == e,
            wrong=[Wrong(lambda a: _iterable(a) and bool(set(a) & quasi),
                         "you included a quasi-identifier (such as the birth date or sex). "
                         "Alone it names nobody; it becomes dangerous only in combination. "
                         "Direct identifiers name or reach a person by themselves."),
                   Wrong(lambda a: _iterable(a) and set(a) < direct,
                         "some direct identifiers are missing: anything that reaches the "
                         "person (a phone number, an e-mail address) counts too.")],
            hint="which columns alone would let you name, call or find the person?",
            kind="set"),
        uniques=Check(
            "Exercise 2: records alone in their combination", fc.sample_uniques,
            wrong=[Wrong(fc.n_classes, "you counted combinations (groups). Count the records "
                                       "whose group has size 1."),
                   Wrong(fc.violations(k), f"that is every record in a group smaller than {k}; "
                                           "the question asks about groups of exactly 1."),
                   Wrong(len(complete),
                         "that is every complete record; keep those whose group size is 1.")],
            hint="groupby(KEYS) then transform('size') gives each record's group size; count "
                 "the 1s."),
        violations=Check(
            f"Exercise 3: records violating {k}-anonymity", fr.violations(k),
            wrong=[Wrong(fr.sample_uniques, f"that counts only records alone (fk = 1). "
                                            f"{k}-anonymity also fails for fk = 2."),
                   Wrong(hand_missing_as_value,
                         "you treated an empty cell as a value of its own. htwork counts an "
                         "empty cell as possibly matching anyone (a wildcard): use "
                         "frequencies(d, KEYS).violations(3)."),
                   Wrong(fr.violations(5), "that is 5-anonymity; the question asks k = 3.")],
            hint="freq.fk holds each record's fk: count the records with fk < 3, e.g. "
                 "(freq.fk < 3).sum()."),
        still_at_risk=Check(
            f"Exercise 4 (second part): records violating {k}-anonymity after suppression",
            frequencies(ls.transform(d), KEYS).violations(k),
            wrong=[Wrong(fr.violations(k),
                         "that is the table before suppression (d). Count in the protected "
                         "table: frequencies(protected, KEYS)."),
                   Wrong(ls.total_suppressions_,
                         "that is the number of cells blanked (exercise 4). The question asks "
                         "how many records are still in a group smaller than 3.")],
            hint="frequencies(protected, KEYS).fk gives each protected record's fk; count those "
                 "below 3 (or use .violations(3))."),
        blanks=Check(
            "Exercise 4: cells blanked by local suppression", ls.total_suppressions_,
            wrong=[Wrong(ls.violations_before_,
                         "that is the number of records at risk before suppression. One "
                         "blank often protects several records: count the cells blanked "
                         "(total_suppressions_)."),
                   Wrong(int(ls.suppressions_.max()), "that is only the key blanked most; "
                                                      "add all keys."),
                   Wrong(ls.violations_after_, "that is the records still at risk after "
                                               "suppression (none).")],
            hint="fit LocalSuppression(KEYS, k=3) and read total_suppressions_."),
        small_cells=Check(
            "Exercise 5: small cells in the published table", small,
            wrong=[Wrong(int((table < k).to_numpy().sum()),
                         "you counted the empty cells (0) too. A 0 names nobody; the risky "
                         "cells are 1 and 2."),
                   Wrong(int((table == 1).to_numpy().sum()), "a cell of 2 is small too: two "
                                                              "people can recognise each "
                                                              "other."),
                   Wrong(int(table[(table > 0) & (table < k)].sum().sum()),
                         "that is the number of people in small cells; the question asks "
                         "how many cells.")],
            hint="cells with a count of 1 or 2: (table > 0) & (table < 3), then sum twice."),
        quiz=Quiz("Questionnaire", [
            Question("You removed names, phones and ID numbers. Is the table anonymous?",
                     {"a": "yes", "b": "not necessarily: sex, age, nationality, places and "
                                         "dates together can single a person out",
                      "c": "yes, if the file has a password"}, "b",
                     {"a": "quasi-identifiers in combination can still point to one "
                           "person.",
                      "c": "a password protects the file, not the people in a shared "
                           "table."}),
            Question("A published table shows 1 Lao woman exploited in Singapore in 2023. "
                     "Who could learn something?",
                     {"a": "nobody", "b": "her family, employer or community, who know "
                                         "she was there",
                      "c": "only the police"}, "b",
                     {"a": "anyone who knows of one Lao woman there learns she was "
                           "identified as a victim.",
                      "c": "anyone who knows her story can recognise her."}),
            Question("What does 3-anonymity mean?",
                     {"a": "every record shares its quasi-identifiers with at least 2 "
                           "others",
                      "b": "3 columns were removed",
                      "c": "3 % of records are at risk"}, "a",
                     {"b": "it is about group sizes, not columns.",
                      "c": "it is a rule about every record, not a percentage."}),
        ]),
    )


# --- what if? -------------------------------------------------------------------------------

#: How much age detail the what-if keeps, from the finest to the coarsest.
AGE_DETAIL = ("year of birth", "5-year band of birth", "10-year band of birth",
              "age band at registration", "child or adult")

#: The details a trainee can pick as keys in the what-if, by their plain name.
WHAT_IF_KEYS = {"sex": "prs_Gender", "age": "age", "citizenship": "prs_Citizenship",
                "country of exploitation": "vic_CountryOfExploitation",
                "year of registration": "registration_year"}

_BANDS = [(0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47)]


def recode_age(d: pd.DataFrame, detail: str) -> pd.Series:
    """The age of each record at the chosen level of detail (text; missing stays missing).

    Parameters
    ----------
    d : pandas.DataFrame
        :func:`with_years` of the extract (``birth_year``, ``registration_year``).
    detail : str
        One of :data:`AGE_DETAIL`.
    """
    if detail not in AGE_DETAIL:
        raise ValueError(f"detail must be one of {AGE_DETAIL}, not {detail!r}")
    born = pd.to_numeric(d["birth_year"], errors="coerce")
    if detail == "year of birth":
        return d["birth_year"]
    if detail in ("5-year band of birth", "10-year band of birth"):
        width = 5 if detail.startswith("5") else 10
        start = born // width * width
        return start.map(lambda y: None if pd.isna(y) else f"{int(y)}-{int(y) + width - 1}")
    age = pd.to_numeric(d["registration_year"], errors="coerce") - born
    if detail == "child or adult":
        return age.map(lambda a: None if pd.isna(a) else ("child" if a < 18 else "adult"))

    def band(a: float) -> str | None:
        if pd.isna(a):
            return None
        for lo, hi in _BANDS:
            if a <= hi:
                return f"{lo}-{hi}"
        return "48+"

    return age.map(band)


def what_if_figures(d: pd.DataFrame, keys: Sequence[str], k: int,
                    age: str = "year of birth") -> dict[str, Any]:
    """The risk of a table for a choice of keys, k and age detail, before and after local
    suppression.

    Parameters
    ----------
    d : pandas.DataFrame
        :func:`with_years` of the extract.
    keys : sequence of str
        Plain names from :data:`WHAT_IF_KEYS` ("sex", "age", ...).
    k : int
        Smallest group size allowed.
    age : str
        Age detail, one of :data:`AGE_DETAIL` (used when ``"age"`` is a key).

    Returns
    -------
    dict
        ``at_risk_before`` / ``at_risk_after`` (people in a group smaller than k),
        ``cells_blanked`` (by local suppression), ``global_risk_before`` /
        ``global_risk_after`` (in %), ``people``.
    """
    unknown = [key for key in keys if key not in WHAT_IF_KEYS]
    if unknown or not keys:
        raise ValueError(f"choose one or more keys from {list(WHAT_IF_KEYS)}")
    columns = [WHAT_IF_KEYS[key] for key in keys]
    table = d.assign(age=recode_age(d, age))[columns]
    before = frequencies(table, columns)
    suppression = LocalSuppression(columns, k=k).fit(table)
    after = frequencies(suppression.transform(table), columns)
    return {"people": len(table),
            "at_risk_before": before.violations(k),
            "at_risk_after": after.violations(k),
            "cells_blanked": suppression.total_suppressions_,
            "global_risk_before": 100 * float(np.mean(1 / before.fk)),
            "global_risk_after": 100 * float(np.mean(1 / after.fk))}


def _figures_html(f: dict[str, Any], k: int) -> str:
    rows = [(f"people in a group smaller than {k}", f"{f['at_risk_before']:,}",
             f"{f['at_risk_after']:,}"),
            ("cells blanked by local suppression", "", f"{f['cells_blanked']:,}"),
            ("global risk (average chance of picking the right record)",
             f"{f['global_risk_before']:.1f} %", f"{f['global_risk_after']:.1f} %")]
    pad = "padding:3px 14px"
    body = "".join(f"<tr><td style='text-align:left;{pad}'>{html.escape(a)}</td>"
                   f"<td style='text-align:right;{pad}'>{b}</td>"
                   f"<td style='text-align:right;{pad}'>{c}</td></tr>" for a, b, c in rows)
    return (f"<table><thead><tr><th></th><th style='{pad}'>as it is</th>"
            f"<th style='{pad}'>after local suppression</th></tr></thead><tbody>{body}</tbody>"
            f"</table><p>Out of {f['people']:,} people.</p>")


class WhatIf:
    """The what-if of lesson 6: controls for k, age detail and keys, and the figures they give.

    Shown in a notebook, it is a small form: each change recomputes the people at risk, the
    cells local suppression blanks and the global risk (:func:`what_if_figures`).

    Parameters
    ----------
    d : pandas.DataFrame
        :func:`with_years` of the extract.
    k : int
        Starting k.
    """

    def __init__(self, d: pd.DataFrame, k: int = 3) -> None:
        import ipywidgets as w

        self.d = d
        self.k = w.IntSlider(value=k, min=2, max=11, description="k (smallest group)",
                             continuous_update=False, style={"description_width": "initial"})
        self.age = w.Dropdown(options=list(AGE_DETAIL), value=AGE_DETAIL[0],
                              description="age detail", style={"description_width": "initial"})
        self.keys = {name: w.Checkbox(value=True, description=name, indent=False)
                     for name in WHAT_IF_KEYS}
        self.result = w.HTML()
        self.figures: dict[str, Any] = {}
        for control in (self.k, self.age, *self.keys.values()):
            control.observe(self._changed, names="value")
        self.widget = w.VBox([
            w.HTML("<b>Keys an outsider might know</b>"),
            w.HBox(list(self.keys.values())),
            w.HBox([self.age, self.k]),
            self.result,
        ])
        self.update()

    def chosen_keys(self) -> list[str]:
        """The plain names of the keys ticked."""
        return [name for name, box in self.keys.items() if box.value]

    def update(self) -> dict[str, Any]:
        """Recompute the figures for the current choices and show them."""
        keys = self.chosen_keys()
        if not keys:
            self.figures = {}
            self.result.value = "<p>Tick at least one key.</p>"
            return self.figures
        self.figures = what_if_figures(self.d, keys, self.k.value, self.age.value)
        self.result.value = _figures_html(self.figures, self.k.value)
        return self.figures

    def _changed(self, _change: Any) -> None:
        self.update()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


def what_if(d: pd.DataFrame, k: int = 3) -> WhatIf:
    """The lesson's what-if form (see :class:`WhatIf`)."""
    return WhatIf(d, k)
