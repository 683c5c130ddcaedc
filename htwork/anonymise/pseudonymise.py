"""Keyed pseudonyms: HMAC-SHA256 of a normalised value under a key the data owner keeps.

A plain hash of a phone number or an ID is *not* a pseudonym: anyone can hash every possible
Thai phone number (10^9 of them) in minutes and read the table back. A keyed hash (HMAC) cannot
be recomputed without the key, yet the same key and value always give the same pseudonym, so
records of one person still link across files and agencies that share the key.

Keep the key outside the release folder. The fitted :class:`Pseudonymiser` shows
``key=<hidden>`` in its ``repr`` and leaves the key out when pickled (so that a saved pipeline
does not carry it), unless built with ``pickle_key=True``. The key still lives in the object's
memory while it is in use: do not print ``vars()`` of it in a notebook you share.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from htwork.anonymise._base import BaseTransformer, as_list, check_columns, check_frame, copy_attrs
from htwork.errors import HtworkError, InputError
from htwork.standards.patterns import ascii_digits
from htwork.standards.table_roles import SchemaLike

__all__ = ["MIN_KEY_BYTES", "Pseudonymiser", "generate_key", "load_key", "normalise_value"]

#: shortest key accepted (128 bits); :func:`generate_key` makes 32 bytes
MIN_KEY_BYTES = 16
_NORMALISE = ("none", "text", "id")
_SPACES = re.compile(r"\s+")


def normalise_value(value: str, mode: str = "text") -> str:
    """Bring variant spellings of one value to one form before it is keyed.

    Parameters
    ----------
    value : str
        The raw value.
    mode : {"text", "id", "none"}
        ``"text"``: Unicode NFC, case folded, digits of any script as 0-9, surrounding
        whitespace removed and inner whitespace collapsed to one space (names, e-mails).
        ``"id"``: as ``"text"``, then every character that is not a letter, digit or
        combining mark removed, so ``"1-1037-00012-34-6"``, ``"1 1037 00012 34 6"`` and
        ``"๑๑๐๓๗๐๐๐๑๒๓๔๖"`` become one value (ID, passport and phone numbers).
        ``"none"``: the value as it is.
    """
    if mode == "none":
        return value
    text = unicodedata.normalize("NFC", value).casefold()
    text = ascii_digits(text)
    text = _SPACES.sub(" ", text).strip()
    if mode == "id":
        kept = []
        for ch in text:
            if ch.isalnum() or unicodedata.category(ch) in ("Mn", "Mc"):
                kept.append(ch)
        text = "".join(kept)
    return text


def _check_key(key: object, *, file: str | Path | None = None) -> bytes:
    if isinstance(key, str):
        raise InputError(
            "the key must be bytes, not text: a passphrase is too easy to guess.",
            file=file,
            hint="make one with htwork.anonymise.generate_key() and keep it in a file; "
            "read it back with load_key(path)",
        )
    if isinstance(key, bytearray | memoryview):
        key = bytes(key)
    if not isinstance(key, bytes):
        raise InputError(
            f"the key must be bytes, not {type(key).__name__}.",
            file=file,
            hint="use htwork.anonymise.generate_key() or load_key(path)",
        )
    if len(key) < MIN_KEY_BYTES:
        raise InputError(
            f"the key is {len(key)} byte(s) long; at least {MIN_KEY_BYTES} are needed.",
            file=file,
            hint="make a 32-byte key with htwork.anonymise.generate_key()",
        )
    return key


def generate_key(path: str | Path | None = None, nbytes: int = 32) -> bytes:
    """Make a random key (from the operating system's secure generator).

    Parameters
    ----------
    path : str or Path, optional
        Also write the key there, as hexadecimal text, readable by its owner only. An existing
        file is never overwritten.
    nbytes : int
        Key length in bytes (at least 16; 32 by default).

    Returns
    -------
    bytes
        The key.
    """
    if nbytes < MIN_KEY_BYTES:
        raise InputError(
            f"a key of {nbytes} bytes is too short; use at least {MIN_KEY_BYTES}.",
            hint="leave nbytes at its default, 32",
        )
    key = secrets.token_bytes(nbytes)
    if path is not None:
        target = Path(path)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise InputError(
                "a file is already there; a key file is never overwritten.",
                file=target,
                hint="choose another path, or load the existing key with load_key(path)",
            ) from None
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key.hex() + "\n")
    return key


def load_key(path: str | Path) -> bytes:
    """Read a key written by :func:`generate_key` (hexadecimal text) or a raw binary key file.

    Raises
    ------
    InputError
        If the file is missing or holds a key shorter than 16 bytes.
    """
    target = Path(path)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        raise InputError(
            "the key file does not exist.",
            file=target,
            hint="give the path of the key file kept outside the release folder",
        ) from None
    text = raw.strip()
    if text and re.fullmatch(rb"(?:[0-9a-fA-F]{2})+", text):
        key = bytes.fromhex(text.decode("ascii"))
    else:
        key = raw
    return _check_key(key, file=target)


def _fingerprint(key: bytes) -> str:
    """A short public label of a key (which key was used), from which the key cannot be found."""
    return hmac.new(key, b"htwork key fingerprint", hashlib.sha256).hexdigest()[:16]


def _integral_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


class Pseudonymiser(BaseTransformer):
    """Replace identifiers with keyed pseudonyms (HMAC-SHA256, never a plain hash).

    Parameters
    ----------
    key : bytes
        The secret key, at least 16 bytes (see :func:`generate_key`, :func:`load_key`).
    columns : str or list of str, optional
        Columns to pseudonymise. Default: the direct identifiers that
        :func:`~htwork.anonymise.detect_identifiers` finds at ``fit``.
    length : int
        Hexadecimal characters kept from the 64 of the HMAC (8-64; 16 = 64 bits by default,
        ample for millions of distinct values; a collision is reported, never silent).
    normalise : {"text", "id", "none"} or dict
        How values are normalised before keying (see :func:`normalise_value`); one mode for all
        columns or ``{column: mode}``; columns not in the dict use ``"text"``. ``True`` means
        ``"text"`` and ``False`` ``"none"``.
    prefix : str
        Put before every pseudonym (e.g. ``"P-"``).
    schema : dict, str, Path, bool or None
        Passed to ``detect_identifiers`` when ``columns`` is not given.
    pickle_key : bool
        Keep the key when the object is pickled. Default ``False``: an unpickled
        Pseudonymiser needs ``set_params(key=...)`` before it can transform again.

    Attributes
    ----------
    columns_ : list of str
        The columns pseudonymised.
    normalise_ : dict
        The normalisation mode of each column.
    key_fingerprint_ : str
        16 hexadecimal characters that tell which key was used (for the release recipe);
        the key cannot be recovered from it.

    Notes
    -----
    Missing values stay missing. The same key and normalised value always give the same
    pseudonym, whatever the column (a phone number in two columns gets one pseudonym);
    different keys give unrelated pseudonyms.
    """

    _secret_params = ("key",)

    def __init__(
        self,
        key: bytes,
        columns: str | Sequence[str] | None = None,
        length: int = 16,
        normalise: str | bool | Mapping[str, str] = "text",
        prefix: str = "",
        schema: SchemaLike = None,
        pickle_key: bool = False,
    ) -> None:
        _check_key(key)
        self.key = key
        self.columns = columns
        self.length = length
        self.normalise = normalise
        self.prefix = prefix
        self.schema = schema
        self.pickle_key = pickle_key

    # -- pickling without the key -------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        if not self.pickle_key:
            state["key"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- learning -----------------------------------------------------------------------------
    def _mode(self, column: str) -> str:
        spec = self.normalise
        if isinstance(spec, Mapping):
            mode = spec.get(column, "text")
        elif spec is True:
            mode = "text"
        elif spec is False or spec is None:
            mode = "none"
        else:
            mode = spec
        if mode is True:
            mode = "text"
        if mode is False:
            mode = "none"
        if mode not in _NORMALISE:
            raise InputError(
                f"normalise={mode!r} is not a normalisation mode.",
                column=column,
                hint=f"use one of {', '.join(_NORMALISE)}",
            )
        return mode

    def _live_key(self) -> bytes:
        if self.key is None:
            raise InputError(
                "this Pseudonymiser has no key (it was unpickled without one).",
                hint="give the key again: p.set_params(key=load_key(path))",
            )
        return _check_key(self.key)

    def fit(self, df: pd.DataFrame) -> Pseudonymiser:
        """Check the key, length and columns; learn the columns when not given."""
        check_frame(df)
        key = self._live_key()
        if not isinstance(self.length, int) or not 8 <= self.length <= 64:
            raise InputError(
                f"length={self.length!r} is not allowed; pseudonyms keep 8 to 64 hex characters.",
                hint="leave length at 16, or raise it if a collision is reported",
            )
        cols = as_list(self.columns)
        if cols is None:
            from htwork.anonymise.identifiers import detect_identifiers

            cols = detect_identifiers(df, schema=self.schema).identifiers
        self.columns_ = check_columns(df, cols)
        if isinstance(self.normalise, Mapping):
            check_columns(df, [c for c in self.normalise if c not in self.columns_] or None)
        self.normalise_ = {c: self._mode(c) for c in self.columns_}
        self.key_fingerprint_ = _fingerprint(key)
        return self

    # -- applying -----------------------------------------------------------------------------
    def pseudonym(self, value: object, column: str | None = None) -> str:
        """The pseudonym of one value (normalised as for ``column``)."""
        key = self._live_key()
        fitted = getattr(self, "normalise_", {})
        mode = fitted[column] if column in fitted else self._mode(column or "")
        return self._digest_many(key, [normalise_value(_integral_text(value), mode)])[0]

    def _digest_many(self, key: bytes, values: Sequence[str]) -> list[str]:
        base = hmac.new(key, digestmod=hashlib.sha256)
        out = []
        for v in values:
            h = base.copy()
            h.update(v.encode("utf-8"))
            out.append(self.prefix + h.hexdigest()[: self.length])
        return out

    def transform(self, df: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``df`` with each value of ``columns_`` replaced by its pseudonym."""
        self._check_fitted("columns_")
        check_frame(df)
        check_columns(df, self.columns_)
        key = self._live_key()
        if _fingerprint(key) != self.key_fingerprint_:
            raise InputError(
                "the key differs from the one this Pseudonymiser was fitted with.",
                hint="fit again with the new key, or give back the original key",
            )
        out = df.copy()
        for col in self.columns_:
            s = df[col]
            present = s.notna() & ~s.map(lambda v: isinstance(v, str) and not v.strip())
            raw = s[present].map(_integral_text)
            mode = self.normalise_[col]
            norm = raw.map(partial(normalise_value, mode=mode))
            uniq = pd.unique(norm.to_numpy())
            digests = self._digest_many(key, list(uniq))
            if len(set(digests)) < len(uniq):
                raise HtworkError(
                    f"two different values got the same {self.length}-character pseudonym.",
                    column=col,
                    hint="raise length (e.g. length=24)",
                )
            mapping = dict(zip(uniq, digests, strict=True))
            new = s.astype(object).copy()  # missing and blank cells stay as they were
            new[present] = norm.map(mapping)
            out[col] = new
        return copy_attrs(df, out)
