"""Find direct identifiers (names, phones, e-mails, ID numbers, addresses) in any table.

Which columns identify a person is knowledge about the data, so it lives beside the standards:
:mod:`htwork.anonymise` drops what this finds (:class:`htwork.anonymise.DropIdentifiers`) and
:func:`htwork.standards.profile` uses it to give a new table its roles.

Three kinds of evidence, weighed per column (``_finding``: gather the evidence, then decide by
schema, by header, or by values, each a small function):

1. the schema: a column of the input standard carries ``htwork:role`` (one of
   :data:`htwork.standards.ROLES`, asked of :mod:`htwork.standards`); when the table is in the
   standard that role decides, except that identifier-looking *values* in a column that should
   not hold any (a phone number typed into the city column) are still reported;
2. the header, in English, Thai, Khmer, Myanmar, Lao, Malay/Indonesian, Vietnamese and Filipino
   (``name``/``ชื่อ``/``ឈ្មោះ``/``nama``/``tên``, ``phone``/``โทร``/``ទូរស័ព្ទ``, ...), unless the
   header is about an organisation, a place, a type or a date (``ชื่อหน่วยงาน``, "ID type");
3. the values: the share that looks like an e-mail, a phone number (ASEAN national or E.164
   formats), a Thai national ID with a valid check digit, a Myanmar NRC, a passport number, a
   long document number, a street address, a personal name (short, letters only, nearly all
   different) or free text.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from htwork.core.results import Result
from htwork.errors import InputError
from htwork.standards import patterns as P
from htwork.standards.table_roles import SchemaLike, schema_roles

__all__ = ["CASE_NUMBERS", "ColumnFinding", "IdentifierReport", "detect_identifiers",
           "identifying_columns"]

#: Input-standard columns that number the agency's own case files (a case, a group of people
#: found together): not a person's identifier, but they lead back to the file, so they leave
#: with the identifiers (and the release's leak scan searches for them).
CASE_NUMBERS = ("cas_CaseId", "cas_GroupId")

#: the most values examined per column (a fixed sample beyond that)
SAMPLE_SIZE = 2000
_STRONG = ("email", "phone", "passport", "id_number")


@dataclass
class ColumnFinding:
    """What :func:`detect_identifiers` found about one column.

    Attributes
    ----------
    column : str
        The column.
    detected : bool
        Whether the column should be treated as a direct identifier or free text.
    role : str or None
        ``"direct_identifier"``, ``"free_text"`` or ``None``.
    kind : str or None
        ``name``, ``phone``, ``email``, ``id_number``, ``passport``, ``address``,
        ``online_account``, ``free_text``, or ``direct_identifier`` (the schema says so, nothing
        more specific is known).
    confidence : str
        ``schema`` (the schema's role), ``high`` (header and values agree, or values alone are
        unmistakable), ``medium`` (header alone, or weaker value patterns), ``low`` (a hint,
        not acted on) or ``none``.
    share : float or None
        Share of the non-missing values that match the pattern of ``kind``.
    n_values : int
        Non-missing values in the column.
    evidence : list of str
        The reasons, in words.
    """

    column: str
    detected: bool
    role: str | None
    kind: str | None
    confidence: str
    share: float | None
    n_values: int
    evidence: list[str] = field(default_factory=list)


class IdentifierReport(Result):
    """Per-column findings of :func:`detect_identifiers`.

    Attributes
    ----------
    findings : list of ColumnFinding
        One per column, in the table's order.
    """

    def __init__(self, findings: Sequence[ColumnFinding]) -> None:
        self.findings = list(findings)

    # -- the answer -------------------------------------------------------------------------
    @property
    def identifiers(self) -> list[str]:
        """Columns detected as direct identifiers."""
        return [f.column for f in self.findings if f.detected and f.role == "direct_identifier"]

    @property
    def free_text(self) -> list[str]:
        """Columns detected as free text (case notes)."""
        return [f.column for f in self.findings if f.detected and f.role == "free_text"]

    @property
    def columns(self) -> list[str]:
        """Direct identifiers and free-text columns together, in the table's order."""
        return [f.column for f in self.findings if f.detected]

    def of_kind(self, *kinds: str) -> list[str]:
        """Detected columns of the given kinds (e.g. ``report.of_kind("name")``)."""
        return [f.column for f in self.findings if f.detected and f.kind in kinds]

    def __getitem__(self, column: str) -> ColumnFinding:
        for f in self.findings:
            if f.column == column:
                return f
        raise KeyError(column)

    # -- views ------------------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """One row per column: detected, role, kind, confidence, share, n_values, evidence."""
        rows = [asdict(f) | {"evidence": "; ".join(f.evidence)} for f in self.findings]
        cols = ["column", "detected", "role", "kind", "confidence", "share", "n_values", "evidence"]
        return pd.DataFrame(rows, columns=cols)

    def _data(self) -> dict[str, Any]:
        """Plain data: ``identifiers``, ``free_text`` and per-column ``findings``."""
        return {
            "identifiers": self.identifiers,
            "free_text": self.free_text,
            "findings": [asdict(f) for f in self.findings],
        }

    def summary(self) -> str:
        """A few lines for people."""
        ids, texts = self.identifiers, self.free_text
        lines = [
            f"{len(ids)} direct identifier column(s) and {len(texts)} free-text column(s) "
            f"among {len(self.findings)} columns."
        ]
        for f in self.findings:
            if f.detected:
                share = "" if f.share is None else f", {f.share:.0%} of values match"
                lines.append(
                    f"  {f.column}: {f.kind} ({f.confidence}{share}) - {'; '.join(f.evidence)}"
                )
        hints = [f for f in self.findings if not f.detected and f.confidence == "low"]
        for f in hints:
            lines.append(f"  (not acted on) {f.column}: {'; '.join(f.evidence)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"IdentifierReport(identifiers={self.identifiers!r}, free_text={self.free_text!r})"
        )

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th>{h}</th>" for h in ("column", "kind", "confidence", "share", "evidence")
        )
        body = []
        for f in self.findings:
            if not (f.detected or f.confidence == "low"):
                continue
            share = "" if f.share is None else f"{f.share:.0%}"
            style = "" if f.detected else " style='color:#777'"
            body.append(
                f"<tr{style}><td>{html.escape(f.column)}</td><td>{html.escape(str(f.kind))}</td>"
                f"<td>{f.confidence}</td><td>{share}</td>"
                f"<td>{html.escape('; '.join(f.evidence))}</td></tr>"
            )
        return (
            f"<p><b>Direct identifiers:</b> {len(self.identifiers)} column(s); "
            f"<b>free text:</b> {len(self.free_text)} column(s).</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )


# ------------------------------------------------------------------------------------------
# values


def as_text(series: pd.Series) -> pd.Series:
    """Non-missing, non-blank values as strings; integral floats lose their ``.0``."""
    s = series.dropna()
    if s.dtype == object:
        s = s[s.map(lambda v: not (isinstance(v, str) and not v.strip()))]
    if s.empty:
        return s.astype(object)
    if pd.api.types.is_float_dtype(s.dtype):
        integral = (s % 1 == 0).all()
        return s.map(lambda v: str(int(v)) if integral else str(v))
    if pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(str)

    def one(v: object) -> str:
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return s.map(one)


def _looks_like_name(value: str) -> bool:
    text = value.strip()
    if not text or len(text) > 40 or "@" in text:
        return False
    if any(ch.isdigit() for ch in text):
        return False
    tokens = text.split()
    return 1 <= len(tokens) <= 4 and any(ch.isalpha() for ch in text)


_CHECKS: dict[str, Callable[[str], bool]] = {
    "email": P.is_email,
    "phone": lambda v: P.is_phone(v, lenient=True),
    "passport": P.is_passport_like,
    "id_number": lambda v: (
        P.is_thai_id(v) or P.is_nrc(v) or P.is_id_number(v) or P.is_passport_like(v)
    ),
    "address": P.is_address,
    "name": _looks_like_name,
}


def _content(values: pd.Series) -> dict[str, float]:
    """Share of values matching each pattern, plus helper figures."""
    n = len(values)
    out: dict[str, float] = {}
    if n == 0:
        return out
    uniq = values.drop_duplicates()
    counts = values.value_counts()
    lens = uniq.str.len()
    short = uniq[lens <= 64]  # no identifier pattern fits a longer value
    for kind, check in _CHECKS.items():
        pool = uniq[lens <= 200] if kind == "address" else short
        hit = pool[pool.map(check)]
        out[kind] = float(counts.reindex(hit).sum()) / n
    out["thai_id"] = float(counts.reindex(short[short.map(P.is_thai_id)]).sum()) / n
    out["nrc"] = float(counts.reindex(short[short.map(P.is_nrc)]).sum()) / n
    lengths = values.str.len()
    out["mean_length"] = float(lengths.mean())
    out["mean_tokens"] = float(values.str.split().str.len().mean())
    out["distinct"] = float(len(uniq)) / n
    out["n_distinct"] = float(len(uniq))
    return out


def _best_strong(shares: dict[str, float]) -> tuple[str | None, float]:
    # priority order, not the largest share: a phone number is also a long number
    for kind in _STRONG:
        if shares.get(kind, 0.0) >= 0.5:
            return kind, shares[kind]
    best = max(_STRONG, key=lambda k: shares.get(k, 0.0))
    return (best, shares.get(best, 0.0)) if shares.get(best, 0.0) > 0 else (None, 0.0)


def _is_free_text(shares: dict[str, float]) -> bool:
    return bool(shares) and (
        (shares["mean_length"] >= 40 and shares["mean_tokens"] >= 5)
        or shares["mean_length"] >= 80
    )


def _share_words(shares: dict[str, float], kind: str) -> str:
    words = {
        "email": "e-mail addresses",
        "phone": "phone numbers",
        "passport": "passport-like numbers",
        "id_number": "ID numbers",
        "address": "street addresses",
        "name": "short letter-only values (name-like)",
    }
    text = f"{shares.get(kind, 0.0):.0%} of values look like {words.get(kind, kind)}"
    if kind == "id_number" and shares.get("thai_id", 0) > 0:
        text += f" ({shares['thai_id']:.0%} valid Thai national IDs)"
    if kind == "id_number" and shares.get("nrc", 0) > 0:
        text += f" ({shares['nrc']:.0%} Myanmar NRC numbers)"
    return text


@dataclass(frozen=True)
class _Evidence:
    """What a column's header and values say, before any decision."""

    column: str
    n: int                          # non-missing values (estimated when sampled)
    shares: dict[str, float]        # see _content
    hkind: str | None               # what the header names (P.header_kind)
    keyword: str | None
    excluded: bool                  # the header names an organisation, place, type or date
    ckind: str | None               # the strongest value pattern (_best_strong)
    cshare: float

    @property
    def header_note(self) -> str | None:
        if self.hkind is None:
            return None
        return f"header contains {self.keyword!r} ({self.hkind.replace('_', ' ')})"

    @property
    def header_identifier(self) -> bool:
        """The header names an identifier kind (whether or not it is excluded)."""
        return self.hkind in P.IDENTIFIER_KINDS

    @property
    def free_text_values(self) -> bool:
        return bool(self.shares) and _is_free_text(self.shares)

    def strong(self, at_least: float) -> str | None:
        """The strong identifier pattern the values match at least this often, if any."""
        return self.ckind if self.ckind and self.cshare >= at_least else None

    def words(self, kind: str) -> str:
        return _share_words(self.shares, kind)


@dataclass(frozen=True)
class _Verdict:
    """A decision about one column and the reasons for it."""

    detected: bool
    role: str | None
    kind: str | None
    confidence: str
    evidence: list[str] = field(default_factory=list)


def _sample(series: pd.Series) -> tuple[pd.Series, int]:
    """The values to examine (a fixed sample of :data:`SAMPLE_SIZE` beyond that) and the number
    of non-missing values they stand for."""
    present = series.dropna()
    if len(present) > SAMPLE_SIZE:  # a fixed sample, not a million values
        sample = as_text(present.sample(SAMPLE_SIZE, random_state=0))
        return sample, int(round(len(present) * len(sample) / SAMPLE_SIZE))  # blanks discounted
    sample = as_text(present)
    return sample, len(sample)


def _gather(column: str, series: pd.Series) -> _Evidence:
    sample, n = _sample(series)
    shares = _content(sample.astype(str))
    hkind, keyword, excluded = P.header_kind(column)
    ckind, cshare = _best_strong(shares)
    return _Evidence(column, n, shares, hkind, keyword, excluded, ckind, cshare)


def _schema_identifier(ev: _Evidence) -> _Verdict:
    """1a. The schema says direct identifier: the header or the values may say which kind."""
    evidence = ["schema role direct_identifier"]
    kind = ev.hkind if ev.header_identifier and not ev.excluded else None
    kind = kind or ev.strong(0.5)
    if ev.header_note and kind == ev.hkind:
        evidence.append(ev.header_note)
    if kind in _CHECKS and ev.shares.get(kind, 0.0) > 0:
        evidence.append(ev.words(kind))
    return _Verdict(True, "direct_identifier", kind or "direct_identifier", "schema", evidence)


def _by_schema(ev: _Evidence, role: str) -> _Verdict:
    """1. The schema decides when the column is in it; identifier-looking values in a column
    that should hold none are still reported."""
    if role == "direct_identifier":
        return _schema_identifier(ev)
    if role == "free_text":
        return _Verdict(True, "free_text", "free_text", "schema", ["schema role free_text"])
    if ckind := ev.strong(0.2):
        return _Verdict(True, "direct_identifier", ckind, "high", [
            f"schema role is {role}, but {ev.words(ckind)}: identifiers typed into the "
            "wrong column?"])
    return _Verdict(False, None, None, "none")


def _by_free_text_header(ev: _Evidence) -> _Verdict:
    """2a. A header naming free text (notes, description)."""
    evidence = [ev.header_note or ""]
    if ev.free_text_values:
        evidence.append(f"values average {ev.shares['mean_length']:.0f} characters")
    return _Verdict(True, "free_text", "free_text", "high" if ev.free_text_values else "medium",
                    evidence)


def _by_identifier_header(ev: _Evidence) -> _Verdict:
    """2b. A header naming an identifier kind: the values confirm it, or show codes."""
    evidence = [ev.header_note or ""]
    if ev.hkind in _CHECKS and ev.shares.get(ev.hkind, 0.0) >= 0.5:
        return _Verdict(True, "direct_identifier", ev.hkind, "high",
                        [*evidence, ev.words(ev.hkind)])
    if ckind := ev.strong(0.5):
        return _Verdict(True, "direct_identifier", ev.hkind, "high",
                        [*evidence, ev.words(ckind)])
    s = ev.shares
    few = s and s["n_distinct"] >= 1 and ev.n >= 20 and s["distinct"] < 0.05
    if ev.hkind in ("id_number", "name") and few:
        return _Verdict(False, None, ev.hkind, "low", [
            *evidence, f"but only {int(s['n_distinct'])} distinct values in {ev.n}: codes, "
            "not identifiers?"])
    return _Verdict(True, "direct_identifier", ev.hkind, "medium", evidence)


def _looks_like_names(s: dict[str, float]) -> bool:
    return s.get("name", 0.0) >= 0.8 and s["distinct"] >= 0.5 and s["n_distinct"] >= 10


def _by_values(ev: _Evidence) -> _Verdict:
    """3. The values alone (the header names nothing, or an organisation, place, type or date):
    strong patterns, free text, addresses, personal names; weaker hints are not acted on."""
    evidence = []
    if ev.header_identifier and ev.excluded:
        evidence.append(f"{ev.header_note}, but the header names an organisation, place, type "
                        "or date")
    if ckind := ev.strong(0.5):
        return _Verdict(True, "direct_identifier", ckind, "high", [*evidence, ev.words(ckind)])
    if ev.free_text_values:
        return _Verdict(True, "free_text", "free_text", "medium", [
            *evidence, f"values average {ev.shares['mean_length']:.0f} characters and "
            f"{ev.shares['mean_tokens']:.0f} words"])
    if not ev.excluded and ev.shares.get("address", 0.0) >= 0.5:
        return _Verdict(True, "direct_identifier", "address", "medium",
                        [*evidence, ev.words("address")])
    if not ev.excluded and _looks_like_names(ev.shares):
        return _Verdict(True, "direct_identifier", "name", "medium", [
            *evidence, ev.words("name") + f", {ev.shares['distinct']:.0%} of them different"])
    return _hint(ev, evidence)


def _hint(ev: _Evidence, evidence: list[str]) -> _Verdict:
    """3b. Nothing acted on: a weak value pattern or an excluded header is shown as a hint."""
    if ckind := ev.strong(0.1):
        return _Verdict(False, None, ckind, "low", [*evidence, ev.words(ckind)])
    if evidence:
        return _Verdict(False, None, ev.hkind, "low", evidence)
    return _Verdict(False, None, None, "none")


def _decide(ev: _Evidence, role: str | None) -> _Verdict:
    if role is not None:
        return _by_schema(ev, role)
    if ev.hkind == "free_text" and not ev.excluded:
        return _by_free_text_header(ev)
    if ev.header_identifier and not ev.excluded:
        return _by_identifier_header(ev)
    return _by_values(ev)


def _finding(column: str, series: pd.Series, role: str | None) -> ColumnFinding:
    """Weigh the schema's role, the header and the values of one column."""
    ev = _gather(column, series)
    v = _decide(ev, role)
    share = None
    if v.kind in _CHECKS and ev.shares:
        share = round(ev.shares.get(v.kind, 0.0), 4)
    return ColumnFinding(column, v.detected, v.role, v.kind, v.confidence, share, ev.n,
                         list(v.evidence))


def detect_identifiers(df: pd.DataFrame, schema: SchemaLike = None) -> IdentifierReport:
    """Find the columns that hold direct identifiers or free text.

    Parameters
    ----------
    df : pandas.DataFrame
        The table (values as read: strings, or numbers for phone columns that went through a
        spreadsheet).
    schema : dict, str, Path, bool or None
        Where column roles come from. ``None`` (default) uses the input standard's
        ``htwork:role`` for the columns it names (columns it does not name are judged by
        header and values); a dict or a path gives another Frictionless table schema;
        ``False`` ignores schemas altogether.

    Returns
    -------
    IdentifierReport
        Per-column findings; ``.identifiers``, ``.free_text`` and ``.columns`` list the
        detected ones.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"ชื่อ": ["สมชาย", "มาลี"], "phone": ["081 234 5678", "+855 12 345 678"],
    ...                    "gender": ["Male", "Female"]})
    >>> detect_identifiers(df, schema=False).identifiers
    ['ชื่อ', 'phone']
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(
            f"the table must be a pandas DataFrame, not {type(df).__name__}.",
            hint="read the file with htwork.io.read_table or pandas first",
        )
    roles = schema_roles(schema, [str(c) for c in df.columns])
    findings = [_finding(str(c), df[c], roles.get(str(c))) for c in df.columns]
    for f in findings:
        f.evidence = [e for e in f.evidence if e]
    return IdentifierReport(findings)


def identifying_columns(df: pd.DataFrame, schema: SchemaLike = None, *,
                        free_text: bool = True) -> list[str]:
    """The columns to leave out of anything made from ``df`` unless the user keeps them.

    The direct identifiers (and, with ``free_text``, the free-text columns) that
    :func:`detect_identifiers` finds, then the case numbers of :data:`CASE_NUMBERS` present.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    schema : dict, str, Path, bool or None
        As for :func:`detect_identifiers`.
    free_text : bool, default True
        Include free-text columns (case notes).

    Returns
    -------
    list of str
        Column names, in the table's order.
    """
    report = detect_identifiers(df, schema=schema)
    found = set(report.columns if free_text else report.identifiers)
    found |= {c for c in CASE_NUMBERS if c in set(map(str, df.columns))}
    return [str(c) for c in df.columns if str(c) in found]
