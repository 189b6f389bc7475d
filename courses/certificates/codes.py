"""Verification codes: 75 random bits in Crockford base32 plus a check character.

A code reads `7K3M-Q9TX-2HVP-R4WC`: fifteen random symbols (5 bits each,
75 bits, far beyond guessing) and a Luhn mod 32 check symbol that catches
every single mistyped symbol and every swap of two neighbours, so a typo
is reported as a typo instead of looking up a stranger's certificate.
The alphabet leaves out I, L, O and U; when typed, I and L count as 1 and
O as 0, case and hyphens are ignored.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_N = len(ALPHABET)
RANDOM_LENGTH = 15
LENGTH = RANDOM_LENGTH + 1
_TYPED = str.maketrans({"I": "1", "L": "1", "O": "0"})


def check_symbol(body: str) -> str:
    """Luhn mod N check symbol over `body` (already canonical)."""
    factor = 2
    total = 0
    for ch in reversed(body):
        addend = factor * _VALUE[ch]
        total += addend // _N + addend % _N
        factor = 1 if factor == 2 else 2
    return ALPHABET[(_N - total % _N) % _N]


def generate() -> str:
    """A fresh canonical code (16 symbols, no hyphens)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_symbol(body)


def normalize(typed: str | None) -> str | None:
    """Canonical form of a typed code, or None when it cannot be a code."""
    if not typed:
        return None
    text = "".join(typed.split()).replace("-", "").upper().translate(_TYPED)
    if len(text) != LENGTH or any(ch not in _VALUE for ch in text):
        return None
    if check_symbol(text[:-1]) != text[-1]:
        return None
    return text


def display(code: str) -> str:
    """Grouped for reading aloud and typing: XXXX-XXXX-XXXX-XXXX."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
