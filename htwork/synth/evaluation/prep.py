"""Aligning the three tables of an evaluation and making them safe for third-party tools."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from htwork.errors import InputError
from htwork.synth.codec import CategoricalCodec, _norm

__all__ = ["align", "as_text", "safe_names", "joint_codes", "joint_codec", "MISSING_TEXT",
           "column_types", "canonical", "features"]

MISSING_TEXT = "<missing>"


def align(
    real: pd.DataFrame, others: dict[str, pd.DataFrame]
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Check that every table has the real table's columns; put them in its order.

    Raises
    ------
    InputError
        A table lacks columns of the real one, or has extra ones, or is empty.
    """
    if not isinstance(real, pd.DataFrame) or len(real) == 0:
        raise InputError("the real training table is empty or not a DataFrame")
    cols = list(real.columns)
    out = {}
    for name, df in others.items():
        if not isinstance(df, pd.DataFrame) or len(df) == 0:
            raise InputError(f"the {name} table is empty or not a DataFrame")
        missing = [c for c in cols if c not in df.columns]
        extra = [c for c in df.columns if c not in cols]
        if missing or extra:
            raise InputError(
                f"the {name} table's columns differ from the training table's "
                f"(missing: {[str(c) for c in missing]}, extra: {[str(c) for c in extra]})",
                column=str((missing or extra)[0]),
                hint="evaluate tables with the same columns (synthesise from the training table)",
            )
        out[name] = df[cols].reset_index(drop=True)
    return real.reset_index(drop=True), out


def safe_names(columns: list[Hashable]) -> dict[Hashable, str]:
    """Column -> a name every tool accepts (``c00_gender``): no spaces, brackets or symbols."""
    width = len(str(max(len(columns) - 1, 0)))
    names = {}
    for i, c in enumerate(columns):
        stem = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in str(c))[:40]
        names[c] = f"c{i:0{width}d}_{stem}".rstrip("_")
    return names


def as_text(df: pd.DataFrame, names: dict[Hashable, str] | None = None) -> pd.DataFrame:
    """Every cell as text (``1``, ``1.0`` and ``"1"`` alike), missing as ``<missing>``."""
    data = {}
    for c in df.columns:
        idx, uniques = pd.factorize(pd.Series(df[c].to_numpy(dtype=object), dtype=object),
                                    use_na_sentinel=True)
        lut = np.array([_norm(u) for u in uniques] + [MISSING_TEXT], dtype=object)
        data[names[c] if names else c] = lut[idx]
    return pd.DataFrame(data)


def joint_codes(*tables: pd.DataFrame) -> tuple[list[np.ndarray], np.ndarray]:
    """Integer codes of several tables with the same columns, on one shared coding.

    Returns the codes of each table and the number of codes per column.
    """
    codes, codec = joint_codec(*tables)
    return codes, codec.cardinalities


def joint_codec(*tables: pd.DataFrame) -> tuple[list[np.ndarray], CategoricalCodec]:
    """Like :func:`joint_codes`, returning the codec of the text forms (``<missing>`` a value)."""
    texts = [as_text(t) for t in tables]
    codec = CategoricalCodec.fit(pd.concat(texts, ignore_index=True))
    return [codec.encode(t) for t in texts], codec


def column_types(real: pd.DataFrame, types: Mapping[Hashable, Any] | None = None
                 ) -> dict[Hashable, Any]:
    """Each column's type for an evaluation: declared, or inferred from the real table.

    Unlike fitting a synthesizer, evaluation never stops on a column whose type cannot be
    read (a number column all missing, dates in mixed formats): that column is compared as
    categories.
    """
    from htwork.synth.types import ColumnType, infer_types

    try:
        return infer_types(real, types)
    except InputError:
        out: dict[Hashable, Any] = {}
        for c in real.columns:
            declared: dict[Hashable, Any] | None = {c: types[c]} if types and c in types else None
            try:
                out[c] = infer_types(real[[c]], declared)[c]
            except InputError:
                out[c] = ColumnType("categorical")
        return out


def canonical(df: pd.DataFrame, types: Mapping[Hashable, Any]) -> pd.DataFrame:
    """The table with numbers as floats (``57``, ``57.0`` and ``"57"`` alike) and a missing
    number as the reason it is missing (``"code -8"``; None when blank), others unchanged."""
    from htwork.synth.types import BLANK, parse_values

    data: dict[Hashable, Any] = {}
    for c in df.columns:
        t = types.get(c)
        if t is None or not t.numeric:
            data[c] = df[c]
            continue
        values, reasons = parse_values(df[c], t)
        out = values.astype(object)
        missing = np.isnan(values)
        out[missing] = [None if r in (None, BLANK) else f"missing: {r}"
                        for r in reasons[missing]]
        data[c] = out
    return pd.DataFrame(data, index=df.index)


def features(tables: list[pd.DataFrame], types: Mapping[Hashable, Any]
             ) -> tuple[list[np.ndarray], np.ndarray, list[str]]:
    """Model features of several tables with the same columns, on one shared coding.

    Categories become integer codes (shared across tables; flagged categorical); numbers and
    dates their quantity (NaN when missing), plus a categorical feature saying why a number is
    missing where any table has a missing one.

    Returns
    -------
    matrices : list of ndarray
        One ``(rows, features)`` float matrix per table.
    categorical : ndarray of bool
        Which features are categorical.
    names : list of str
        Feature names (``column`` or ``column:missing``).
    """
    from htwork.synth.types import parse_values

    cols = list(tables[0].columns)
    cats = [c for c in cols if not (types.get(c) is not None and types[c].numeric)]
    parts: list[list[np.ndarray]] = [[] for _ in tables]
    categorical: list[bool] = []
    names: list[str] = []
    if cats:
        coded, codec = joint_codec(*[t[cats] for t in tables])
        for i, c in enumerate(cats):
            for k, m in enumerate(coded):
                parts[k].append(m[:, i].astype(float))
            categorical.append(bool(codec.cardinalities[i] <= 255))
            names.append(str(c))
    for c in cols:
        if c in cats:
            continue
        parsed = [parse_values(t[c], types[c]) for t in tables]
        for k, (values, _) in enumerate(parsed):
            parts[k].append(values)
        categorical.append(False)
        names.append(str(c))
        labels = sorted({str(r) for _, rs in parsed for r in rs if r is not None})
        if labels:
            lut = {lab: i + 1 for i, lab in enumerate(labels)}
            for k, (_, rs) in enumerate(parsed):
                parts[k].append(np.array([0 if r is None else lut[str(r)] for r in rs],
                                         dtype=float))
            categorical.append(True)
            names.append(f"{c}:missing")
    mats = [np.column_stack(p) if p else np.zeros((len(t), 0)) for p, t in zip(parts, tables,
                                                                                 strict=True)]
    return mats, np.array(categorical, dtype=bool), names
