"""What an attacker holding the encodings can learn: dictionary and frequency attacks.

An agency's data officer can run these on their own encoding before sending it. The attacker
knows the encoding scheme (it is published) and a list of common names with their frequencies
(a census, a phone book, a simulated list), but not the key.

* **Dictionary attack** — encode every candidate name and look for the same encoding, and read
  the Bloom filters token by token: a name token is in a record if every bit its q-grams set is
  set (Kroll and Steinmetzer's construction attack, simplified). It works whenever the
  attacker can compute encodings: against an *unkeyed* scheme (hashes without a secret, or a
  key everyone knows) it re-identifies every record whose name is made of tokens on the
  attacker's list, even full names never seen whole. Against keyed encodings it needs the key.
* **Frequency attack** — without computing any encoding, rank the records' name encodings by
  how often each occurs and give the most frequent encoding the most frequent public name, the
  second the second, and so on (Kuzu et al. 2011). It needs names repeated often enough that
  their ranks stand out. The same is done token by token on the keyed tokens (``blk_t``): the
  most frequent token hash gets the most frequent public token, and a record counts as
  re-identified when every one of its tokens is guessed right.

:func:`frequency_attack` runs both (the dictionary attack with whatever encoder the attacker
has) and reports the share of records whose name the attacker gets right.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from htwork.core.results import Result
from htwork.linkage.encode import TOKEN_LIST_MAX, EncodedList, Encoder
from htwork.linkage.normalise import key_tokens, normalise_names

__all__ = ["frequency_attack", "AttackResult", "UNKEYED_KEY"]

#: The "key" of an unkeyed scheme: a constant anyone can know (as hashing with no secret).
UNKEYED_KEY = b"\x00" * 32


@dataclass
class AttackResult(Result):
    """Share of records whose name an attacker re-identifies.

    Attributes
    ----------
    records : int
        Records attacked.
    dictionary : float
        Share re-identified by the dictionary attack.
    frequency : float
        Share re-identified by frequency alignment of whole names or of tokens.
    combined : float
        Share re-identified by either (the attacker uses the dictionary where it matches).
    """

    records: int
    dictionary: float
    frequency: float
    combined: float

    def _data(self) -> dict[str, Any]:
        return {"records": self.records, "dictionary": self.dictionary,
                "frequency": self.frequency, "combined": self.combined}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.to_dict()])

    def summary(self) -> str:
        return (f"Attack on {self.records:,} encoded records: dictionary attack re-identifies "
                f"{self.dictionary:.1%}, frequency attack {self.frequency:.1%}, together "
                f"{self.combined:.1%}")

    def __repr__(self) -> str:
        return (f"AttackResult(records={self.records}, dictionary={self.dictionary:.4f}, "
                f"frequency={self.frequency:.4f}, combined={self.combined:.4f})")

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False)


def _decode_tokens(frame: pd.DataFrame, enc: Encoder, tokens: list[str]) -> list[str | None]:
    """Read each record's filter with the attacker's encoder: the candidate tokens all of whose
    bits are set, longest first, skipping those whose grams longer tokens already explain."""
    import numpy as np

    words = enc.spec.words
    cols = [f"bf_{i}" for i in range(words)]
    valid = frame[cols[0]].notna().to_numpy()
    mat = frame[cols].fillna(0).to_numpy(dtype=np.int64).view(np.uint64)
    inv = enc._inv_perm
    masks = np.zeros((len(tokens), words * 64), dtype=bool)
    grams = []
    for j, t in enumerate(tokens):
        g = set(enc.grams((t,)))
        grams.append(g)
        masks[j, inv[np.unique(np.concatenate([enc._positions(x) for x in g]))]] = True
    packed = np.packbits(masks, axis=1, bitorder="little").view(np.uint64)
    present = np.zeros((len(frame), len(tokens)), dtype=bool)
    for j in range(len(tokens)):
        present[:, j] = ((mat & packed[j]) == packed[j]).all(axis=1)
    out: list[str | None] = []
    for i in range(len(frame)):
        if not valid[i]:
            out.append(None)
            continue
        kept: list[str] = []
        covered: set[str] = set()
        for j in np.flatnonzero(present[i]):
            if grams[j] <= covered:
                continue
            kept.append(tokens[j])
            covered |= grams[j]
        out.append(" ".join(sorted(kept)) if kept else None)
    return out


def frequency_attack(encoded: EncodedList, true_names: Sequence[str],
                     public_names: Sequence[str], *,
                     attacker_key: bytes | None = UNKEYED_KEY) -> AttackResult:
    """Attack an encoded list with a public list of names and report what is re-identified.

    Parameters
    ----------
    encoded : EncodedList
        The encoding attacked (rows in the order of ``true_names``: encode a frame whose index
        is ``2, 3, ...`` and the record numbers are matched through the key-less row order of
        ``encoded.meta``; see the tests).
    true_names : sequence of str
        The names really encoded, row by row (for scoring only).
    public_names : sequence of str
        The attacker's knowledge: names as they occur in a population (repeats give the
        frequencies).
    attacker_key : bytes or None
        The key the attacker encodes candidates with: :data:`UNKEYED_KEY` (the scheme is
        unkeyed, or the attacker guesses the published constant), or ``None`` for no
        dictionary attack.

    Returns
    -------
    AttackResult
    """
    frame = encoded.frame
    truth = [" ".join(t) for t in normalise_names(true_names)]
    if len(truth) != len(frame):
        raise ValueError("true_names must have one name per encoded record")
    public_norm = [" ".join(t) for t in normalise_names(public_names)]
    public_norm = [p for p in public_norm if p]
    n = len(frame)
    h_name = frame["h_name"].tolist()
    # dictionary attack: whole names, then token by token through the Bloom filters
    dict_guess: list[str | None] = [None] * n
    if attacker_key is not None:
        enc = Encoder(attacker_key)
        book = {enc.field_hash("name", p): p for p in set(public_norm)}
        dict_guess = [book.get(h) if h is not None else None for h in h_name]
        tokens = sorted({t for p in public_norm for t in p.split()}, key=lambda t: (-len(t), t))
        decoded = _decode_tokens(frame, enc, tokens)
        dict_guess = [g if g is not None else d for g, d in zip(dict_guess, decoded,
                                                                 strict=True)]
    # frequency alignment of identical encodings
    enc_rank = [h for h, _ in Counter(h for h in h_name if h is not None).most_common()]
    pub_rank = [p for p, _ in Counter(public_norm).most_common()]
    assign = dict(zip(enc_rank, pub_rank, strict=False))
    freq_guess = [assign.get(h) if h is not None else None for h in h_name]
    d_ok = sum(g is not None and g == t for g, t in zip(dict_guess, truth, strict=True))
    # frequency alignment of the keyed tokens: a record whose every token is guessed right
    tok_truth = [frozenset(key_tokens(name.split())) for name in truth]
    tok_rank = [h for h, _ in Counter(h for v in frame["blk_t"] for h in set(v)).most_common()]
    # the tokens the encoder leaves out (held by more than TOKEN_LIST_MAX records) are left out
    # of the public ranks too, at the public list's frequencies scaled to the list's size
    scale = n / max(len(public_norm), 1)
    pub_tok = [t for t, c in Counter(t for p in public_norm for t in key_tokens(p.split()))
               .most_common() if c * scale <= TOKEN_LIST_MAX]
    tok_assign = dict(zip(tok_rank, pub_tok, strict=False))
    tok_ok = [bool(want) and {tok_assign.get(h) for h in v} == want
              for v, want in zip(frame["blk_t"], tok_truth, strict=True)]
    f_right = [(g is not None and g == t) or tk
               for g, t, tk in zip(freq_guess, truth, tok_ok, strict=True)]
    f_ok = sum(f_right)
    c_ok = sum((dg == t and t != "") if dg is not None else fr
               for dg, fr, t in zip(dict_guess, f_right, truth, strict=True))
    return AttackResult(n, d_ok / n, f_ok / n, c_ok / n)
