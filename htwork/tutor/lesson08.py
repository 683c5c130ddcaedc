"""Lesson 8, how many are we missing: Lincoln-Petersen by hand, dependence between lists, then
multiple systems estimation on several lists with htwork.prevalence."""

from __future__ import annotations

from types import SimpleNamespace

from htwork.prevalence import CaptureTable, estimate, lincoln_petersen
from htwork.tutor.core import Check, Question, Quiz, Wrong


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
