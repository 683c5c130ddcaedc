"""Profile any table into an editable Frictionless table schema with disclosure roles.

:func:`profile` reads a table (a frame, or a CSV/Excel/Parquet file through
:func:`htwork.io.read_table`) and infers, per column:

- its **type**: ``integer``, ``number``, ``date``, ``year``, a categorical ``string`` (with its
  categories in ``categories`` and ``constraints.enum``) or free text (``string``, no
  categories);
- the **missing-value codes** it holds (``-99``, ``-9``, ``-8``, ``NA``, ``N/A``, ``Unknown``,
  empty...), as the field's Frictionless v2 ``missingValues`` with a label each;
- a disclosure **role** (one of :data:`htwork.standards.ROLES`) with the reason it was chosen,
  as ``htwork:role`` / ``htwork:roleReason``. Direct identifiers and free text are found by
  :func:`htwork.anonymise.detect_identifiers` (headers in eight languages and the values); the
  other roles by the header's words and the column's type.

The result is a :class:`~htwork.standards.Standard` (alias :data:`TableSchema`): the same object
the shipped standards load as, so every command that takes a schema takes a profiled one, and
:meth:`Standard.save` writes it as YAML or JSON for the user to edit.

Inference works on each column's distinct values (a million rows of forty columns hold a few
thousand distinct values each), so it is fast on large tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from htwork.errors import InputError
from htwork.standards.schema import Standard

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MISSING_CODES", "MAX_CATEGORIES", "TableSchema", "profile"]

#: A table schema, shipped or profiled: one object for both.
TableSchema = Standard

#: Text codes that stand for a missing value in surveys and case sheets (compared
#: case-insensitively, blanks stripped) -> their label.
MISSING_CODES: dict[str, str] = {
    "": "empty cell",
    "na": "not available (NA)",
    "n/a": "not available (N/A)",
    "#n/a": "not available (#N/A)",
    "nan": "not a number (NaN)",
    "null": "null",
    "unknown": "unknown",
    "not known": "unknown",
    "missing": "missing",
    ".": "missing (.)",
    "-": "missing (-)",
}
#: Negative numeric codes that surveys use for missing values (when the column's other values
#: are not negative) -> their label.
NUMERIC_MISSING_CODES: dict[int, str] = {
    -99: "survey missing code -99 (not recorded or refused)",
    -98: "survey missing code -98",
    -97: "survey missing code -97",
    -9: "survey missing code -9",
    -8: "survey missing code -8 (don't know or does not apply)",
    -7: "survey missing code -7",
}
#: A text column with at most this many distinct values is categorical.
MAX_CATEGORIES = 60
#: Rows examined for direct identifiers (a fixed sample beyond that).
_SAMPLE = 5000
#: Years a ``year`` column's values lie in.
_YEARS = (1800, 2100)

_QUASI_WORDS = (
    "sex", "gender", "age", "agegr", "agebroad", "agegroup", "birth", "dob", "yob", "born",
    "nationality", "citizenship", "citizen", "country", "region", "province", "district",
    "state", "city", "town", "village", "commune", "municipality", "placesize", "place",
    "residence", "location", "postcode", "zip", "postal", "edu", "education", "school",
    "marital", "married", "ethnic", "ethnicity", "race", "religion", "occupation", "socprof",
    "profession", "job", "employment", "language", "lang", "household", "children",
    "majority", "majoritystatus", "nationalityof",
)
_SENSITIVE_WORDS = (
    "income", "salary", "wage", "debt", "health", "disease", "hiv", "disability", "disabled",
    "depress", "depression", "mental", "alcohol", "alcabuse", "alcsol", "drug", "drugs",
    "smoke", "nociga", "sexual", "sex_work", "abuse", "violence", "crime", "criminal",
    "victim", "exploitation", "exploit", "trafficking", "labour", "labor", "forced",
    "means", "control", "recruiter", "recruitment", "conviction", "arrest", "pregnant",
    "pregnancy", "prostitution", "pornography", "abduction", "slavery", "servitude",
    "trafficked", "coercion", "threats",
)
_FLAG_VALUES = ({"0", "1"}, {"yes", "no"}, {"true", "false"}, {"y", "n"})
#: Yes/no columns sharing the first words of their headers form a family (one column per
#: answer of a multi-select question) when there are at least this many.
_MIN_FAMILY = 3
_WEIGHT_WORDS = ("wgt", "wt", "pweight", "fweight", "sweight", "weighting", "wght",
                 "sampling_weight", "survey_weight", "design_weight", "finalweight")
_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DMY_DATE = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{4}$")


def _words(name: str) -> list[str]:
    """A header's words, lower case: ``ageBroad`` -> ``["age", "broad", "agebroad"]``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", spaced.lower()) if p]
    joined = "".join(parts)
    return [*parts, joined] if len(parts) > 1 else parts


