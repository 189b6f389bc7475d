"""Requests past authentication, for the type checker: `request.user` is a `User`.

Views behind `@login_required`, and DRF views whose permissions include
`IsAuthenticated`, annotate their request with these instead of narrowing
`User | AnonymousUser` at every use. Annotations only: nothing changes at
run time.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.request import Request

from .models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails  # set by django_htmx.middleware.HtmxMiddleware on every request


class AuthedApiRequest(Request):
    user: User
