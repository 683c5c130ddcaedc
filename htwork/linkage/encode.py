"""Encode an agency's list on the agency's own machine: keyed encodings only, nothing plain.

Each record becomes:

* ``rid`` — a record number the agency can recompute (a keyed hash of the list name and the
  row), so that links can be mapped back to its own rows; the coordinator learns nothing from it;
* ``bf_0`` ... ``bf_15`` — a **balanced record-level Bloom filter** of the name (1024 bits as 16
  64-bit integers): every bigram of every folded name token (:mod:`.normalise`) sets bits at
  positions derived from ``HMAC-SHA256(key, bigram)``; the 512-bit filter is then joined to its
  complement and the 1024 bits are shuffled by a keyed permutation, so every record has exactly
  512 bits set whatever its name's length (Schnell, Borgs and Encarnação 2016). Two names'
  similarity is the Dice coefficient of their filters;
* ``h_name``, ``h_dob``, ``h_dob_swap``, ``h_dob1``, ``h_ym``, ``h_y``, ``h_y1``, ``h_sex`` —
  keyed hashes (BLAKE2b in its keyed mode, a MAC, under a sub-key of the shared key; 64 bits)
  of exact values: the folded name, the birth date, the date
  with day and month swapped, the date a year later, year and month, year, year + 1, sex;
  ``h_tok`` a keyed hash of the name's first token in alphabetical order (used to train the
  model);
* ``blk_ty``, ``blk_tmd``, ``blk_tp`` — keyed hashes of each name token with the birth year,
  with the birth day and month, and of each pair of name tokens (keyed BLAKE2b under the
  token's HMAC): blocking keys, so that candidate pairs are found without plain values;
* ``blk_t`` — a keyed hash of each name token alone, except the tokens more than
  :data:`TOKEN_LIST_MAX` records of the list hold: the coordinator counts how many records hold
  each, so that two names sharing a token few records hold weigh more than two sharing a
  common one. It learns how often each of those keyed tokens occurs, as it does for the whole
  name; the common tokens, whose ranks a frequency attack would read, are not sent;
* ``blk_lsh`` — locality-sensitive blocking keys of the name (MinHash): every q-gram of the
  name (the Bloom filter's grams) gets ``bands * rows`` keyed 64-bit values
  (BLAKE2b under a sub-key of the key); the name's minimum of each is taken, and each band of
  ``rows`` minima is mixed with a keyed constant into one 64-bit key. Two names share a band with
  probability ``J ** rows`` (``J`` the Jaccard similarity of their gram sets), so names a typo
  or a transliteration apart meet without sharing an exact token, a date or the whole name.

The Parquet file's metadata records the list's name, the format version, the Bloom filter's
parameters, the normalisation version and the key's fingerprint (never the key).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata as _metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.results import Result
from htwork.errors import InputError
from htwork.linkage.keys import key_fingerprint, load_key, subkey
from htwork.linkage.normalise import (
    NORMALISATION_VERSION,
    key_tokens,
    normalise_dob,
    normalise_names,
    normalise_sex,
)

__all__ = [
    "ENCODING_FORMAT",
    "ENCODING_VERSION",
    "BloomSpec",
    "LshSpec",
    "Encoder",
    "EncodedList",
    "encode",
    "encode_file",
    "read_encoded",
    "FIELD_COLUMNS",
    "BLOOM_COLUMNS",
    "find_columns",
]

ENCODING_FORMAT = "htwork-linkage-encoding"
ENCODING_VERSION = 3
_META_KEY = b"htwork.linkage"
#: A name token more records of one list hold than this is left out of ``blk_t``.
TOKEN_LIST_MAX = 100
_LIST_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_+\-]{0,39}$")


@dataclass(frozen=True)
class BloomSpec:
    """Parameters of the name Bloom filter (recorded in every encoding).

    Attributes
    ----------
    bits : int
        Length of the filter before balancing (512); the stored filter has twice as many.
    hashes : int
        Bit positions set per bigram (at most 16).
    qgram : int
        Length of the q-grams (2: bigrams, taken inside each token, so that ``"Zin Kaung"`` and
        ``"ZinKaung"`` differ by few grams), plus each token's first and last letter.
    balanced : bool
        Joined to its complement and permuted (constant Hamming weight).
    """

    bits: int = 512
    hashes: int = 16
    qgram: int = 2
    balanced: bool = True

    @property
    def words(self) -> int:
        """Number of 64-bit columns stored."""
        return (2 * self.bits if self.balanced else self.bits) // 64

    def to_dict(self) -> dict[str, Any]:
        return {"bits": self.bits, "hashes": self.hashes, "qgram": self.qgram,
                "balanced": self.balanced, "stored_bits": self.words * 64,
                "hash": "HMAC-SHA256 per q-gram, 16-bit slices of the digest as positions",
                "weight": self.bits if self.balanced else None}


DEFAULT_SPEC = BloomSpec()
BLOOM_COLUMNS = [f"bf_{i}" for i in range(DEFAULT_SPEC.words)]
FIELD_COLUMNS = ["h_name", "h_dob", "h_dob_swap", "h_dob1", "h_ym", "h_y", "h_y1", "h_sex",
                 "h_tok"]
BLOCK_COLUMNS = ["blk_ty", "blk_tmd", "blk_tp", "blk_lsh"]
#: List columns: the blocking keys and the keyed name tokens (counted, not blocked on).
LIST_COLUMNS = [*BLOCK_COLUMNS, "blk_t"]


@dataclass(frozen=True)
class LshSpec:
    """Parameters of the MinHash blocking keys of the name (recorded in every encoding).

    Attributes
    ----------
    bands : int
        Keys per name; two names become a candidate pair when they share any one.
    rows : int
        MinHash values per band (``bands * rows`` at most 32): more rows, fewer chance
        meetings of unrelated names.
    """

    bands: int = 8
    rows: int = 3

    def to_dict(self) -> dict[str, Any]:
        return {"bands": self.bands, "rows": self.rows,
                "hash": "MinHash of the name's q-grams: BLAKE2b under a sub-key, 64-bit "
                        "values; each band's minima mixed (splitmix64) with a keyed constant"}


DEFAULT_LSH = LshSpec()


def _versions() -> dict[str, str]:
    out = {}
    for pkg in ("pythainlp", "laonlp", "anyascii"):
        try:
            out[pkg] = _metadata.version(pkg)
        except _metadata.PackageNotFoundError:  # pragma: no cover - declared dependencies
            out[pkg] = "missing"
    return out


@dataclass
class _NameIndex:
    """Distinct names and their grams: ``names[j]`` holds ``counts[j]`` grams, numbered
    ``cols[sum(counts[:j]):][:counts[j]]`` in ``grams``; ``codes[i]`` is row ``i``'s name."""

    names: list[tuple[str, ...]]
    codes: np.ndarray
    grams: list[str]
    counts: np.ndarray
    cols: np.ndarray


