"""The shared linkage key: made once, given to every agency, never sent to the coordinator.

Every encoding is keyed (HMAC-SHA256, or BLAKE2b in its keyed mode) under a key the agencies
share. Without the key nobody (the coordinator included) can compute the encoding of a guessed
name, so a dictionary of names is useless against the encodings. Each use of the key gets its
own sub-key (``HMAC(key, purpose)``), and the encodings carry only a *fingerprint* of the key
(an HMAC of a constant) so that files made with different keys are detected before they are
linked.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from htwork.anonymise.pseudonymise import MIN_KEY_BYTES, check_key, generate_key
from htwork.anonymise.pseudonymise import load_key as _load_key

__all__ = ["new_key", "load_key", "key_fingerprint", "subkey", "MIN_KEY_BYTES"]

_FINGERPRINT_LABEL = b"htwork.linkage key fingerprint v1"


def new_key(path: str | Path) -> Path:
    """Make a new random 256-bit linkage key and write it to ``path`` (readable by its owner
    only; an existing file is never overwritten).

    The key is shared with every agency that encodes a list, through a channel the coordinator
    does not see, and is never written into an encoding or a link folder.

    Parameters
    ----------
    path : str or Path
        Where to write the key (hexadecimal text).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    htwork.errors.InputError
        If a file is already there.
    """
    generate_key(path)
    return Path(path)


def load_key(path: str | Path) -> bytes:
    """Read a key made by :func:`new_key` (at least 16 bytes)."""
    return _load_key(path)


def key_fingerprint(key: bytes) -> str:
    """A public label of the key (16 hex digits): equal for equal keys, and the key cannot be
    found from it."""
    key = check_key(key)
    return hmac.new(key, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


def subkey(key: bytes, purpose: str) -> bytes:
    """The sub-key of one purpose (``"bloom"``, ``"field"``, ``"permutation"``, ``"record"``)."""
    return hmac.new(key, b"htwork.linkage v1 " + purpose.encode(), hashlib.sha256).digest()
