"""The fast path's QR matrix is segno's, module for module, mask choice included."""

import random

import pytest
import segno

from courses.certificates import codes, qr


def _urls(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    hosts = ["http://testserver", "https://boiduong.example", "https://daotao.tinhuy.ninhbinh.vn"]
    urls = []
    for _ in range(count):
        code = "".join(rng.choice(codes.ALPHABET) for _ in range(codes.LENGTH))
        path = "/x" * rng.randrange(0, 60)  # long enough for versions 7+ (version information)
        urls.append(f"{rng.choice(hosts)}{path}/verify/{codes.display(code)}")
    return urls


@pytest.mark.parametrize("url", _urls(120, seed=20))
def test_matrix_is_segnos(url):
    expected = segno.make(url, error="m")
    assert qr.matrix(url) == tuple(expected.matrix)


def test_every_mask_and_version_information_are_covered():
    # The comparison above means something only if segno's choice varies.
    made = [segno.make(url, error="m") for url in _urls(120, seed=20)]
    assert len({code.mask for code in made}) >= 6
    assert max(code.version for code in made) >= 7  # with version information


def test_micro_codes_are_segnos_too():
    assert qr.matrix("-") == tuple(segno.make("-", error="m").matrix)
