"""Lesson 8, how many are we missing: Lincoln-Petersen by hand, dependence between lists, then
multiple systems estimation on several lists with htwork.prevalence."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace

from htwork.prevalence import CaptureTable, MSEResult, estimate, lincoln_petersen
from htwork.tutor.core import Check, Question, Quiz, Wrong

#: The UK 2013 lists (Silverman 2014), by their short names in ``datasets/mse/uk_2013.csv``.
UK_LISTS = {"LA": "local authorities", "NG": "NGOs",
            "PFNCA": "police and the National Crime Agency", "GO": "government organisations",
            "GP": "the general public"}


@dataclass
class InWords:
    """An estimate of :mod:`htwork.prevalence` told in plain words (see :func:`in_words`).

    Attributes
    ----------
    rows : list of (str, str)
        What each line says, and its value.
    notes : list of str
        Warnings a reader must know, in plain words.
    """

    rows: list[tuple[str, str]]
    notes: list[str]

    def __repr__(self) -> str:
        width = max(len(a) for a, _ in self.rows)
        lines = [f"{a:<{width}}  {b}" for a, b in self.rows]
        return "\n".join(lines + [f"Note: {n}" for n in self.notes])

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(a)}</th>"
                       f"<td style='text-align:left'>{html.escape(b)}</td></tr>"
                       for a, b in self.rows)
        notes = "".join(f"<p><b>Note:</b> {html.escape(n)}</p>" for n in self.notes)
        return f"<table>{body}</table>{notes}"


def in_words(result: MSEResult, table: CaptureTable | None = None,
             names: Mapping[str, str] | None = None) -> InWords:
    """A prevalence estimate in plain words, for people who are not statisticians.

    Parameters
    ----------
    result : MSEResult
        From :func:`htwork.prevalence.estimate` or :func:`lincoln_petersen`.
    table : CaptureTable, optional
        The lists it was made from (to explain pairs of lists with nobody in common).
    names : mapping, optional
        A readable name for each list's short name (e.g. :data:`UK_LISTS`).

    Returns
    -------
    InWords
        Shown as a small table in a notebook.
    """
    names = dict(names or {})

    def name(short: str) -> str:
        return names.get(short, short)

    pct = f"{result.level:.0%}"
    rows = [("estimate: people in all, found or not", f"{result.estimate:,.0f}"),
            ("found by at least one list", f"{result.observed:,}"),
            ("missed by every list (estimate)", f"{result.dark:,.0f}"),
            (f"{pct} interval: the true number is probably between",
             f"{result.ci_low:,.0f} and {result.ci_high:,.0f}")]
    notes: list[str] = []
    kind = result.interval_kind.lower()
    if "assumes independent lists" in kind:
        rows.append(("assumption", "the lists are independent: being on one does not change "
                                   "the chance of being on the other"))
    else:
        together = [" & ".join(name(x) for x in term.split(":")) for term in result.model]
        rows.append(("lists the model lets work together",
                     "; ".join(together) if together else
                     "none: every pair of lists is taken to be independent"))
    if "ignores model selection" in kind:
        notes.append("the interval allows for chance, but not for the choice of model: the "
                     "real uncertainty is larger. Another model can give quite another "
                     "number (see the chart below).")
    if table is not None:
        for a, b in table.non_overlapping_pairs():
            notes.append(f"{name(a)} and {name(b)} have nobody in common. htwork handles "
                         "this, but the estimate then leans more on the other lists.")
    return InWords(rows, notes)


def _word(answer) -> str | None:
    if not isinstance(answer, str):
        return None
    text = answer.strip().lower()
    for word in ("low", "high"):
        if word in text:
            return word
    return text


def two_lists(two: CaptureTable) -> SimpleNamespace:
    """Checks ``lincoln_petersen`` and ``missing`` for two independent lists."""
    n1, n2, m = two.margin([0]), two.margin([1]), two.margin([0, 1])
    lp = lincoln_petersen(two).estimate
    observed = two.observed
    return SimpleNamespace(
        lincoln_petersen=Check(
            "Exercise 1: Lincoln-Petersen estimate", lp, tolerance=1.0,
            wrong=[Wrong(n1 + n2, "you added the lists: people on both are counted twice, and "
                                  "people on neither are left out."),
                   Wrong(observed, "that is the number of people seen on at least one list. "
                                   "The estimate adds those no list saw: n1 × n2 / m."),
                   Wrong(m / (n1 * n2), "upside down: n1 × n2 / m."),
                   Wrong(n1 * n2, "divide by m, the number of people on both lists.")],
            hint="N = n1 × n2 / m: (police list) × (NGO list) / (people on both)."),
        missing=Check(
            "Exercise 2: people on neither list (estimated)", lp - observed, tolerance=1.0,
            wrong=[Wrong(lp, "that is everyone, seen or not. Subtract the people seen on at "
                             "least one list."),
                   Wrong(lp - n1 - n2, "you subtracted both lists, so people on both were "
                                       "subtracted twice. Subtract n1 + n2 - m."),
                   Wrong(observed, "that is the people seen.")],
            hint="estimate minus the people seen on at least one list (n1 + n2 - m)."),
    )


def dependence(dependent: CaptureTable, true_size: int) -> SimpleNamespace:
    """Check ``bias``: two dependent lists of a population of known (simulated) size."""
    dep = lincoln_petersen(dependent).estimate
    side = "low" if dep < true_size else "high"
    other = "high" if side == "low" else "low"
    return SimpleNamespace(
        bias=Check(
            "Exercise 3: too low or too high?", side,
            compare=lambda a, e: _word(a) == e,
            wrong=[Wrong(lambda a: _word(a) == other,
                         f"compare the estimate ({dep:,.0f}) with the true size "
                         f"({true_size:,}): which is bigger?"),
                   Wrong(lambda a: not isinstance(a, str),
                         "answer with the word 'low' or 'high', in quotes.")],
            hint="the estimate is 'low' if it is smaller than the true size, else 'high'.",
            kind="text"),
    )


def several_lists(uk: CaptureTable) -> SimpleNamespace:
    """Checks ``ratio`` (stepwise estimate per person observed) and the ``quiz``."""
    fit = estimate(uk, "stepwise")
    ratio = fit.estimate / uk.observed
    return SimpleNamespace(
        ratio=Check(
            "Exercise 4: people in total per person identified", ratio, tolerance=0.05,
            wrong=[Wrong(1 / ratio, "upside down: divide the estimate by the people "
                                    "observed."),
                   Wrong(fit.estimate / int(uk.list_totals().sum()),
                         "you divided by the sum of the list totals, which counts people on "
                         "several lists several times. Use the people observed "
                         "(uk.observed)."),
                   Wrong(estimate(uk, "main").estimate / uk.observed,
                         "that uses the main-effects model (independent lists). Use the "
                         "stepwise estimate, which allows for lists that work together.")],
            hint="the stepwise estimate divided by uk.observed."),
        quiz=Quiz("Questionnaire", [
            Question("Police found 200 people, an NGO 300, and 60 were on both lists. What "
                     "is the Lincoln-Petersen estimate?",
                     {"a": "500", "b": "440", "c": "1,000"}, "c",
                     {"a": "500 adds the lists: people on both are counted twice.",
                      "b": "440 is the people seen (200 + 300 - 60); the estimate is "
                           "200 × 300 / 60."}),
            Question("Before counting people on both lists, what must you do?",
                     {"a": "link the records, so that the same person is matched across "
                           "lists",
                      "b": "delete the people on both lists",
                      "c": "nothing"}, "a",
                     {"b": "the overlap is the key number: never delete it.",
                      "c": "unmatched duplicates make the overlap look too small and the "
                           "estimate too high (lesson 3)."}),
            Question("The NGO sends everyone it finds to the police. What happens to a "
                     "two-list estimate?",
                     {"a": "it is too low: the overlap is large because of the referrals, "
                           "not because few people are missing",
                      "b": "it is too high",
                      "c": "nothing changes"}, "a",
                     {"b": "referrals make the overlap bigger, and a bigger overlap makes "
                           "the estimate smaller.",
                      "c": "the method assumes independent lists; referrals break that."}),
        ]),
    )
