"""Exercise checks for the htwork tutorials (``tutorials/``).

Each lesson computes its expected answers from the data with a module here
(:mod:`htwork.tutor.lesson01`, ...) and checks a learner's answers with :class:`Check`, which
says in plain words whether an answer is right and, if not, what to look at. See
:mod:`htwork.tutor.core` for the two modes (``solutions`` raises on a wrong answer so that the
test suite catches a broken lesson; ``learner`` never raises).
"""

from htwork.tutor.core import (
    Check,
    Question,
    Quiz,
    Result,
    Wrong,
    check_figure,
    check_number,
    check_series,
    check_set,
    check_value,
    is_unanswered,
    mode,
    start,
)
from htwork.tutor.data import data_path

__all__ = [
    "Check",
    "Question",
    "Quiz",
    "Result",
    "Wrong",
    "check_figure",
    "check_number",
    "check_series",
    "check_set",
    "check_value",
    "data_path",
    "is_unanswered",
    "mode",
    "start",
]
