"""The CSP header built once gives exactly what django-csp builds on every response."""

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import CachedPolicyCSPMiddleware

HEADER = "Content-Security-Policy"


def both(view):  # type: ignore[no-untyped-def]
    """The header from django-csp and from the cached middleware, for the same view."""
    headers = []
    for middleware in (CSPMiddleware, CachedPolicyCSPMiddleware):
        request = RequestFactory().get("/")
        headers.append(middleware(view)(request).get(HEADER))
    return headers


def test_plain_response_gets_the_same_policy_as_django_csp_builds():
    upstream, cached = both(lambda request: HttpResponse("ok"))
    assert upstream and cached == upstream
    assert "frame-ancestors 'none'" in cached and "object-src 'none'" in cached


def test_a_nonce_asked_for_is_in_the_header_as_with_django_csp(settings):  # type: ignore[no-untyped-def]
    from csp.constants import NONCE, SELF

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}

    def view(request):  # type: ignore[no-untyped-def]
        return HttpResponse(str(request.csp_nonce))

    request = RequestFactory().get("/")
    response = CachedPolicyCSPMiddleware(view)(request)
    assert f"'nonce-{response.content.decode()}'" in response[HEADER]


def test_per_view_policy_and_exemption_are_honoured():
    def updated(request):  # type: ignore[no-untyped-def]
        response = HttpResponse("ok")
        response._csp_update = {"img-src": ["https://anh.example.vn"]}
        return response

    def exempt(request):  # type: ignore[no-untyped-def]
        response = HttpResponse("ok")
        response._csp_exempt = True
        return response

    upstream, cached = both(updated)
    assert "https://anh.example.vn" in cached and cached == upstream
    assert both(exempt) == [None, None]


def test_changed_setting_is_used_at_once(settings):  # type: ignore[no-untyped-def]
    before = both(lambda request: HttpResponse("ok"))[1]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    after = both(lambda request: HttpResponse("ok"))
    assert after[1] == after[0] == "default-src 'none'" != before


@pytest.mark.django_db
def test_pages_carry_the_cached_header(client):  # type: ignore[no-untyped-def]
    response = client.get("/accounts/login/")
    assert response[HEADER] == both(lambda request: HttpResponse("ok"))[0]