_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a bijection of 64-bit integers that mixes every bit."""
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


class Encoder:
    """Keyed encodings of normalised values under one key (the key stays in memory only).

    Parameters
    ----------
    key : bytes
        The shared linkage key (:func:`htwork.linkage.load_key`).
    spec : BloomSpec, optional
        Bloom filter parameters.
    """

    def __init__(self, key: bytes, spec: BloomSpec = DEFAULT_SPEC) -> None:
        if spec.hashes > 16 or spec.bits & (spec.bits - 1) or spec.bits > 65536:
            raise InputError("Bloom filter: bits must be a power of two up to 65536 and "
                             "hashes at most 16")
        self.spec = spec
        self.fingerprint = key_fingerprint(key)
        self._bloom_key = subkey(key, "bloom")
        self._field_key = subkey(key, "field")
        self._record_key = subkey(key, "record")
        seed = int.from_bytes(subkey(key, "permutation")[:16], "big")
        n = 2 * spec.bits if spec.balanced else spec.bits
        self._perm = np.random.default_rng(seed).permutation(n)
        self._inv_perm = np.argsort(self._perm)
        self._gram_pos: dict[str, np.ndarray] = {}
        self._field_cache: dict[str, str] = {}
        self._token_keys: dict[str, bytes] = {}
        self._combo_cache: dict[str, str] = {}
        self._lsh_key = subkey(key, "lsh")
        self._lsh_band_key = subkey(key, "lsh-band")
        self._gram_minhash: dict[str, np.ndarray] = {}
        self._token_gram_ids: dict[str, list[int]] = {}

    def __repr__(self) -> str:
        return f"Encoder(key=<hidden, fingerprint {self.fingerprint}>, spec={self.spec})"

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("an Encoder holds the linkage key and is never pickled")

    # ------------------------------------------------------------------ Bloom filters ------

    def _positions(self, gram: str) -> np.ndarray:
        pos = self._gram_pos.get(gram)
        if pos is None:
            digest = hmac.digest(self._bloom_key, gram.encode("utf-8"), "sha256")
            raw = np.frombuffer(digest, dtype=">u2")[: self.spec.hashes].astype(np.int64)
            pos = raw % self.spec.bits
            self._gram_pos[gram] = pos
        return pos

    def grams(self, tokens: Sequence[str]) -> list[str]:
        """The q-grams of a name's folded tokens: those inside each token (a token shorter than
        q is one gram) plus the token's first and last letter marked as such (``^d``, ``i$``),
        which most spellings of a name share."""
        q = self.spec.qgram
        out = []
        for t in tokens:
            if len(t) < q:
                out.append(t)
            else:
                out.extend([t[i:i + q] for i in range(len(t) - q + 1)])
            out.append("^" + t[0])
            out.append(t[-1] + "$")
        return out

    def base_filter(self, tokens: Sequence[str]) -> np.ndarray:
        """The unbalanced filter of one name, as booleans (for tests and the attack audit)."""
        bits = np.zeros(self.spec.bits, dtype=bool)
        for g in self.grams(tokens):
            bits[self._positions(g)] = True
        return bits

    def _index(self, names: Sequence[tuple[str, ...]]) -> _NameIndex:
        """The distinct names of a list and their grams (each token's grams listed once per
        distinct token, each distinct gram numbered once)."""
        uniq: dict[tuple[str, ...], int] = {}
        codes = np.empty(len(names), dtype=np.int64)
        for i, nm in enumerate(names):
            codes[i] = uniq.setdefault(nm, len(uniq))
        gram_ids: dict[str, int] = {}
        tok_ids = self._token_gram_ids
        tok_ids.clear()
        counts = np.zeros(len(uniq), dtype=np.int64)
        cols: list[int] = []
        for j, nm in enumerate(uniq):
            n0 = len(cols)
            for t in nm:
                ids = tok_ids.get(t)
                if ids is None:
                    ids = [gram_ids.setdefault(g, len(gram_ids)) for g in self.grams((t,))]
                    tok_ids[t] = ids
                cols.extend(ids)
            counts[j] = len(cols) - n0
        return _NameIndex(list(uniq), codes, list(gram_ids), counts,
                          np.asarray(cols, dtype=np.int64))

    def filters(self, names: Sequence[tuple[str, ...]],
                index: _NameIndex | None = None) -> np.ndarray:
        """Stored filters of many names: an ``(n, words)`` int64 array; rows of empty names
        are all zero (stored as missing)."""
        ix = index or self._index(names)
        bits = self.spec.bits
        # the filter is written straight into its permuted places: bit b of the balanced
        # filter (b < bits: the base filter; bits + b: its complement) lands at place inv[b]
        inv = self._inv_perm
        full = np.zeros((len(ix.names), len(inv)), dtype=bool)
        if self.spec.balanced:
            full[:, inv[bits:]] = True
        # each distinct gram is hashed once; the bits of all names are set in one assignment
        if len(ix.cols):
            table = np.empty((len(ix.grams), self.spec.hashes), dtype=np.int64)
            for k, g in enumerate(ix.grams):
                table[k] = self._positions(g)
            pos = table[ix.cols].ravel()
            rows = np.repeat(np.repeat(np.arange(len(ix.names)), ix.counts), self.spec.hashes)
            full[rows, inv[pos]] = True
            if self.spec.balanced:
                full[rows, inv[pos + bits]] = False
        packed = np.packbits(full, axis=1, bitorder="little")
        words = np.ascontiguousarray(packed).view("<u8").view(np.int64)
        words[ix.counts == 0] = 0
        return words[ix.codes]

    def lsh_keys(self, names: Sequence[tuple[str, ...]], lsh: LshSpec | None = None,
                 index: _NameIndex | None = None) -> list[list[str]]:
        """MinHash blocking keys of many names (``lsh.bands`` keys each; none for an empty
        name): see the module's docstring."""
        lsh = lsh or DEFAULT_LSH
        k = lsh.bands * lsh.rows
        if not 1 <= k <= 32:
            raise InputError("MinHash blocking: bands * rows must lie between 1 and 32")
        ix = index or self._index(names)
        # 64-bit values: a band key then hides every part of its band (mixing a 32-bit value
        # into a 64-bit state would leave half the state to be read back)
        digests = [bytes([p]) for p in range((k + 7) // 8)]
        table = np.empty((len(ix.grams), k), dtype=np.uint64)
        cache = self._gram_minhash
        for gi, g in enumerate(ix.grams):
            v = cache.get(g)
            if v is None:
                raw = g.encode("utf-8")
                digest = b"".join(hashlib.blake2b(raw, key=self._lsh_key, digest_size=64,
                                                  person=p).digest() for p in digests)
                v = np.frombuffer(digest, dtype="<u8")[:k]
                cache[g] = v
            table[gi] = v
        named = ix.counts > 0
        minima = np.zeros((len(ix.names), k), dtype=np.uint64)
        if named.any():
            starts = np.concatenate([[0], np.cumsum(ix.counts)[:-1]])[named]
            minima[named] = np.minimum.reduceat(table[ix.cols, :k], starts, axis=0)
        # each band's minima (keyed values already) are mixed with a keyed constant per band
        # into one 64-bit key by the splitmix64 finaliser (a bijection of 64-bit integers)
        salts = np.frombuffer(hashlib.blake2b(b"bands", key=self._lsh_band_key,
                                              digest_size=64).digest(),
                              dtype="<u8")[: lsh.bands].copy()
        keys = np.empty((len(ix.names), lsh.bands), dtype=np.uint64)
        for b in range(lsh.bands):
            h = np.full(len(ix.names), salts[b % len(salts)] ^ np.uint64(b), dtype=np.uint64)
            for r in range(lsh.rows):
                h = _mix64(h ^ minima[:, b * lsh.rows + r])
            keys[:, b] = h
        text = keys.astype(">u8").tobytes().hex()
        width = 16 * lsh.bands
        per_name = [[text[o + 16 * b:o + 16 * b + 16] for b in range(lsh.bands)]
                    if ok else [] for o, ok in zip(range(0, len(text), width), named,
                                                   strict=True)]
        return [per_name[c] for c in ix.codes]

    # ------------------------------------------------------------------ keyed hashes -------

    def field_hash(self, label: str, value: str) -> str:
        """Keyed hash (16 hex digits) of one exact value of one field."""
        msg = f"{label}|{value}"
        h = self._field_cache.get(msg)
        if h is None:
            h = hashlib.blake2b(msg.encode("utf-8"), key=self._field_key,
                                digest_size=8).hexdigest()
            self._field_cache[msg] = h
        return h

    def hash_many(self, label: str, values: Sequence[str | None]) -> list[str | None]:
        """:meth:`field_hash` of each value (``None`` stays ``None``), each distinct value
        hashed once."""
        codes, uniq = pd.factorize(pd.Series(list(values), dtype=object), use_na_sentinel=True)
        hashed = np.array([self.field_hash(label, str(u)) for u in uniq] + [None], dtype=object)
        return hashed[codes].tolist()

    def hash_codes(self, label: str, values: np.ndarray, mask: np.ndarray,
                   fmt: Callable[[int], str]) -> list[str | None]:
        """:meth:`field_hash` of ``fmt(v)`` for each integer ``v`` where ``mask`` holds
        (``None`` elsewhere), each distinct value formatted and hashed once."""
        out = np.full(len(values), None, dtype=object)
        if mask.any():
            uniq, inv = np.unique(values[mask], return_inverse=True)
            hashed = np.array([self.field_hash(label, fmt(int(u))) for u in uniq],
                              dtype=object)
            out[mask] = hashed[inv]
        return out.tolist()

    def token_combo(self, token: str, context: str) -> str:
        """Keyed hash (16 hex digits) of a name token together with a date part.

        The token's key is ``HMAC-SHA256(field key, token)``; the combination is keyed BLAKE2b
        of the date part under that key (a MAC, and four times faster than a second HMAC: a
        list has several of these per record).
        """
        msg = f"{token}|{context}"
        h = self._combo_cache.get(msg)
        if h is None:
            tk = self._token_keys.get(token)
            if tk is None:
                tk = hmac.digest(self._field_key, f"tok|{token}".encode(), "sha256")
                self._token_keys[token] = tk
            h = hashlib.blake2b(context.encode(), key=tk, digest_size=8).hexdigest()
            self._combo_cache[msg] = h
        return h

    def token_combos(self, tokens: Sequence[str], context: str) -> list[str]:
        """:meth:`token_combo` of several tokens with one context (not cached: a date part
        with a token rarely repeats)."""
        keys = self._token_keys
        ctx = context.encode()
        blake = hashlib.blake2b
        out = []
        for token in tokens:
            tk = keys.get(token)
            if tk is None:
                tk = hmac.digest(self._field_key, f"tok|{token}".encode(), "sha256")
                keys[token] = tk
            out.append(blake(ctx, key=tk, digest_size=8).hexdigest())
        return out

    def record_ids(self, list_name: str, rows: Sequence[int]) -> list[str]:
        """:meth:`record_id` of many rows."""
        key = self._record_key
        blake = hashlib.blake2b
        return [blake(f"{list_name}|{r}".encode(), key=key, digest_size=8).hexdigest()
                for r in rows]

    def record_id(self, list_name: str, row: int) -> str:
        """The keyed record number of one row (the agency can recompute it; nobody else can)."""
        msg = f"{list_name}|{row}".encode()
        return hashlib.blake2b(msg, key=self._record_key, digest_size=8).hexdigest()


@dataclass
class EncodedList(Result):
    """One agency's encoded list: the keyed columns and the metadata stored with them.

    Attributes
    ----------
    frame : DataFrame
        ``rid``, the Bloom filter columns, keyed hashes and blocking keys; one row per record,
        sorted by ``rid``.
    meta : dict
        Format, version, list name, key fingerprint, Bloom filter parameters, counts.
    """

    frame: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def list_name(self) -> str:
        return self.meta["list"]

    @property
    def key_fingerprint(self) -> str:
        return self.meta["key_fingerprint"]

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return (f"EncodedList(list={self.list_name!r}, records={len(self)}, "
                f"key_fingerprint={self.key_fingerprint!r})")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in self.summary_dict().items())
        return f"<p><b>Encoded list</b></p><table>{rows}</table>"

    def summary_dict(self) -> dict[str, Any]:
        return {"list": self.list_name, "records": len(self),
                "key fingerprint": self.key_fingerprint,
                "missing name": self.meta.get("missing", {}).get("name"),
                "missing birth date": self.meta.get("missing", {}).get("dob"),
                "year of birth only": self.meta.get("partial_dob"),
                "missing sex": self.meta.get("missing", {}).get("sex")}

    def summary(self) -> str:
        return "\n".join(f"{k}: {v}" for k, v in self.summary_dict().items())

    def _data(self) -> dict[str, Any]:
        return dict(self.meta)

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def save(self, path: str | Path) -> Path:
        """Write the encoding as Parquet (atomically; metadata in the file's schema)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        from htwork.io.write import atomic_write

        table = pa.Table.from_pandas(self.frame, preserve_index=False)
        meta = {_META_KEY: json.dumps(self.meta, sort_keys=True).encode()}
        table = table.replace_schema_metadata(meta)
        buf = pa.BufferOutputStream()
        pq.write_table(table, buf, compression="zstd")
        with atomic_write(path, "wb") as fh:
            fh.write(buf.getvalue().to_pybytes())
        return Path(path)


# English, HTCDS, Thai, Vietnamese, Indonesian/Malay, Khmer, Lao and Burmese form headers
_NAME_COLS = ("name", "full_name", "fullname", "full name", "person_name", "prs_fullname",
              "ชื่อ-นามสกุล", "ชื่อ นามสกุล", "ชื่อสกุล", "ชื่อ-สกุล", "ho_ten", "họ tên",
              "họ và tên", "nama", "nama lengkap", "ឈ្មោះ", "គោត្តនាម និងនាម", "ຊື່ ແລະ ນາມສະກຸນ",
              "အမည်")
_GIVEN_COLS = ("given_name", "given", "first_name", "firstname", "first name", "forename",
               "prs_firstname", "ชื่อ", "tên", "nama depan", "នាម", "ຊື່")
_FAMILY_COLS = ("family_name", "family", "last_name", "lastname", "last name", "surname",
                "prs_lastname", "นามสกุล", "họ", "nama belakang", "nama keluarga", "គោត្តនាម",
                "ນາມສະກຸນ")
_DOB_COLS = ("dob", "date_of_birth", "birth_date", "birthdate", "date of birth", "prs_birthdate",
             "birth", "born",
             "วันเกิด", "วันเดือนปีเกิด", "ngày sinh", "tanggal lahir", "tarikh lahir",
             "ថ្ងៃខែឆ្នាំកំណើត", "ວັນເດືອນປີເກີດ", "မွေးသက္ကရာဇ်", "မွေးနေ့")
_SEX_COLS = ("sex", "gender", "prs_gender", "เพศ", "giới tính", "jenis kelamin", "jantina",
             "ភេទ", "ເພດ", "ကျား/မ")


def _norm_col(c: Any) -> str:
    # spaces, underscores and hyphens alike: "Given name", "given_name", "given-name"
    return re.sub(r"[\s_\-]+", " ", str(c)).strip().casefold()


def _ends_with_words(header: str, name: str) -> bool:
    """``header`` ends with ``name`` after a space or an underscore ("victim full name")."""
    return header != name and (header.endswith(" " + name) or header.endswith("_" + name))


def find_columns(columns: Sequence[Any], *, name: str | None = None, given: str | None = None,
                 family: str | None = None, dob: str | None = None, sex: str | None = None,
                 file: str | None = None) -> dict[str, str | None]:
    """Which of a list's columns hold the name (or given and family names), birth date and sex.

    Columns given explicitly must exist; otherwise common headers are recognised (English,
    HTCDS ``prs_FirstName``/``prs_LastName``/``prs_Birthdate``/``prs_Gender``, Thai,
    Vietnamese, Indonesian and Malay, Khmer, Lao, Burmese), and, failing those, the one
    header that ends with a name column's name ("Victim full name") when no header ends with
    a given or family name.

    Raises
    ------
    htwork.errors.InputError
        When a named column is absent, or no name column is found.
    """
    by_norm = {_norm_col(c): str(c) for c in columns}

    def pick(explicit: str | None, candidates: Sequence[str], what: str) -> str | None:
        if explicit is not None:
            if explicit in columns:
                return explicit
            if _norm_col(explicit) in by_norm:
                return by_norm[_norm_col(explicit)]
            raise InputError(f"no {what} column {explicit!r} (columns: "
                             f"{', '.join(map(str, columns))})", file=file, column=explicit)
        for c in candidates:
            if _norm_col(c) in by_norm:
                return by_norm[_norm_col(c)]
        return None

    def name_by_suffix() -> str | None:
        # a header that ends with a name column's name as words of its own ("Victim full
        # name", "client_name"), when exactly one does and no header ends with a given or
        # family name ("Victim first name": the list splits names, and which is whose is not
        # for htwork to guess)
        def ends(names: Sequence[str]) -> list[str]:
            return [orig for norm, orig in by_norm.items()
                    if any(_ends_with_words(norm, _norm_col(c)) for c in names)]

        found = ends(_NAME_COLS)
        if len(found) != 1 or ends(_GIVEN_COLS + _FAMILY_COLS):
            return None
        return found[0]

    out = {"name": pick(name, _NAME_COLS if given is None and family is None else (), "name"),
           "given": pick(given, _GIVEN_COLS, "given-name"),
           "family": pick(family, _FAMILY_COLS, "family-name"),
           "dob": pick(dob, _DOB_COLS, "birth-date"),
           "sex": pick(sex, _SEX_COLS, "sex")}
    if out["name"] is None and out["given"] is None and out["family"] is None:
        out["name"] = name_by_suffix()
    if out["name"] is None and out["given"] is None and out["family"] is None:
        raise InputError(
            "the list has no name column (columns: " + ", ".join(map(str, columns)) + ")",
            file=file,
            hint="name the column 'name' (or 'given_name' and 'family_name'), or say which "
            "column holds names with name=... / --name-column",
        )
    return out


def _iso(c: int) -> str:
    """``YYYY-MM-DD`` of a date coded ``year * 10000 + month * 100 + day``."""
    return f"{c // 10000:04d}-{c // 100 % 100:02d}-{c % 100:02d}"


def _check_list_name(list_name: str, file: str | None = None) -> str:
    list_name = str(list_name).strip()
    if not _LIST_NAME.match(list_name):
        raise InputError(
            f"list name {list_name!r} cannot be used: use 1 to 40 letters, digits, '_', '-' or "
            "'+', starting with a letter or digit (no spaces)", file=file,
            hint="for example 'Police', 'NGO_A' or 'Labour'")
    return list_name


def encode(data: pd.DataFrame, key: bytes, list_name: str, *, name: str | None = None,
           given: str | None = None, family: str | None = None, dob: str | None = None,
           sex: str | None = None, dayfirst: bool = True, spec: BloomSpec = DEFAULT_SPEC,
           lsh: LshSpec = DEFAULT_LSH, source: str | None = None) -> EncodedList:
    """Encode an agency's list with the shared key.

    Parameters
    ----------
    data : DataFrame
        One row per record. Its index is used as the row number in messages (as
        :func:`htwork.io.read_table` numbers rows).
    key : bytes
        The shared linkage key.
    list_name : str
        The list's name in the capture table (``"Police"``): letters, digits, ``_-+``.
    name, given, family, dob, sex : str, optional
        Column names; recognised from common headers when not given. Either ``name`` (the
        full name in one cell) or ``given`` and/or ``family`` is needed.
    dayfirst : bool, default True
        Read ``05/06/1990`` as 5 June.
    spec : BloomSpec, optional
        Bloom filter parameters (all agencies must use the same).
    lsh : LshSpec, optional
        MinHash blocking parameters (all agencies must use the same).
    source : str, optional
        File name for messages (never written into the encoding).

    Returns
    -------
    EncodedList

    Raises
    ------
    htwork.errors.InputError
        An empty list, no name column, no name in any row, a bad list name.
    """
    list_name = _check_list_name(list_name, source)
    if not isinstance(data, pd.DataFrame):
        raise InputError("the list must be a table (a pandas DataFrame)", file=source)
    if len(data) == 0:
        raise InputError("the list is empty: it has no records to encode", file=source,
                         hint="check that the right file was given and that it has rows "
                         "below the header")
    cols = find_columns(list(data.columns), name=name, given=given, family=family, dob=dob,
                        sex=sex, file=source)
    enc = Encoder(key, spec)
    if cols["name"] is not None:
        full = data[cols["name"]]
    else:
        parts = [data[c].where(data[c].notna(), "").astype(str)
                 for c in (cols["family"], cols["given"]) if c is not None]
        full = parts[0] if len(parts) == 1 else parts[0] + " " + parts[1]
    names = normalise_names(full.tolist())
    if not any(names):
        raise InputError("no record has a usable name", file=source,
                         column=cols["name"] or cols["given"] or cols["family"],
                         hint="the name column is empty or holds no letters")
    n = len(data)
    if cols["dob"] is not None:
        d = normalise_dob(data[cols["dob"]].tolist(), dayfirst=dayfirst)
    else:
        d = pd.DataFrame({"year": pd.array([None] * n, dtype="Int64"),
                          "month": pd.array([None] * n, dtype="Int64"),
                          "day": pd.array([None] * n, dtype="Int64"),
                          "problem": np.zeros(n, dtype=bool)})
    sexes = normalise_sex(data[cols["sex"]].tolist()) if cols["sex"] is not None else [None] * n
    years = d["year"].to_numpy(dtype=np.int64, na_value=-1)
    months = d["month"].to_numpy(dtype=np.int64, na_value=-1)
    days = d["day"].to_numpy(dtype=np.int64, na_value=-1)

    hm = enc.hash_many
    has_y, has_m, has_d = years > 0, months > 0, days > 0
    full_date = has_y & has_m & has_d
    ymd = years * 10000 + months * 100 + days
    swap_ok = full_date & (days <= 12) & (days != months)
    name_keys = [" ".join(nm) if nm else None for nm in names]
    h_name = hm("name", name_keys)
    hc = enc.hash_codes
    h_dob = hc("dob", ymd, full_date, _iso)
    h_swap = hc("dob", ymd, swap_ok,
                lambda c: f"{c // 10000:04d}-{c % 100:02d}-{c // 100 % 100:02d}")
    h_ym = hc("ym", years * 100 + months, has_y & has_m, lambda c: f"{c // 100:04d}-{c % 100:02d}")
    h_y = hc("y", years, has_y, lambda c: f"{c:04d}")
    h_y1 = hc("y", years + 1, has_y, lambda c: f"{c:04d}")
    h_dob1 = hc("dob", ymd + 10000, full_date, _iso)
    h_sex = hm("sex", sexes)
    toks_of = {}
    for nm in set(names):
        toks_of[nm] = key_tokens(nm)
    combo = enc.token_combo
    pairs_of = {nm: [combo(a, f"tp|{b}") for j, a in enumerate(toks[:4]) for b in toks[j + 1:4]]
                for nm, toks in toks_of.items()}
    blk_tp = [pairs_of[nm] for nm in names]
    first_tok = {nm: (combo(toks[0], "t1") if toks else None) for nm, toks in toks_of.items()}
    h_tok = [first_tok[nm] for nm in names]
    # each name token alone, but not the tokens many records of this list hold: they cannot be
    # rare at the coordinator, and their frequencies are what a frequency attack reads
    held = Counter(t for nm in names for t in toks_of[nm])
    sent = [t for t, c in held.items() if c <= TOKEN_LIST_MAX]
    tok_hash = dict(zip(sent, enc.token_combos(sent, "t"), strict=True))
    tok_of = {nm: sorted(tok_hash[t] for t in toks if t in tok_hash)
              for nm, toks in toks_of.items()}
    blk_t = [tok_of[nm] for nm in names]
    # each distinct (name, year) and (name, day and month) is hashed once
    none: list[str] = []
    ty_key = [(nm, y) if y > 0 else None for nm, y in zip(names, years.tolist(), strict=True)]
    combos = enc.token_combos
    ty_of = {k: combos(toks_of[k[0]], f"ty|{k[1]:04d}") for k in set(ty_key) if k is not None}
    blk_ty = [ty_of[k] if k is not None else none for k in ty_key]
    md = np.where(has_m & has_d, months * 100 + days, -1).tolist()
    tmd_key = [(nm, c) if c > 0 else None for nm, c in zip(names, md, strict=True)]
    tmd_of = {k: combos(toks_of[k[0]], f"tmd|{k[1] // 100:02d}-{k[1] % 100:02d}")
              for k in set(tmd_key) if k is not None}
    blk_tmd = [tmd_of[k] if k is not None else none for k in tmd_key]
    rows = [int(r) if isinstance(r, int | np.integer) else i + 2
            for i, r in enumerate(data.index)]
    frame = pd.DataFrame({"rid": enc.record_ids(list_name, rows)})
    index = enc._index(names)
    bf = enc.filters(names, index)
    empty = np.array([not nm for nm in names])
    for j in range(spec.words):
        frame[f"bf_{j}"] = pd.arrays.IntegerArray(bf[:, j].copy(), empty.copy())
    empty = np.array([not nm for nm in names])
    for c, v in zip(FIELD_COLUMNS, (h_name, h_dob, h_swap, h_dob1, h_ym, h_y, h_y1, h_sex,
                                    h_tok),
                    strict=True):
        frame[c] = pd.array(v, dtype=object)
    frame["blk_ty"] = blk_ty
    frame["blk_tmd"] = blk_tmd
    frame["blk_tp"] = blk_tp
    frame["blk_lsh"] = enc.lsh_keys(names, lsh, index)
    frame["blk_t"] = blk_t
    if frame["rid"].duplicated().any():
        raise InputError("two rows have the same row number", file=source,
                         hint="give a table whose index holds distinct row numbers")
    frame = frame.sort_values("rid", kind="stable").reset_index(drop=True)
    meta = {
        "format": ENCODING_FORMAT,
        "version": ENCODING_VERSION,
        "list": list_name,
        "records": n,
        "key_fingerprint": enc.fingerprint,
        "bloom": spec.to_dict(),
        "lsh": lsh.to_dict(),
        "fields": {"h_name": "folded name tokens, sorted", "h_dob": "birth date",
                   "h_dob_swap": "birth date with day and month swapped",
                   "h_dob1": "birth date a year later",
                   "h_ym": "birth year and month", "h_y": "birth year",
                   "h_y1": "birth year + 1", "h_sex": "sex",
                   "h_tok": "the first name token in alphabetical order (model training)",
                   "blk_ty": "each name token with the birth year",
                   "blk_tmd": "each name token with the birth day and month",
                   "blk_tp": "each pair of name tokens",
                   "blk_lsh": "MinHash bands of the name's q-grams",
                   "blk_t": "each name token at most "
                            f"{TOKEN_LIST_MAX} records of the list hold (its frequency "
                            "weighs a shared token)"},
        "hash": "keyed BLAKE2b (64 bits) under a sub-key of the shared key",
        "normalisation": {"version": NORMALISATION_VERSION, "libraries": _versions()},
        "missing": {"name": int(empty.sum()), "dob": int((years < 0).sum()),
                    "sex": int(sum(s is None for s in sexes))},
        "partial_dob": int(((years > 0) & (days < 0)).sum()),
        "unreadable_dob": int(d["problem"].sum()),
    }
    return EncodedList(frame, meta)


def encode_file(list_path: str | Path, key_path: str | Path, out_path: str | Path, *,
                list_name: str | None = None, name: str | None = None, given: str | None = None,
                family: str | None = None, dob: str | None = None, sex: str | None = None,
                dayfirst: bool = True, sheet: str | int | None = None) -> EncodedList:
    """Read an agency's list, encode it with the key in ``key_path`` and write ``out_path``.

    This is ``htwork encode LIST --key KEYFILE --out enc.parquet``.

    Parameters
    ----------
    list_path : str or Path
        The agency's list: CSV, TSV, Excel or Parquet, one row per record.
    key_path : str or Path
        The shared key file (:func:`htwork.linkage.new_key`).
    out_path : str or Path
        The encoding to write (Parquet). Never the list or the key file.
    list_name : str, optional
        The list's name in the capture table; the output file's stem when omitted (never the
        input's name, which may name the agency's folder structure).
    name, given, family, dob, sex : str, optional
        Column names (recognised when omitted).
    dayfirst : bool, default True
        Read ``05/06/1990`` as 5 June.
    sheet : str or int, optional
        Excel sheet.

    Returns
    -------
    EncodedList
        What was written.

    Raises
    ------
    htwork.errors.InputError
        Bad input; nothing is written.
    """
    from htwork.io import read_table
    from htwork.io.files import same_file

    list_path, key_path, out_path = Path(list_path), Path(key_path), Path(out_path)
    key = load_key(key_path)
    for other, what in ((list_path, "the list"), (key_path, "the key file")):
        if out_path.exists() and same_file(out_path, other):
            raise InputError(f"the output would overwrite {what}", file=out_path,
                             hint="write the encoding to a new file")
    if out_path.suffix.lower() not in (".parquet", ".pq"):
        raise InputError("the encoding is written as Parquet: give a path ending in .parquet",
                         file=out_path)
    from htwork.io.guard import check_output

    # a missing folder above the output is made once the encoding succeeds (nothing is written
    # on bad input); the nearest folder that exists must be writable
    check_output(out_path, [list_path, key_path], what="the encoding", make_parents=True)
    try:
        df = read_table(list_path, sheet=sheet)
    except InputError as exc:
        if "empty" in str(exc).lower() or "no rows" in str(exc).lower():
            raise InputError("the list is empty: it has no records to encode",
                             file=list_path) from None
        raise
    df = df.loc[df.notna().any(axis=1)]
    if list_name is None:
        list_name = re.sub(r"[^A-Za-z0-9_+\-]+", "_", out_path.stem).strip("_") or "list"
    result = encode(df, key, list_name, name=name, given=given, family=family, dob=dob,
                    sex=sex, dayfirst=dayfirst, source=str(list_path))
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot make the folder of the output: {exc.strerror}",
                         file=out_path) from None
    result.save(out_path)
    return result


def read_encoded(path: str | Path) -> EncodedList:
    """Read an encoding written by :func:`encode_file`, checking that it is one.

    Raises
    ------
    htwork.errors.InputError
        Not a Parquet file, not an htwork encoding, or one of another format version.
    """
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.is_file():
        raise InputError("the encoded list does not exist", file=path)
    try:
        table = pq.read_table(path)
    except Exception:
        raise InputError("this is not a Parquet file made by 'htwork encode'", file=path,
                         hint="give the .parquet files the agencies made with htwork encode"
                         ) from None
    raw = (table.schema.metadata or {}).get(_META_KEY)
    if raw is None:
        raise InputError("this Parquet file is not an htwork encoding (no encoding metadata)",
                         file=path, hint="each agency makes its file with 'htwork encode'")
    meta = json.loads(raw)
    if meta.get("format") != ENCODING_FORMAT:
        raise InputError(f"unknown encoding format {meta.get('format')!r}", file=path)
    if meta.get("version") != ENCODING_VERSION:
        raise InputError(
            f"this encoding was made by another version of htwork's encoder (format version "
            f"{meta.get('version')}, this htwork reads version {ENCODING_VERSION})", file=path,
            hint="ask every agency to encode again with the same htwork version")
    import pyarrow as pa

    int64: dict[pa.DataType, Any] = {pa.int64(): pd.Int64Dtype()}
    frame = table.to_pandas(types_mapper=int64.get)
    for c in LIST_COLUMNS:
        if c in frame.columns:
            frame[c] = [[str(x) for x in v] if v is not None else [] for v in frame[c]]
    for c in FIELD_COLUMNS:
        if c in frame.columns:
            frame[c] = frame[c].astype(object).where(frame[c].notna(), None)  # type: ignore[call-overload]  # pandas-stubs: None
    words = meta.get("bloom", {}).get("stored_bits", 0) // 64
    need = ["rid", *[f"bf_{i}" for i in range(words)], *FIELD_COLUMNS, *LIST_COLUMNS]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise InputError(f"the encoding lacks columns {', '.join(missing)}", file=path,
                         hint="the file was changed after encoding; encode the list again")
    return EncodedList(frame, meta)
