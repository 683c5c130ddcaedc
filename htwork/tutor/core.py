"""Exercise checks: compare a learner's answer with the value a lesson computed from the data.

A :class:`Check` holds the expected value (computed by the lesson from the data, never typed in)
and a list of :class:`Wrong` answers a learner typically gives (also computed: counting rows
instead of people, dividing by all rows instead of those who answered, a Buddhist-Era year not
converted...), each tied to a hint in plain words. Calling the check with an answer returns a
:class:`Result` that Jupyter shows as a coloured box.

Two modes (see :func:`start`):

- ``"solutions"`` (the lessons as stored, run by the test suite): a wrong or missing answer
  raises ``AssertionError``, so a broken lesson or a broken htwork function fails the tests; a
  right answer is confirmed without being shown (the trainer's copy may be projected);
- ``"learner"`` (the default, and the learner copies): nothing raises; an unanswered exercise
  (``...`` or ``None``) shows a hint, a wrong answer shows what to look at.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

__all__ = [
    "Check",
    "Wrong",
    "Result",
    "Question",
    "Quiz",
    "start",
    "mode",
    "is_unanswered",
    "check_number",
    "check_value",
    "check_set",
    "check_series",
    "check_figure",
]

_MODES = ("learner", "solutions")
_state = {"mode": "learner"}


def start(lesson: str | None = None, *, solutions: bool = False) -> None:
    """Begin a lesson: choose the mode of every check that follows.

    It returns nothing, so that the first cell of a lesson shows no stray output; read the
    mode back with :func:`mode`.

    Parameters
    ----------
    lesson : str, optional
        The lesson's number or title (for the reader of the notebook).
    solutions : bool, default False
        True in the stored lessons with worked solutions: a wrong or missing answer raises
        ``AssertionError``. The learner copies say ``solutions=False``.
    """
    _state["mode"] = "solutions" if solutions else "learner"


def mode(value: str | None = None) -> str:
    """Return the current mode; with ``value``, set it first (``"learner"`` or ``"solutions"``)."""
    if value is not None:
        if value not in _MODES:
            raise ValueError(f"mode must be 'learner' or 'solutions', not {value!r}")
        _state["mode"] = value
    return _state["mode"]


def is_unanswered(answer: Any) -> bool:
    """True for the placeholders a learner copy leaves: ``...`` and ``None``."""
    return answer is Ellipsis or answer is None


# --- results --------------------------------------------------------------------------------

_COLOURS = {
    "right": ("#e6f4ea", "#1e7e34", "✔"),
    "wrong": ("#fdecea", "#b02a37", "✘"),
    "unanswered": ("#fff8e1", "#8a6d00", "✎"),
}


@dataclass
class Result:
    """The outcome of one check.

    Attributes
    ----------
    name : str
        The exercise.
    status : {"right", "wrong", "unanswered"}
    message : str
        One sentence for the learner.
    hint : str
        What to look at (empty when right).
    answer : object
        What the learner gave.
    """

    name: str
    status: str
    message: str
    hint: str = ""
    answer: Any = None

    @property
    def ok(self) -> bool:
        return self.status == "right"

    def __bool__(self) -> bool:
        return self.ok

    def text(self) -> str:
        """The result as plain text."""
        out = f"{self.name}: {self.message}"
        if self.hint:
            out += f"\n  Hint: {self.hint}"
        return out

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        bg, fg, mark = _COLOURS[self.status]
        hint = (f"<div style='margin-top:4px'><b>Hint:</b> {html.escape(self.hint)}</div>"
                if self.hint else "")
        return (f"<div style='background:{bg};border-left:6px solid {fg};padding:8px 12px;"
                f"margin:4px 0;color:#222'><b style='color:{fg}'>{mark} "
                f"{html.escape(self.name)}</b>: {html.escape(self.message)}{hint}</div>")


def _finish(result: Result) -> Result:
    if _state["mode"] == "solutions":
        if not result.ok:
            raise AssertionError(result.text())
        # the trainer's copy may be run on a projector: say it is right, not what the answer is
        result.message = "right (the answer is not shown in the trainer's copy). Well done."
    return result


# --- comparing values -----------------------------------------------------------------------


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Number | np.number) and not isinstance(x, bool | np.bool_)


def _scalar(x: Any) -> Any:
    """A one-value Series / array / list as its value; anything else unchanged."""
    if isinstance(x, pd.Series | pd.Index | np.ndarray | list | tuple) and len(x) == 1:
        x = list(x)[0]
    if isinstance(x, np.generic):
        x = x.item()
    return x


def _close(a: Any, b: Any, tol: float) -> bool:
    a, b = _scalar(a), _scalar(b)
    if _is_number(a) and _is_number(b):
        if math.isnan(float(a)) or math.isnan(float(b)):
            return False
        return abs(float(a) - float(b)) <= tol + 1e-9
    if isinstance(a, set | frozenset) or isinstance(b, set | frozenset):
        return set(a) == set(b) if _iterable(a) and _iterable(b) else False
    if isinstance(a, pd.Series) and isinstance(b, pd.Series):
        return _series_close(a, b, tol)
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _iterable(x: Any) -> bool:
    return isinstance(x, Iterable) and not isinstance(x, str | bytes)


def _series_close(a: pd.Series, b: pd.Series, tol: float) -> bool:
    if set(a.index) != set(b.index):
        return False
    b = b.reindex(a.index)
    try:
        return bool(np.all(np.abs(a.astype(float).to_numpy() - b.astype(float).to_numpy())
                           <= tol + 1e-9))
    except (TypeError, ValueError):
        return bool((a == b).all())


def _show(x: Any) -> str:
    """An answer as a learner reads it back: numbers with thousands separators, collections
    item by item (never cut in the middle of a name)."""
    x = _scalar(x)
    if isinstance(x, set | frozenset | list | tuple):
        items = sorted(x, key=str) if isinstance(x, set | frozenset) else list(x)
        shown = ", ".join(_show(i) if not isinstance(i, str) else i for i in items[:12])
        more = f" and {len(items) - 12} more" if len(items) > 12 else ""
        return "{" + shown + more + "}" if isinstance(x, set | frozenset) else shown + more
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        x = int(x)
    if isinstance(x, float):
        return f"{x:,.2f}".rstrip("0").rstrip(".") if abs(x) < 1e15 else repr(x)
    if isinstance(x, int):
        return f"{x:,}" if abs(x) >= 10_000 else str(x)  # no comma in years (1994)
    if isinstance(x, pd.Series | pd.DataFrame):
        return f"a table of {len(x)} rows"
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class Wrong:
    """A typical wrong answer and the hint that goes with it.

    Parameters
    ----------
    value : object or callable
        The wrong value, computed by the lesson from the data the same way a learner would
        reach it (e.g. ``len(df)`` where the question asks for people). A callable is a test:
        ``value(answer) -> bool``.
    hint : str
        What to look at, in plain words ("you counted rows; some people appear twice").
    """

    value: Any
    hint: str

    def matches(self, answer: Any, tol: float) -> bool:
        if callable(self.value):
            try:
                return bool(self.value(answer))
            except Exception:  # a learner's odd answer must never break the check
                return False
        return _close(answer, self.value, tol)


@dataclass
class Check:
    """One exercise: an expected value, typical wrong answers, a general hint.

    Parameters
    ----------
    name : str
        Shown in the result, e.g. ``"Exercise 2: women in the extract"``.
    expected : object
        The right answer, computed by the lesson from the data.
    wrong : sequence of Wrong or (value, hint) pairs
        Typical wrong answers, each with its hint. A wrong value equal to the expected one
        (possible on some data) is ignored.
    hint : str
        Shown for an unanswered exercise and for a wrong answer that none of ``wrong`` explains.
    tolerance : float, default 0
        Numbers within this distance of the expected value count as right (e.g. 0.1 for a
        percentage rounded to one decimal).
    compare : callable, optional
        ``compare(answer, expected) -> bool`` instead of the default comparison.
    kind : str, optional
        What the answer should be ("number", "text", "set", "table"); used to explain an
        answer of the wrong type.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"person": ["a", "a", "b"]})
    >>> people = Check("people", df["person"].nunique(),
    ...                wrong=[(len(df), "you counted rows; some people appear twice")])
    >>> people(2).ok
    True
    >>> people(3).hint
    'you counted rows; some people appear twice'
    """

    name: str
    expected: Any
    wrong: Sequence[Wrong | tuple[Any, str]] = field(default_factory=list)
    hint: str = ""
    tolerance: float = 0.0
    compare: Callable[[Any, Any], bool] | None = None
    kind: str | None = None

    def __post_init__(self) -> None:
        self.wrong = [w if isinstance(w, Wrong) else Wrong(*w) for w in self.wrong]
        if self.kind is None:
            e = _scalar(self.expected)
            self.kind = ("number" if _is_number(e) else "text" if isinstance(e, str)
                         else "set" if isinstance(e, set | frozenset)
                         else "table" if isinstance(e, pd.Series) else None)

    def is_right(self, answer: Any) -> bool:
        if self.compare is not None:
            try:
                return bool(self.compare(answer, self.expected))
            except Exception:
                return False
        return _close(answer, self.expected, self.tolerance)

    def diagnose(self, answer: Any) -> Result:
        """The result without raising, whatever the mode."""
        if is_unanswered(answer):
            return Result(self.name, "unanswered", "not answered yet.",
                          self.hint or "replace ... with your answer and run the cell again.",
                          answer)
        if self.is_right(answer):
            return Result(self.name, "right", f"right, {_show(answer)}. Well done.", "",
                          answer)
        for w in cast(list[Wrong], self.wrong):  # __post_init__ made every item a Wrong
            if not callable(w.value) and self.is_right(w.value):
                continue
            if w.matches(answer, self.tolerance):
                return Result(self.name, "wrong", f"not quite: you gave {_show(answer)}.",
                              w.hint, answer)
        return Result(self.name, "wrong", f"not quite: you gave {_show(answer)}.",
                      self._type_hint(answer) or self.hint or "look at the question again.",
                      answer)

    def _type_hint(self, answer: Any) -> str:
        a = _scalar(answer)
        if self.kind == "number":
            if isinstance(a, str):
                return "give a number, not text: remove the quotes."
            if isinstance(a, pd.Series | pd.DataFrame):
                return ("you gave a table; the answer is one number (try len(...), .sum() "
                        "or .mean()).")
        if self.kind == "text" and _is_number(a):
            return "give the code as text, in quotes, e.g. 'TH'."
        if self.kind == "text" and isinstance(a, str) and isinstance(self.expected, str):
            if a.strip().casefold() == self.expected.casefold():
                return "almost: codes are exact, capital letters and spaces included."
        return ""

    def __call__(self, answer: Any) -> Result:
        """Check ``answer``; raises ``AssertionError`` if wrong in ``"solutions"`` mode."""
        return _finish(self.diagnose(answer))

    check = __call__


# --- shortcuts ------------------------------------------------------------------------------


def check_number(answer: Any, expected: float, *, name: str = "Exercise",
                 wrong: Sequence[Wrong | tuple[Any, str]] = (), hint: str = "",
                 tolerance: float = 0.0, percent: bool = False) -> Result:
    """Check a number. With ``percent=True`` also catch a proportion (0.42 for 42 %).

    Examples
    --------
    >>> check_number(42.0, 42.04, tolerance=0.1, percent=True).ok
    True
    >>> check_number(0.42, 42.04, tolerance=0.1, percent=True).hint
    'you gave a proportion (between 0 and 1); multiply by 100 for a percentage.'
    """
    wrong = list(wrong)
    if percent:
        wrong.append(Wrong(lambda a, e=expected: _is_number(_scalar(a))
                           and abs(_scalar(a) * 100 - e) <= max(tolerance, 0.05) * 10 + 1e-9
                           and abs(_scalar(a)) <= 1,
                           "you gave a proportion (between 0 and 1); multiply by 100 for a "
                           "percentage."))
    return Check(name, expected, wrong, hint, tolerance, kind="number")(answer)


def check_value(answer: Any, expected: Any, *, name: str = "Exercise",
                wrong: Sequence[Wrong | tuple[Any, str]] = (), hint: str = "") -> Result:
    """Check a value compared with ``==`` (a code, a name, a yes/no)."""
    return Check(name, expected, wrong, hint)(answer)


def check_set(answer: Any, expected: Iterable[Any], *, name: str = "Exercise",
              wrong: Sequence[Wrong | tuple[Any, str]] = (), hint: str = "") -> Result:
    """Check a collection whose order does not matter; explains what is missing or extra."""
    exp = set(expected)
    c = Check(name, exp, wrong, hint, kind="set",
              compare=lambda a, e: _iterable(a) and set(a) == e)
    r = c.diagnose(answer)
    explained = any(w.matches(answer, 0) for w in cast(list[Wrong], c.wrong))
    if r.status == "wrong" and not explained and _iterable(answer):
        got = set(answer)
        missing, extra = sorted(map(str, exp - got)), sorted(map(str, got - exp))
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing")
        if extra:
            parts.append(f"{len(extra)} that should not be there (e.g. {extra[0]})")
        r.hint = (hint + " " if hint else "") + "Your answer has " + " and ".join(parts) + "."
    return _finish(r)


def check_series(answer: Any, expected: pd.Series, *, name: str = "Exercise",
                 wrong: Sequence[Wrong | tuple[Any, str]] = (), hint: str = "",
                 tolerance: float = 0.0) -> Result:
    """Check a table of counts or percentages by category (order does not matter)."""
    def compare(a: Any, e: pd.Series) -> bool:
        return isinstance(a, pd.Series) and _series_close(a, e, tolerance)

    return Check(name, expected, wrong, hint, tolerance, compare=compare, kind="table")(answer)


def check_figure(answer: Any, *, name: str = "Figure", kind: str | None = None) -> Result:
    """Check that a matplotlib figure or axes has a title and labelled axes.

    ``kind="bar"`` or ``"line"`` also checks that the axes hold bars or lines.
    """
    if is_unanswered(answer):
        return _finish(Result(name, "unanswered", "no figure yet.",
                              "make the chart and put its axes (ax) in the answer.", answer))
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    axes = answer.axes if isinstance(answer, Figure) else [answer]
    axes = [a for a in axes if isinstance(a, Axes)]
    if not axes:
        return _finish(Result(name, "wrong", "this is not a matplotlib figure or axes.",
                              "give the ax from fig, ax = plt.subplots().", answer))
    ax = axes[0]
    title = ax.get_title() or ax.figure.get_suptitle()
    missing = [what for what, text in (("a title", title), ("a label on the x axis",
                                                             ax.get_xlabel()),
                                       ("a label on the y axis", ax.get_ylabel()))
               if not text.strip()]
    if kind == "bar" and not ax.patches:
        missing.append("bars (use ax.bar or ax.barh)")
    if kind == "line" and not ax.lines:
        missing.append("a line (use ax.plot)")
    if missing:
        return _finish(Result(name, "wrong", "the figure is not finished.",
                              "it needs " + ", ".join(missing) + ": a reader must know what "
                              "is shown without asking you.", answer))
    return _finish(Result(name, "right", "the figure has a title and labelled axes.", "",
                          answer))


# --- questionnaires -------------------------------------------------------------------------


@dataclass
class Question:
    """A multiple-choice question.

    Parameters
    ----------
    text : str
    options : mapping of letter -> option text
    answer : str
        The right letter.
    why : mapping of letter -> explanation, optional
        Why a wrong option is wrong (the hint shown for it), and why the right one is right.
    """

    text: str
    options: Mapping[str, str]
    answer: str
    why: Mapping[str, str] = field(default_factory=dict)


class Quiz:
    """A short questionnaire at the end of a lesson; answers given as ``{1: "b", 2: "a"}``.

    Examples
    --------
    >>> q = Quiz("Quiz", [Question("2 + 2?", {"a": "3", "b": "4"}, "b", {"a": "count again"})])
    >>> q({1: "b"}).ok
    True
    >>> q({1: "a"}).hint
    'Question 1: count again'
    """

    def __init__(self, name: str, questions: Sequence[Question]) -> None:
        self.name = name
        self.questions = list(questions)

    def diagnose(self, answers: Any) -> Result:
        n = len(self.questions)
        if is_unanswered(answers) or (isinstance(answers, Mapping)
                                      and all(is_unanswered(v) for v in answers.values())):
            return Result(self.name, "unanswered", "not answered yet.",
                          f"give your {n} answers as letters, e.g. {{1: 'a', 2: 'c'}}.", answers)
        if not isinstance(answers, Mapping):
            if _iterable(answers):
                answers = dict(enumerate(answers, start=1))
            else:
                return Result(self.name, "wrong", "answers must be given per question.",
                              "write them as {1: 'a', 2: 'c', ...}.", answers)
        hints, right, blank = [], 0, 0
        for i, q in enumerate(self.questions, start=1):
            given = answers.get(i)
            if is_unanswered(given):
                blank += 1
                hints.append(f"Question {i}: not answered.")
                continue
            letter = str(given).strip().lower().rstrip(")")
            if letter == q.answer:
                right += 1
            elif letter not in q.options:
                hints.append(f"Question {i}: choose one of {', '.join(q.options)}.")
            else:
                hints.append(f"Question {i}: " + q.why.get(letter, "read that part of the "
                                                           "lesson again."))
        if right == n:
            return Result(self.name, "right", f"all {n} answers right. Well done.", "", answers)
        status = "unanswered" if blank == n else "wrong"
        return Result(self.name, status, f"{right} of {n} right.", " ".join(hints), answers)

    def __call__(self, answers: Any) -> Result:
        return _finish(self.diagnose(answers))

    check = __call__

    def _repr_html_(self) -> str:
        parts = [f"<b>{html.escape(self.name)}</b><ol>"]
        for q in self.questions:
            opts = "".join(f"<li>{html.escape(k)}) {html.escape(v)}</li>"
                           for k, v in q.options.items())
            parts.append(f"<li>{html.escape(q.text)}<ul style='list-style:none'>{opts}</ul></li>")
        return "".join(parts) + "</ol>"

    def __repr__(self) -> str:
        lines = [self.name]
        for i, q in enumerate(self.questions, start=1):
            lines.append(f"{i}. {q.text}")
            lines += [f"   {k}) {v}" for k, v in q.options.items()]
        return "\n".join(lines)