def _header_match(name: str, words: Iterable[str]) -> str | None:
    """The first of ``words`` that is one of the header's words (or its start, for words of
    four letters or more), else ``None``."""
    mine = _words(name)
    for w in words:
        for m in mine:
            if m == w or (len(w) >= 4 and m.startswith(w)):
                return w
    return None


class _Column:
    """What profiling learnt about one column."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.type = "string"
        self.categories: list[Any] = []
        self.missing: dict[str, str] = {}  # code as written -> label
        self.n_present = 0
        self.n_missing = 0
        self.free_text = False
        self.largest = 0.0  # largest absolute value of a numeric column
        self.type_reason = ""

    def descriptor(self, role: str, reason: str) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.type == "date":
            d["format"] = "any"
        if self.missing:
            d["missingValues"] = [{"value": v, "label": lab} for v, lab in self.missing.items()]
        if self.categories:
            d["categories"] = list(self.categories)
            d["constraints"] = {"enum": list(self.categories)}
        d["htwork:role"] = role
        d["htwork:roleReason"] = reason
        d["htwork:profile"] = {"present": self.n_present, "missing": self.n_missing,
                               "type": self.type_reason}
        return d


def _spellings() -> tuple[dict[str, str], dict[str, str]]:
    """Each way a text or numeric missing code may be written -> its label."""
    text: dict[str, str] = {}
    for code, label in MISSING_CODES.items():
        for s in (code, code.upper(), code.title(), code.capitalize()):
            text[s] = label
    numbers: dict[str, str] = {}
    for number, label in NUMERIC_MISSING_CODES.items():
        for s in (str(number), f"{number}.0", f"{number}.00"):
            numbers[s] = label
    return text, numbers


_TEXT_CODES, _NUMBER_CODES = _spellings()
#: Distinct values examined before deciding that a column is text (all of them when numeric).
_LOOK = 2000
#: Rows looked at to tell a column of few distinct values from one of many.
_PROBE = 20_000


def _value_counts(series: pd.Series) -> pd.Series:
    """Counts of the distinct non-missing values.

    pandas' hash table is the faster on columns of few distinct values (the reader's strings
    repeat); Arrow's is several times faster where most values differ (record numbers,
    amounts). A look at the first rows tells which.
    """
    if series.dtype == object and len(series) > 100_000:
        if _mostly_distinct(series):  # most values differ: Arrow
            import pyarrow as pa
            import pyarrow.compute as pc

            try:
                arr = pa.array(series.to_numpy(), type=pa.string(), from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: pandas copes
                pass
            else:
                vc = pc.value_counts(arr.drop_null())
                return _counts_series(vc.field("counts").to_numpy(),
                                      vc.field("values").to_numpy(zero_copy_only=False))
    return series.value_counts(dropna=True, sort=False)


def _mostly_distinct(series: pd.Series) -> bool:
    """Whether most of the first rows hold values no other of them holds (record numbers,
    amounts, timestamps), rather than a few values repeated (categories, flags)."""
    import pandas as pd

    head = series.to_numpy()[:_PROBE]
    return len(pd.unique(head)) > min(len(head), _PROBE) // 2


def _profile_distinct(name: str, series: pd.Series) -> _Column | None:
    """Profile a text column whose values mostly differ without counting every distinct
    value: Arrow finds the missing codes, parses the rest as numbers in one pass (or finds
    that they are text) and counts the distinct values. ``None`` when the column needs the
    full treatment (dates, or numbers mixed with text)."""
    import pyarrow as pa
    import pyarrow.compute as _pc

    pc: Any = _pc  # Arrow's compute functions are generated: their stubs are too narrow
    try:
        arr: Any = pa.array(series.to_numpy(), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    col = _Column(name)
    n_na = int(arr.null_count)
    text_codes = pc.is_in(arr, value_set=pa.array(list(_TEXT_CODES), type=pa.string()))
    number_codes = pc.is_in(arr, value_set=pa.array(list(_NUMBER_CODES), type=pa.string()))
    coded = pc.or_(text_codes, number_codes)
    present: Any = arr.filter(pc.and_(pc.is_valid(arr), pc.invert(coded)))
    head = present.slice(0, _LOOK)
    nums: Any = None
    if _parses(head):  # numbers at the top (a failed cast of a whole column is slow)
        try:
            nums = pc.cast(present, pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None  # numbers, then text further down: the full treatment
    if nums is None:
        values: list[str] = head.to_pylist()
        if values and all(_ISO_DATE.match(v) or _DMY_DATE.match(v) for v in values):
            return None  # dates: parsed with the full treatment
    elif bool(pc.any(number_codes).as_py()) and _has_negatives(nums):
        coded = text_codes  # negative numbers are data here, so -8 or -99 are values too
        present = arr.filter(pc.and_(pc.is_valid(arr), pc.invert(coded)))
        nums = pc.cast(present, pa.float64())
    col.missing[""] = MISSING_CODES[""]
    found = pc.value_counts(arr.filter(pc.fill_null(coded, False)))
    for code, n in zip(found.field("values").to_pylist(), found.field("counts").to_pylist(),
                       strict=True):
        col.missing[code] = _TEXT_CODES.get(code) or _NUMBER_CODES[code]
        n_na += n
    col.n_missing = n_na
    col.n_present = len(series) - n_na
    if len(present) == 0:
        col.type, col.type_reason = "string", "every value is missing"
        return col
    if nums is not None:
        bounds: dict[str, float] = pc.min_max(nums).as_py()
        lo, hi = float(bounds["min"]), float(bounds["max"])
        col.largest = max(abs(lo), abs(hi))
        if bool(pc.all(pc.equal(pc.trunc(nums), nums)).as_py()):
            # most values differ, so there are far more than the five distinct years asked
            col.type = "year" if _YEARS[0] <= lo and hi <= _YEARS[1] else "integer"
            col.type_reason = f"whole numbers from {lo:.0f} to {hi:.0f}"
        else:
            col.type, col.type_reason = "number", f"numbers from {lo:g} to {hi:g}"
        return col
    n_distinct = len(pc.unique(present))
    head_values: list[str] = pc.unique(present.slice(0, 4 * _LOOK)).slice(0, _LOOK).to_pylist()
    mean_len = sum(map(len, head_values)) / len(head_values)
    spaced = sum(" " in v for v in head_values) / len(head_values)
    col.free_text = mean_len > 25 or (n_distinct > 0.5 * max(col.n_present, 1) and spaced > 0.5)
    col.type_reason = f"text, {n_distinct} distinct values"
    return col


def _parses(values: Any) -> bool:
    """Whether every value of an Arrow string array reads as a number."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


