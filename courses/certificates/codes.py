"""Verification codes: 75 random bits in Crockford base32 plus a check character.

A code reads `7K3M-Q9TX-2HVP-R4WC`: fifteen random symbols (5 bits each,
75 bits, far beyond guessing) and a check symbol (Damm's algorithm over
GF(32)) that catches every single mistyped symbol and every swap of two
neighbours, so a typo is reported as a typo instead of looking up a
stranger's certificate.
The alphabet leaves out I, L, O and U; when typed, I and L count as 1 and
O as 0, case and hyphens are ignored.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
RANDOM_LENGTH = 15
LENGTH = RANDOM_LENGTH + 1
_TYPED = str.maketrans({"I": "1", "L": "1", "O": "0"})


def _times_x(value: int) -> int:
    """Multiply by x in GF(32) = GF(2)[x] / (x^5 + x^2 + 1)."""
    value <<= 1
    return value ^ 0b100101 if value & 0b100000 else value


def _interim(text: str) -> int:
    # Damm's scheme over the quasigroup a ∘ b = x·a + b of GF(32): totally
    # anti-symmetric, so every single substitution and every swap of two
    # different neighbours changes the result.
    interim = 0
    for ch in text:
        interim = _times_x(interim) ^ _VALUE[ch]
    return interim


def check_symbol(body: str) -> str:
    """The symbol that brings `body` + symbol back to interim 0."""
    return ALPHABET[_times_x(_interim(body))]


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
    if _interim(text) != 0:
        return None
    return text


def display(code: str) -> str:
    """Grouped for reading aloud and typing: XXXX-XXXX-XXXX-XXXX."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
