"""The signed credential verifies against the published key, and only unchanged."""

import json

import pytest

from courses.certificates import signing
from courses.certificates.signing import BadSignature, b64url, b64url_decode

pytestmark = pytest.mark.django_db


@pytest.fixture
def download(login, cast, certificate):  # type: ignore[no-untyped-def]
    response = login(cast.learner).get(f"/certificates/{certificate.pk}/credential/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


@pytest.fixture
def published(client):  # type: ignore[no-untyped-def]
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return response.json()


def test_credential_is_an_open_badge_verifiable_credential(download, certificate):
    credential = download["credential"]
    assert "https://www.w3.org/ns/credentials/v2" in credential["@context"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["credentialSubject"]["name"] == "Nguyễn Thị Hồng Nhung"
    assert credential["credentialSubject"]["achievement"]["name"] == certificate.course_title
    assert credential["issuer"]["name"] == "Đảng bộ A"
    assert credential["id"] == f"http://testserver/verify/{certificate.display_code}"
    assert credential["validUntil"].startswith(certificate.expires_on.isoformat())
    assert download["jwks_uri"] == "http://testserver/.well-known/jwks.json"


def test_signature_verifies_against_the_published_key(download, published):
    assert published["keys"][0]["kty"] == "OKP"
    assert published["keys"][0]["crv"] == "Ed25519"
    assert "d" not in published["keys"][0]  # never the private part
    payload = signing.verify(download["jws"], published)
    claims = {"iss", "sub", "nbf", "jti", "exp"}
    assert {k: v for k, v in payload.items() if k not in claims} == download["credential"]


def _resign_payload(token: str, change) -> str:  # type: ignore[no-untyped-def]
    head, body, sig = token.split(".")
    payload = json.loads(b64url_decode(body))
    change(payload)
    return ".".join([head, b64url(json.dumps(payload, ensure_ascii=False).encode()), sig])


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["credentialSubject"].update(name="Nguyễn Thị Hồng Nhun"),
        lambda p: p["credentialSubject"]["achievement"].update(name="Khóa khác"),
        lambda p: p.update(validUntil="2099-12-31T23:59:59+07:00"),
        lambda p: p["issuer"].update(name="Đảng bộ B"),
        lambda p: p.update(id=p["id"][:-1] + "0"),
        lambda p: p.pop("validFrom"),
    ],
)
def test_any_change_to_the_credential_breaks_the_signature(download, published, change):
    with pytest.raises(BadSignature):
        signing.verify(_resign_payload(download["jws"], change), published)


def test_a_changed_signature_or_header_fails(download, published):
    head, body, sig = download["jws"].split(".")
    raw = bytearray(b64url_decode(sig))
    for i in (0, 31, 63):
        flipped = bytearray(raw)
        flipped[i] ^= 1
        with pytest.raises(BadSignature):
            signing.verify(f"{head}.{body}.{b64url(bytes(flipped))}", published)
    header = json.loads(b64url_decode(head))
    header["alg"] = "none"
    with pytest.raises(BadSignature):
        signing.verify(f"{b64url(json.dumps(header).encode())}.{body}.{sig}", published)
    with pytest.raises(BadSignature):
        signing.verify("not-a-token", published)


def test_another_key_does_not_verify(download, settings):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = signing.public_jwk(Ed25519PrivateKey.generate().public_key())
    other["kid"] = signing.public_jwk()["kid"]
    with pytest.raises(BadSignature):
        signing.verify(download["jws"], {"keys": [other]})


def test_credential_download_is_scoped(login, cast, certificate):
    assert (
        login(cast.learner_b).get(f"/certificates/{certificate.pk}/credential/").status_code == 404
    )


def test_dev_key_is_generated_once_into_the_key_file(settings, tmp_path):
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "private" / "key.pem")
    settings.DEBUG = True
    first = signing.public_jwk()
    assert (tmp_path / "private" / "key.pem").stat().st_mode & 0o077 == 0
    assert signing.public_jwk() == first


def test_production_without_a_key_refuses_to_invent_one(settings, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "missing.pem")
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        signing.private_key()