def _has_negatives(nums: Any) -> bool:
    """Whether a numeric column's own values go below zero (then ``-8`` or ``-99`` are
    values, not missing codes)."""
    import pyarrow.compute as pc

    below: Any = pc.less(nums, 0)  # type: ignore[call-overload]  # stubs: a number is allowed
    return bool(pc.any(below).as_py())


def _to_numbers(text: pd.Series) -> pd.Series:
    """Each distinct value as a float (NaN where it is no number): Arrow's parser, strict and
    fast, where every value parses; pandas' (which coerces the rest to NaN) otherwise."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pc.cast(pa.array(text.to_numpy(dtype=object), type=pa.string()), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pd.to_numeric(text, errors="coerce")
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=text.index, dtype=float)


def _counts_series(counts: Any, values: Any) -> pd.Series:
    """Counts indexed by the values they count."""
    import pandas as pd

    return pd.Series(counts, index=pd.Index(values, dtype=object))


def _profile_column(name: str, series: pd.Series) -> _Column:
    import pandas as pd

    col = _Column(name)
    if pd.api.types.is_datetime64_any_dtype(series):
        col.type, col.type_reason = "date", "held as dates"
        col.n_present = int(series.notna().sum())
        col.n_missing = len(series) - col.n_present
        return col
    if series.dtype == object and len(series) > 100_000 and _mostly_distinct(series):
        fast = _profile_distinct(name, series)
        if fast is not None:
            return fast
    # one pass over the rows: distinct values and their counts
    counts = _value_counts(series)
    n_na = len(series) - int(counts.sum())
    uniques = counts.index.to_series(index=pd.RangeIndex(len(counts)))
    if pd.api.types.is_bool_dtype(uniques):
        uniques = uniques.astype(int)
    if pd.api.types.is_numeric_dtype(uniques):
        nums = uniques.astype(float)
        text = nums.map(lambda x: str(int(x)) if x.is_integer() else repr(x))
    else:
        text = uniques.astype(str)
        nums = None
    is_code_text = text.isin(list(_TEXT_CODES))
    is_code_number = text.isin(list(_NUMBER_CODES))
    present = ~is_code_text & ~is_code_number
    if nums is None:  # text: numeric only if a sample of its distinct values is
        head = text[present].iloc[:_LOOK]
        if _to_numbers(head).notna().all():
            nums = _to_numbers(text)
    if nums is not None:
        others = nums[present]
        all_numeric = bool(others.notna().all())
        if is_code_number.any() and bool((others < 0).any()):  # negatives are data here
            present |= is_code_number
            is_code_number &= False
    else:
        all_numeric = False
    missing = is_code_text | is_code_number
    col.missing[""] = MISSING_CODES[""]  # a field's own missingValues replace the schema's
    for t in text[is_code_text]:
        col.missing[str(t)] = _TEXT_CODES[str(t)]
    for t in text[is_code_number]:
        col.missing[str(t)] = _NUMBER_CODES[str(t)]
    col.n_missing = n_na + int(counts.to_numpy()[missing.to_numpy()].sum())
    col.n_present = len(series) - col.n_missing
    values = text[present]
    if len(values) == 0:
        col.type, col.type_reason = "string", "every value is missing"
        return col
    if all_numeric and nums is not None:
        xs = nums[present]
        lo, hi = float(xs.min()), float(xs.max())
        col.largest = max(abs(lo), abs(hi))
        if bool((xs % 1 == 0).all()):
            if _YEARS[0] <= lo and hi <= _YEARS[1] and (
                    _header_match(name, ("year", "yr", "yob")) or name.lower().startswith("y")
                    or len(values) >= 5):
                col.type, col.type_reason = "year", f"whole numbers from {lo:.0f} to {hi:.0f}"
            else:
                col.type = "integer"
                col.type_reason = f"whole numbers from {lo:.0f} to {hi:.0f}"
                if set(xs) <= {0.0, 1.0}:
                    col.categories = [0, 1]
                    col.type_reason = "0/1 flag"
        else:
            col.type, col.type_reason = "number", f"numbers from {lo:g} to {hi:g}"
        return col
    head = values.iloc[:_LOOK]
    if bool((head.str.match(_ISO_DATE.pattern) | head.str.match(_DMY_DATE.pattern)).all()):
        iso = values.str.match(_ISO_DATE.pattern)
        if bool((iso | values.str.match(_DMY_DATE.pattern)).all()):
            parsed = pd.to_datetime(values, errors="coerce", dayfirst=not bool(iso.all()),
                                    format="mixed")
            if parsed.notna().all():
                col.type = "date"
                col.type_reason = (f"dates from {parsed.min():%Y-%m-%d} to "
                                   f"{parsed.max():%Y-%m-%d}")
                return col
    n_distinct = len(values)
    mean_len = float(head.str.len().mean())
    if n_distinct <= MAX_CATEGORIES and mean_len <= 60:
        col.categories = sorted(values.tolist(), key=str)
        col.type_reason = f"{n_distinct} categories"
    else:
        col.free_text = mean_len > 25 or (n_distinct > 0.5 * max(col.n_present, 1)
                                          and bool(head.str.contains(" ").mean() > 0.5))
        col.type_reason = f"text, {n_distinct} distinct values"
    return col


def _country_share(values: list[Any]) -> float:
    from htwork.standards.codelists import countries

    table = countries()
    known = {*table["alpha2"], *table["alpha3"], *table["name"].str.upper()}
    texts = [str(v).upper() for v in values]
    return sum(t in known for t in texts) / max(len(texts), 1)


def _is_flag(col: _Column) -> bool:
    """A yes/no column: its categories are 0/1, yes/no or true/false."""
    cats = {str(c).strip().lower() for c in col.categories}
    return bool(cats) and any(cats <= v for v in _FLAG_VALUES)


def _plain_words(name: str) -> list[str]:
    """A header's words in order, lower case, without the joined form of :func:`_words`."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [p for p in re.split(r"[^0-9A-Za-z]+", spaced.lower()) if p]


