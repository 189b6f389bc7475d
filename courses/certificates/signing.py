"""The platform's Ed25519 key, compact JWS (EdDSA) and the published JWKS.

The private key comes from `CERTIFICATE_SIGNING_KEY` (PEM text, e.g. from a
secret store) or the PEM file at `CERTIFICATE_SIGNING_KEY_FILE`. With
neither and DEBUG on, a key is generated once into that file (under
MEDIA_ROOT/private by default, ignored by git) so the demo works; in
production a missing key is a configuration error, never a silent new key
that would invalidate every credential already handed out.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class BadSignature(Exception):
    """The token is malformed, signed by an unknown key, or altered."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _load_or_create(pem: str, path: str, debug: bool) -> Ed25519PrivateKey:
    if pem:
        data = pem.encode()
    else:
        file = Path(path)
        if not file.exists():
            if not debug:
                raise ImproperlyConfigured(
                    "Set CERTIFICATE_SIGNING_KEY or CERTIFICATE_SIGNING_KEY_FILE to the "
                    "platform's Ed25519 private key (PEM)."
                )
            file.parent.mkdir(parents=True, exist_ok=True)
            fresh = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            # Exclusive create: two processes starting at once keep one key.
            try:
                fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(fresh)
        data = file.read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("The certificate signing key must be an Ed25519 key.")
    return key


@functools.cache
def _cached_key(pem: str, path: str, debug: bool) -> Ed25519PrivateKey:
    return _load_or_create(pem, path, debug)


def private_key() -> Ed25519PrivateKey:
    return _cached_key(
        settings.CERTIFICATE_SIGNING_KEY,
        str(settings.CERTIFICATE_SIGNING_KEY_FILE),
        settings.DEBUG,
    )


def public_jwk(public: Ed25519PublicKey | None = None) -> dict[str, str]:
    public = public or private_key().public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x = b64url(raw)
    # RFC 7638 thumbprint: the members in lexical order, no spaces.
    thumbprint = f'{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}'.encode()
    kid = b64url(hashlib.sha256(thumbprint).digest())
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "use": "sig", "alg": "EdDSA"}


def jwks() -> dict[str, list[dict[str, str]]]:
    return {"keys": [public_jwk()]}


def sign(payload: dict[str, Any], *, typ: str = "vc+jwt") -> str:
    """Compact JWS (RFC 7515) of `payload`, EdDSA over Ed25519 (RFC 8037)."""
    header = {"alg": "EdDSA", "kid": public_jwk()["kid"], "typ": typ, "cty": "vc"}
    signing_input = ".".join(
        b64url(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode())
        for part in (header, payload)
    )
    signature = private_key().sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def verify(token: str, keys: dict[str, Any]) -> dict[str, Any]:
    """Check `token` against a JWKS document; return the payload or raise BadSignature."""
    try:
        head, body, sig = token.split(".")
        header = json.loads(b64url_decode(head))
        if header.get("alg") != "EdDSA":
            raise BadSignature("unexpected algorithm")
        jwk = next(k for k in keys["keys"] if k.get("kid") == header.get("kid"))
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            raise BadSignature("unexpected key type")
        public = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
        public.verify(b64url_decode(sig), f"{head}.{body}".encode("ascii"))
        return json.loads(b64url_decode(body))
    except (InvalidSignature, StopIteration, ValueError, KeyError, TypeError) as exc:
        raise BadSignature(str(exc) or exc.__class__.__name__) from exc
