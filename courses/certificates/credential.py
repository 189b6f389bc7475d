"""The machine-checkable credential: Open Badges 3.0 / W3C VC 2.0, secured as a VC-JWT.

What a generic verifier needs, all public and fetched from the platform:

- `issuer.id` is the https URL of the issuing unit's Profile (JSON-LD, `issuer_profile`),
  which lists the platform's public key as a verification method;
- the JWS header's `kid` is that URL with `#key-<thumbprint>`: dereferencing it
  gives the JWK (also at /.well-known/jwks.json);
- the JWT payload is the credential with the registered claims `iss`, `sub`,
  `nbf`, `jti` and, where the certificate expires, `exp` (OB 3.0 § 8.2);
- `credentialStatus` points into the issuing unit's Bitstring Status List
  (`status_list`), whose bit for the certificate is set once it is revoked or
  replaced.

The learner is named by `credentialSubject.identifier`, an IdentityObject
holding a salted SHA-256 of their email address; `credentialSubject.id` is a
pseudonymous URN derived from the platform secret, the same in all of one
learner's credentials.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from accounts.models import Unit

from . import signing
from .models import Certificate

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
# One status list holds this many certificates (by id): 16 KB uncompressed, the
# smallest the Bitstring Status List specification allows, so no list gives a
# certificate away by its size.
STATUS_LIST_SIZE = 131_072


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def issuer_url(unit: Unit | int) -> str:
    pk = unit if isinstance(unit, int) else unit.pk
    return _site() + reverse("certificate-issuer", args=[pk])


def key_url(unit: Unit | int) -> str:
    """The JWS `kid`: the key as a fragment of the issuer's profile."""
    return f"{issuer_url(unit)}#key-{signing.public_jwk()['kid']}"


def status_list_url(unit: Unit | int, number: int) -> str:
    pk = unit if isinstance(unit, int) else unit.pk
    return _site() + reverse("certificate-status-list", args=[pk, number])


def _instant(value: datetime.datetime) -> tuple[int, str]:
    """(NumericDate, the same second as an ISO date-time in Vietnam's time)."""
    seconds = int(value.timestamp())
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    return seconds, timezone.localtime(moment).isoformat(timespec="seconds")


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def identity_object(certificate: Certificate) -> dict[str, Any]:
    """OB 3.0 IdentityObject: sha256$hex(identity + salt), the salt fixed per certificate.

    The email address (trimmed, lower case) where the learner has one, else
    their user name on the platform.
    """
    user = certificate.user
    email = (user.email or "").strip().lower()
    identity, kind = (email, "emailAddress") if email else (user.username, "userName")
    salt = salted_hmac("certificates.credential.salt", str(certificate.pk)).hexdigest()[:32]
    digest = hashlib.sha256((identity + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": kind,
        "hashed": True,
        "salt": salt,
    }


def subject_id(certificate: Certificate) -> str:
    digest = salted_hmac("certificates.credential.subject", str(certificate.user_id)).digest()
    return f"urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}"


def status_entry(certificate: Certificate) -> dict[str, Any]:
    number, index = divmod(certificate.pk, STATUS_LIST_SIZE)
    url = status_list_url(certificate.issuing_unit_id, number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def credential_json(certificate: Certificate) -> dict[str, Any]:
    site = _site()
    _nbf, issued = _instant(certificate.issued_at)
    result: list[dict[str, Any]] = []
    if certificate.score is not None:
        result.append(
            {
                "type": ["Result"],
                "value": f"{certificate.score:.2f}",
                "status": "Completed",
            }
        )
    with translation.override("vi"):
        narrative = gettext("Hoàn thành khóa bồi dưỡng và đạt yêu cầu.")
    body: dict[str, Any] = {
        "@context": CONTEXTS,
        "id": certificate.verify_url(),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "issuer": {
            "id": issuer_url(certificate.issuing_unit_id),
            "type": ["Profile"],
            "name": certificate.issuing_unit_name,
            "url": site,
        },
        "validFrom": issued,
        "credentialSubject": {
            "id": subject_id(certificate),
            "type": ["AchievementSubject"],
            "identifier": [identity_object(certificate)],
            "name": certificate.learner_name,
            "achievement": {
                "id": f"urn:boiduong:course:{certificate.course.code}",
                "type": ["Achievement"],
                "name": certificate.course_title,
                "description": certificate.course_title,
                "criteria": {"narrative": narrative},
            },
            "result": result,
        },
        "credentialStatus": status_entry(certificate),
    }
    if certificate.expires_on:
        body["validUntil"] = _instant(_end_of(certificate.expires_on))[1]
    return body


def jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """The credential as a VC-JWT payload: itself plus the registered claims."""
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": int(datetime.datetime.fromisoformat(credential["validFrom"]).timestamp()),
        "jti": credential["id"],
    }
    if "validUntil" in credential:
        claims["exp"] = int(datetime.datetime.fromisoformat(credential["validUntil"]).timestamp())
    return claims


def signed_credential(certificate: Certificate) -> dict[str, Any]:
    """What the learner downloads: the credential, its VC-JWT and where the key is."""
    credential = credential_json(certificate)
    return {
        "credential": credential,
        "jws": signing.sign(jwt_claims(credential), kid=key_url(certificate.issuing_unit_id)),
        "jwks_uri": _site() + reverse("jwks"),
        "issuer_uri": credential["issuer"]["id"],
    }


def issuer_profile(unit: Unit) -> dict[str, Any]:
    """The issuing unit's OB 3.0 Profile, naming the key its credentials are signed with."""
    profile_id = issuer_url(unit)
    kid = key_url(unit)
    profile: dict[str, Any] = {
        "@context": [*CONTEXTS, "https://www.w3.org/ns/cid/v1"],
        "id": profile_id,
        "type": ["Profile"],
        "name": unit.name,
        "url": _site(),
        "verificationMethod": [
            {
                "id": kid,
                "type": "JsonWebKey",
                "controller": profile_id,
                "publicKeyJwk": signing.public_jwk(),
            }
        ],
        "assertionMethod": [kid],
    }
    if unit.place:
        profile["address"] = {
            "type": ["Address"],
            "addressLocality": unit.place,
            "addressCountry": "Việt Nam",
            "addressCountryCode": "VN",
        }
    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    if parent is not None:
        profile["parentOrg"] = {"id": issuer_url(parent), "type": ["Profile"], "name": parent.name}
    return profile


def encoded_list(revoked: list[int]) -> str:
    """GZIP-compressed bitstring, base64url with the multibase 'u' prefix; bit 0 leftmost."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + signing.b64url(gzip.compress(bytes(bits), mtime=0))


def status_list_credential(unit: Unit, number: int) -> str:
    """The unit's revocation list number `number` as a signed VC-JWT (BitstringStatusListCredential)."""
    first = number * STATUS_LIST_SIZE
    revoked = Certificate.objects.filter(
        issuing_unit=unit,
        pk__gte=first,
        pk__lt=first + STATUS_LIST_SIZE,
        status__in=[Certificate.Status.REVOKED, Certificate.Status.REPLACED],
    ).values_list("pk", flat=True)
    url = status_list_url(unit, number)
    nbf, now = _instant(timezone.now())
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url(unit),
        "validFrom": now,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list([pk - first for pk in revoked]),
        },
    }
    claims = {**credential, "iss": credential["issuer"], "sub": f"{url}#list", "nbf": nbf}
    claims["jti"] = url
    return signing.sign(claims, kid=key_url(unit))