def _families(cols: list[_Column]) -> dict[str, tuple[str, ...]]:
    """Column name -> the words of its flag family's prefix, for yes/no columns of which at
    least :data:`_MIN_FAMILY` share their first words (the longest such prefix that leaves each a
    word of its own): ``meansOfControlDebtBondage`` -> ``("means", "of", "control")``."""
    words = {c.name: tuple(_plain_words(c.name)) for c in cols if _is_flag(c)}
    out: dict[str, tuple[str, ...]] = {}
    for name, mine in words.items():
        for k in range(len(mine) - 1, 0, -1):
            prefix = mine[:k]
            if sum(w[:k] == prefix and len(w) > k for w in words.values()) >= _MIN_FAMILY:
                out[name] = prefix
                break
    return out


def _sensitive_families(cols: list[_Column],
                        families: dict[str, tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Family prefix -> the sensitive word that marks it, for families whose prefix or one of
    whose members names something sensitive (the answers of one question share its role)."""
    out: dict[tuple[str, ...], str] = {}
    for name, prefix in families.items():
        hit = _header_match(" ".join(prefix), _SENSITIVE_WORDS) or _header_match(
            name, _SENSITIVE_WORDS)
        if hit and prefix not in out:
            out[prefix] = hit
    return out


def _family_role(col: _Column, families: dict[str, tuple[str, ...]],
                 sensitive: dict[tuple[str, ...], str]) -> tuple[str, str] | None:
    """``sensitive`` and the reason, for a member of a sensitive flag family or a column that
    summarises one (its header starts with the family's words: ``typeOfSexConcatenated``)."""
    mine = tuple(_plain_words(col.name))
    prefix = families.get(col.name) or next(
        (p for p in sensitive if mine[:len(p)] == p and len(mine) > len(p)), None)
    if prefix is None or prefix not in sensitive:
        return None
    n = sum(p == prefix for p in families.values())
    label = " ".join(prefix)
    what = ("one of the" if col.name in families else "a summary of the")
    return "sensitive", (f"{what.capitalize()} {n} yes/no columns of the family {label!r} "
                         f"(one column per answer; {sensitive[prefix]!r} marks the family): "
                         "what happened to the person; disclosing it could harm them.")


def _role(col: _Column, finding: Any) -> tuple[str, str]:
    """The column's role and the reason, in words."""
    if finding is not None and finding.detected and finding.role == "direct_identifier":
        why = "; ".join(finding.evidence) or finding.kind
        return "direct_identifier", f"Identifies a person on its own ({why})."
    if col.free_text or (finding is not None and finding.detected
                         and finding.role == "free_text"):
        return "free_text", ("Free text: narratives can name people and places; read before "
                             "publishing.")
    weight = _header_match(col.name, _WEIGHT_WORDS)
    if weight or (col.type == "number" and _header_match(col.name, ("weight",))):
        return "weight", (f"A survey weight: the header says {weight or 'weight'} and the values "
                          "are fractional numbers.")
    quasi = _header_match(col.name, _QUASI_WORDS)
    if quasi:
        return "quasi_identifier", (f"The header names {quasi!r}, a trait others may know; "
                                    "combined with other such columns it can single a person "
                                    "out.")
    if col.categories and col.type == "string" and _country_share(col.categories) >= 0.8:
        return "quasi_identifier", ("The values are countries, which others may know; "
                                    "combined with other such columns they can single a "
                                    "person out.")
    sensitive = _header_match(col.name, _SENSITIVE_WORDS)
    if sensitive:
        return "sensitive", (f"The header names {sensitive!r}: disclosing it could harm the "
                             "person.")
    if col.type in ("date", "year"):
        return "quasi_identifier", (f"A {col.type} others may know (an event in a person's "
                                    "life); combined with other such columns it can single "
                                    "a person out.")
    return "other", "Nothing in the header or the values marks it as identifying or sensitive."


def profile(data: pd.DataFrame | str | Path, *, name: str | None = None,
            **read_options: Any) -> Standard:
    """Infer a table schema, with each column's type, missing codes and disclosure role.

    Parameters
    ----------
    data : pandas.DataFrame, str or Path
        The table, or a CSV/TSV/Excel/Parquet file read by :func:`htwork.io.read_table` (which
        detects encoding, delimiter, header row and sheet).
    name : str, optional
        The schema's name (default: ``"profiled-table"``; never the file's name, which may be
        sensitive).
    **read_options
        Passed to :func:`htwork.io.read_table` when ``data`` is a path (``sheet=``,
        ``encoding=``...).

    Returns
    -------
    Standard
        A Frictionless v2 table schema (:data:`TableSchema`) whose fields carry ``type``,
        ``missingValues``, ``categories`` and ``constraints.enum`` for categorical columns, and
        ``htwork:role`` / ``htwork:roleReason``. ``Standard.save(path)`` writes it.

    Raises
    ------
    InputError
        If the table has no columns or a column name repeats.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sex": ["F", "M", "F"], "age": ["31", "-8", "45"]})
    >>> s = profile(df)
    >>> s.field("age")["type"], s.role("sex")
    ('integer', 'quasi_identifier')
    """
    import pandas as pd

    from htwork.standards.identifiers import detect_identifiers

    source = None
    if isinstance(data, (str, Path)):
        from htwork.io import read_table

        source = str(data)
        df = read_table(data, **read_options)
    elif isinstance(data, pd.DataFrame):
        df = data
    else:
        raise InputError(f"profile() takes a table or a file path, not {type(data).__name__}.")
    if df.shape[1] == 0:
        raise InputError("The table has no columns.", file=source)
    names = [str(c) for c in df.columns]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError(f"The column name {dup[0]!r} appears more than once.", file=source,
                         column=dup[0], hint="give every column its own name")
    cols = [_profile_column(n, df.iloc[:, i]) for i, n in enumerate(names)]
    # identifiers hide in text, and in long numbers (phones that lost their 0, ID numbers)
    look = [i for i, c in enumerate(cols) if c.type == "string" or (
        c.type == "integer" and c.largest >= 1e6)]
    sample = df.iloc[:, look]
    sample = sample if len(sample) <= _SAMPLE else sample.sample(_SAMPLE, random_state=0)
    found = detect_identifiers(sample.set_axis([names[i] for i in look], axis=1), schema=False)
    families = _families(cols)
    sensitive = _sensitive_families(cols, families)
    fields = []
    for i, c in enumerate(cols):
        finding = found[c.name] if i in look else None
        role, reason = _role(c, finding)
        if role in ("quasi_identifier", "sensitive", "other"):
            role, reason = _family_role(c, families, sensitive) or (role, reason)
        field = c.descriptor(role, reason)
        if c.name in families:
            field["htwork:family"] = "_".join(families[c.name])
        fields.append(field)
    descriptor: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "name": name or "profiled-table",
        "description": "Inferred by htwork profile; check each field's type, missing values "
                       "and htwork:role, then edit this file.",
        "fields": fields,
        "missingValues": [""],
    }
    return Standard(name=descriptor["name"], descriptor=descriptor, inferred=True)
