"""Browser code from npm is vendored by the build, never fetched from a CDN."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VENDORED = ROOT / "frontend/static/frontend/vendor/jsQR.js"
NPM = ROOT / "node_modules/jsqr/dist/jsQR.js"


def test_vendored_jsqr_is_the_locked_npm_build():
    # `make test` runs `npm ci` when node_modules lacks jsqr, then `make vendor`.
    if not NPM.exists():
        pytest.skip("node_modules/jsqr missing: run `make vendor`")
    assert VENDORED.read_bytes() == NPM.read_bytes(), "run `make vendor`"


def test_scanner_loads_jsqr_from_our_static_files():
    template = ROOT / "frontend/templates/frontend/training/checkin_scanner.html"
    text = template.read_text()
    assert "{% static 'frontend/vendor/jsQR.js' %}" in text
    assert "://" not in text.replace("http://www.w3.org", "")
