"""`segno.make(url, error="m").matrix`, the same modules, in a fifth of the CPU.

segno picks the data mask by scoring all eight in pure Python, 80 % of its
~5 ms per code: more than the rest of a fast certificate PDF. Here segno
encodes with mask 0, the data modules are unmasked again, and the eight
masks are scored with NumPy by segno's own rules (ISO/IEC 18004 7.8.3 as
segno implements it, quirks included: remainder modules keep segno's values
2 and 3). segno then writes the format and version information for the
winner. tests/certificates/test_qr.py checks the result against segno.make.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from segno import encoder

_N3 = bytes((1, 0, 1, 1, 1, 0, 1))


def matrix(url: str) -> tuple[bytearray, ...]:
    code = encoder.encode(url, error="m", mask=0)
    if code.version < 1:  # a Micro QR code: segno's own scoring (only tiny payloads)
        return tuple(encoder.encode(url, error="m").matrix)
    size = len(code.matrix)
    function, encoding, patterns = _layout(size)
    modules = np.frombuffer(b"".join(code.matrix), dtype=np.uint8).reshape(size, size)
    unmasked = np.where(encoding, modules ^ patterns[0], function)
    masked = [np.where(encoding, unmasked ^ pattern, function) for pattern in patterns]
    scores = [_penalty(m) for m in masked]
    best = scores.index(min(scores))  # the first lowest, as segno keeps it
    if best == 0:
        return tuple(code.matrix)
    final = tuple(bytearray(row.tobytes()) for row in masked[best])
    encoder.add_format_info(final, code.version, code.error, best)
    encoder.add_version_info(final, code.version)
    return final


@cache
def _layout(size: int) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Function patterns before data (as segno builds them), the data region, the 8 masks."""
    function = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(function, size, size)
    encoder.add_alignment_patterns(function, size, size)
    grid = np.array(function, dtype=np.uint8)
    encoding = grid > 1
    i, j = np.indices((size, size))
    patterns = [
        np.vectorize(fn)(i, j).astype(np.uint8) & encoding
        for fn in encoder.get_data_mask_functions(False)
    ]
    return grid, encoding, patterns


def _penalty(m: np.ndarray) -> int:
    """segno.encoder.evaluate_mask on a NumPy matrix."""
    size = m.shape[0]
    n1 = _runs(m) + _runs(m.T)
    n2 = 3 * int(
        np.count_nonzero(
            (m[1:, 1:] == m[1:, :-1]) & (m[1:, 1:] == m[:-1, 1:]) & (m[1:, 1:] == m[:-1, :-1])
        )
    )
    n3 = _n3(m) + _n3(m.T)
    percent = float(int(m.sum(dtype=np.int64))) / (size**2)
    n4 = 10 * int(abs(percent * 100 - 50) / 5)
    return n1 + n2 + n3 + n4


def _runs(m: np.ndarray) -> int:
    """N1: each run of five or more equal modules along a row scores its length - 2."""
    size = m.shape[1]
    padded = np.full((m.shape[0], size + 1), 255, dtype=np.uint8)
    padded[:, :size] = m
    flat = np.concatenate(([255], padded.ravel()))
    starts = np.flatnonzero(flat[1:] != flat[:-1])
    lengths = np.diff(starts)
    long = lengths[lengths >= 5]
    return int(long.sum() - 2 * long.size)


def _n3(m: np.ndarray) -> int:
    """N3 along rows, exactly as segno's n3_pattern_occurrences finds (and skips)
    1:1:3:1:1 in each row; the rows are searched as one buffer, split by a byte
    no module has, so that no match spans two rows."""
    size = m.shape[1]
    padded = np.full((m.shape[0], size + 1), 255, dtype=np.uint8)
    padded[:, :size] = m
    data = padded.tobytes()
    count = 0
    found = data.find(_N3)
    while found != -1:
        start = found - found % (size + 1)
        row, idx = data[start : start + size], found - start
        end = idx + 7
        if (
            idx in (0, size - 7)
            or not any(row[max(idx - 4, 0) : idx])
            or not any(row[end : end + 4])
        ):
            count += 40
        else:
            end = idx + 4  # not isolated by light modules: look again from the middle
        found = data.find(_N3, start + end)
    return count
