"""The platform's Ed25519 key, compact JWS (EdDSA, through jwcrypto) and the published JWKS.

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
import json
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from jwcrypto import jwk, jws
from jwcrypto.common import JWException


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
    """The public key as a JWK; `kid` is its RFC 7638 thumbprint."""
    key = jwk.JWK.from_pyca(public or private_key().public_key())
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": key.export_public(as_dict=True)["x"],
        "kid": key.thumbprint(),
        "use": "sig",
        "alg": "EdDSA",
    }


def jwks() -> dict[str, list[dict[str, str]]]:
    return {"keys": [public_jwk()]}


def sign(claims: dict[str, Any], *, kid: str, typ: str = "JWT") -> str:
    """Compact JWS (RFC 7515) of `claims`, EdDSA over Ed25519 (RFC 8037), by jwcrypto.

    `kid` is a URL a verifier can dereference to the public key (Open Badges
    3.0 allows no other JOSE header than alg, kid, jwk and typ).
    """
    token = jws.JWS(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode())
    key = jwk.JWK.from_pyca(private_key())
    token.add_signature(key, None, protected={"alg": "EdDSA", "kid": kid, "typ": typ})
    return str(token.serialize(compact=True))


def _key_for(kid: str, keys: dict[str, Any]) -> dict[str, Any]:
    """The JWK a header's kid names: the thumbprint itself, or a URL ending in #key-<thumbprint>."""
    thumbprint = kid.rsplit("#key-", 1)[-1]
    return next(k for k in keys["keys"] if k.get("kid") in (kid, thumbprint))


def verify(token: str, keys: dict[str, Any]) -> dict[str, Any]:
    """Check `token` against a JWKS document; return the payload or raise BadSignature."""
    try:
        checked = jws.JWS()
        checked.deserialize(token)
        header = checked.jose_header
        if header.get("alg") != "EdDSA":
            raise BadSignature("unexpected algorithm")
        found = _key_for(str(header.get("kid", "")), keys)
        if found.get("kty") != "OKP" or found.get("crv") != "Ed25519":
            raise BadSignature("unexpected key type")
        checked.verify(jwk.JWK(**found), alg="EdDSA")
        return json.loads(checked.payload)
    except (JWException, StopIteration, ValueError, KeyError, TypeError) as exc:
        raise BadSignature(str(exc) or exc.__class__.__name__) from exc
