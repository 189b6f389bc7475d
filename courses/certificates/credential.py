"""The machine-checkable credential: Open Badges 3.0 / W3C VC 2.0, secured as a JWS.

The credential JSON is the JWS payload (VC-JOSE-COSE, `typ: vc+jwt`),
signed with the platform's Ed25519 key whose public half is at
/.well-known/jwks.json. The learner downloads both the readable JSON and
the compact JWS; any change to either the payload or the signature makes
verification fail.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import signing
from .models import Certificate


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def credential_json(certificate: Certificate) -> dict[str, Any]:
    site = _site()
    issued = timezone.localtime(certificate.issued_at).isoformat(timespec="seconds")
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
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": certificate.verify_url(),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "issuer": {
            "id": f"urn:boiduong:unit:{certificate.issuing_unit.code}",
            "type": ["Profile"],
            "name": certificate.issuing_unit_name,
            "url": site,
        },
        "validFrom": issued,
        "credentialSubject": {
            "type": ["AchievementSubject"],
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
        "credentialStatus": {
            "id": site + reverse("api-certificate-verify", args=[certificate.display_code]),
            "type": "BoiDuongStatusCheck",
        },
    }
    if certificate.expires_on:
        body["validUntil"] = f"{certificate.expires_on.isoformat()}T23:59:59+07:00"
    return body


def signed_credential(certificate: Certificate) -> dict[str, Any]:
    """What the learner downloads: the credential, its JWS and where the key is."""
    credential = credential_json(certificate)
    return {
        "credential": credential,
        "jws": signing.sign(credential),
        "jwks_uri": _site() + reverse("jwks"),
    }
