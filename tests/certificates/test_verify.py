"""Public verification: no login, status and face only, friendly 404s, rate limit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.certificates import codes, services

pytestmark = pytest.mark.django_db


def test_verification_page_is_public_and_shows_a_valid_certificate(client, certificate):
    response = client.get(f"/verify/{certificate.display_code}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Còn hiệu lực" in page
    for shown in [
        "Nguyễn Thị Hồng Nhung",
        certificate.course_title,
        "Đảng bộ A",
        certificate.serial,
    ]:
        assert shown in page
    assert timezone.localdate(certificate.issued_at).strftime("%d/%m/%Y") in page


def test_verification_page_shows_nothing_more_personal(client, certificate):
    page = client.get(f"/verify/{certificate.display_code}").content.decode()
    learner = certificate.user
    for private in [learner.email, learner.username, "Chi bộ A1"]:
        assert private not in page


def test_code_is_accepted_in_lower_case_and_without_hyphens(client, certificate):
    assert client.get(f"/verify/{certificate.code.lower()}").status_code == 200


def test_revoked_certificate_shows_date_and_reason(client, cast, certificate):
    services.revoke(actor=cast.admin, certificate=certificate, reason="Vi phạm quy chế thi")
    page = client.get(f"/verify/{certificate.display_code}").content.decode()
    assert "Đã thu hồi" in page
    assert "Vi phạm quy chế thi" in page
    certificate.refresh_from_db()
    assert f"thu hồi ngày {timezone.localdate(certificate.revoked_at):%d/%m/%Y}" in page


def test_expired_certificate_says_so(client, certificate):
    type(certificate).objects.filter(pk=certificate.pk).update(expires_on="2020-01-01")
    page = client.get(f"/verify/{certificate.display_code}").content.decode()
    assert "Đã hết hạn" in page
    assert "01/01/2020" in page


@pytest.mark.parametrize(
    "code", ["ZZZZ-ZZZZ-ZZZZ-ZZZZ", "abc", "%3Cscript%3E", "0000000000000000000000000", "ĐẶNG"]
)
def test_unknown_or_malformed_codes_get_a_friendly_404(client, db, code):
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    assert "Không tìm thấy giấy chứng nhận" in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_unknown_well_formed_code_is_404(client, db):
    assert client.get(f"/verify/{codes.display(codes.generate())}").status_code == 404


def test_verify_form_redirects_to_the_code_page(client, certificate):
    response = client.get("/verify/", {"code": certificate.code.lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.display_code}"
    assert client.get("/verify/").status_code == 200
    bad = client.get("/verify/", {"code": "nope"})
    assert bad.status_code == 404
    assert "Mã xác thực không đúng" in bad.content.decode()


def test_lookups_are_rate_limited_per_client(client, settings, certificate):
    settings.CERTIFICATE_VERIFY_RATE = 3
    url = f"/verify/{certificate.display_code}"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert client.get(url).status_code == 429
    other = client.get(url, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    api = client.get(reverse("api-certificate-verify", args=[certificate.display_code]))
    assert api.status_code == 429


def test_cache_outage_does_not_break_verification(client, settings, certificate):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert client.get(f"/verify/{certificate.display_code}").status_code == 200
    url = reverse("api-certificate-verify", args=[certificate.display_code])
    assert client.get(url).status_code == 200


def test_api_verify_is_public_json(api, certificate):
    response = api(None).get(f"/api/certificates/verify/{certificate.display_code}/")
    assert response.status_code == 200
    assert response.json() == {
        "code": certificate.display_code,
        "serial": certificate.serial,
        "former_serial": "",
        "state": "valid",
        "state_label": "Còn hiệu lực",
        "learner_name": "Nguyễn Thị Hồng Nhung",
        "course_title": certificate.course_title,
        "issued_on": timezone.localdate(certificate.issued_at).isoformat(),
        "issuing_unit_name": "Đảng bộ A",
        "expires_on": certificate.expires_on.isoformat(),
        "revoked_on": None,
        "revocation_reason": "",
    }


def test_api_verify_reports_revocation(api, cast, certificate):
    services.revoke(actor=cast.admin, certificate=certificate, reason="Sai sót hồ sơ")
    body = api(None).get(f"/api/certificates/verify/{certificate.code}/").json()
    assert body["state"] == "revoked"
    assert body["revocation_reason"] == "Sai sót hồ sơ"
    assert body["revoked_on"]


@pytest.mark.parametrize("code", ["nope", "ZZZZZZZZZZZZZZZZ", codes.display(codes.generate())])
def test_api_verify_unknown_or_malformed_is_404(api, db, code):
    response = api(None).get(f"/api/certificates/verify/{code}/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.json()["detail"]


def test_verify_page_speaks_for_the_issuer_and_keeps_key_jargon_behind_a_disclosure(
    client, certificate
):
    from courses.certificates.models import CertificateSettings

    CertificateSettings.objects.update_or_create(
        course_id=certificate.course_id,
        defaults={"signatory_title": "T/M BAN THƯỜNG VỤ", "signatory_name": "Lê Văn Ký"},
    )
    page = client.get(f"/verify/{certificate.display_code}").content.decode()
    assert "do Bồi Dưỡng cấp" not in page
    assert "Đảng bộ A</span> cấp và đang còn hiệu lực" in page
    assert "Lê Văn Ký" in page and "T/M BAN THƯỜNG VỤ" in page
    visible, technical = page.split("<details", 1)
    assert "Chi tiết kỹ thuật" in technical
    for jargon in ("Ed25519", "jwks", "Open Badges"):
        assert jargon not in visible and jargon in technical
