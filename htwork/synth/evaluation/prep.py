"""Aligning the three tables of an evaluation and making them safe for third-party tools."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from htwork.errors import InputError
from htwork.synth.codec import CategoricalCodec, _norm

__all__ = ["align", "as_text", "safe_names", "joint_codes", "joint_codec", "MISSING_TEXT"]

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
