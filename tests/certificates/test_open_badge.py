"""Open Badges 3.0 conformance of the signed credential (issue 17, item 9).

Checked as an outside verifier would, with PyJWT (a dev dependency the
platform never signs with): the key is found from the JWS `kid` through the
issuer's published profile, the registered claims are there, and tampered,
expired and revoked credentials are each told apart.
"""

import base64
import datetime
import gzip
import hashlib
import json

import jwt
import pytest
from django.utils import timezone

from courses.certificates import services
from courses.certificates.models import Certificate
from courses.certificates.signing import b64url, b64url_decode

pytestmark = pytest.mark.django_db

SITE = "https://boiduong.example.vn"


@pytest.fixture(autouse=True)
def _https_site(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = SITE


def _get(client, url: str):  # type: ignore[no-untyped-def]
    """Fetch a public platform URL the way a verifier would (no login)."""
    assert url.startswith(SITE + "/"), url
    client.logout()
    response = client.get(url.removeprefix(SITE))
    assert response.status_code == 200, (url, response.status_code)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def _resolve_kid(client, kid: str) -> jwt.PyJWK:  # type: ignore[no-untyped-def]
    """Dereference the kid: fetch the document it names, take the key it points at."""
    document, _, fragment = kid.partition("#")
    assert fragment.startswith("key-")
    profile = json.loads(_get(client, document).content)
    method = next(m for m in profile["verificationMethod"] if m["id"] == kid)
    assert kid in profile["assertionMethod"]
    assert "d" not in method["publicKeyJwk"]
    return jwt.PyJWK(method["publicKeyJwk"])


def _download(login, user, certificate) -> dict:  # type: ignore[no-untyped-def]
    response = login(user).get(f"/api/certificates/{certificate.pk}/credential/")
    assert response.status_code == 200
    return json.loads(response.content)


def _verify(client, token: str, **options):  # type: ignore[no-untyped-def]
    key = _resolve_kid(client, jwt.get_unverified_header(token)["kid"])
    return jwt.decode(
        token,
        key=key,
        algorithms=["EdDSA"],
        options={"require": ["iss", "sub", "nbf", "jti"], **options},
    )


def _revoked(client, status: dict) -> bool:  # type: ignore[no-untyped-def]
    """The credential's bit in the issuer's Bitstring Status List, checked as a verifier does."""
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    response = _get(client, status["statusListCredential"])
    assert response["Content-Type"] == "application/vc+jwt"
    listing = _verify(client, response.content.decode())
    assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listing["id"] == status["statusListCredential"]
    subject = listing["credentialSubject"]
    assert subject["statusPurpose"] == "revocation"
    assert subject["encodedList"].startswith("u")  # multibase, base64url
    encoded = subject["encodedList"][1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    assert len(bits) * 8 >= 131_072
    index = int(status["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_a_valid_credential_verifies_with_the_key_found_through_its_kid(
    login, cast, certificate, client
):
    download = _download(login, cast.learner, certificate)
    credential, token = download["credential"], download["jws"]
    header = jwt.get_unverified_header(token)
    issuer = credential["issuer"]["id"]
    assert issuer == f"{SITE}/issuers/{cast.unit_a.pk}"
    assert header == {"alg": "EdDSA", "kid": header["kid"], "typ": "JWT"}
    assert header["kid"].startswith(issuer + "#key-")

    claims = _verify(client, token)
    assert claims["iss"] == issuer
    assert claims["jti"] == credential["id"] == certificate.verify_url()
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert claims["sub"].startswith("urn:uuid:")
    validity = {"validFrom": "nbf", "validUntil": "exp"}
    for field, claim in validity.items():
        moment = datetime.datetime.fromisoformat(credential[field])
        assert claims[claim] == int(moment.timestamp()), field
    assert timezone.localdate(datetime.datetime.fromtimestamp(claims["exp"], tz=datetime.UTC)) == (
        certificate.expires_on
    )
    assert not _revoked(client, credential["credentialStatus"])

    # The issuer profile is public JSON-LD that names the unit and its key.
    profile = json.loads(_get(client, issuer).content)
    assert profile["type"] == ["Profile"] and profile["name"] == "Đảng bộ A"
    assert "https://www.w3.org/ns/credentials/v2" in profile["@context"]


def test_the_learner_is_identified_by_a_salted_hash_of_their_email(login, cast, certificate):
    subject = _download(login, cast.learner, certificate)["credential"]["credentialSubject"]
    [identity] = subject["identifier"]
    assert identity["type"] == "IdentityObject"
    assert identity["identityType"] == "emailAddress"
    assert identity["hashed"] is True
    assert len(identity["salt"]) >= 16
    expected = hashlib.sha256(("learner@example.org" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}"
    assert "learner@example.org" not in json.dumps(subject)
    # Stable: the same certificate downloads as the same credential.
    again = _download(login, cast.learner, certificate)["credential"]["credentialSubject"]
    assert again == subject


def test_a_tampered_credential_fails(login, cast, certificate, client):
    token = _download(login, cast.learner, certificate)["jws"]
    head, body, signature = token.split(".")
    payload = json.loads(b64url_decode(body))
    payload["credentialSubject"]["name"] = "Người Khác"
    forged = ".".join([head, b64url(json.dumps(payload).encode()), signature])
    with pytest.raises(jwt.InvalidSignatureError):
        _verify(client, forged)


def test_an_expired_credential_is_told_apart(login, cast, certificate, client):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    token = _download(login, cast.learner, certificate)["jws"]
    with pytest.raises(jwt.ExpiredSignatureError):
        _verify(client, token)
    # Expired, not forged: the signature itself holds.
    assert _verify(client, token, verify_exp=False)["jti"] == certificate.verify_url()


def test_a_revoked_credential_is_told_apart_through_the_status_list(
    login, cast, course, complete, certificate, client
):
    other = Certificate.objects.get(completion=complete(cast.other_learner, course))
    download = _download(login, cast.learner, certificate)
    services.revoke(actor=cast.admin, certificate=certificate, reason="Cấp nhầm người.")
    # The credential handed out before still verifies as signed and in date...
    claims = _verify(client, download["jws"])
    # ...and the issuer's status list says it is revoked; the other one is not.
    assert _revoked(client, claims["credentialStatus"])
    other_status = _download(login, cast.admin, other)["credential"]["credentialStatus"]
    assert not _revoked(client, other_status)


def test_status_lists_and_profiles_exist_only_for_issuers(client, cast, certificate):
    assert client.get(f"/issuers/{cast.unit_b.pk}").status_code == 404  # issued nothing
    assert client.get(f"/issuers/{cast.unit_a.pk}/status/1").status_code == 404
    assert client.get(f"/issuers/{cast.unit_a.pk}/status/0").status_code == 200
