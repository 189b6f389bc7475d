"""Views that serve files rather than screens (the screens live in frontend)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import ics, services
from .models import CalendarFeed


@require_GET
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A learner's sessions as an iCalendar feed for phone and desktop calendar apps.

    The URL's long random token is the credential (calendar apps cannot log
    in); an unknown token, or one of a deactivated account, is a plain 404."""
    feed = (
        CalendarFeed.objects.select_related("user__unit")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None or len(token) < 32:
        raise Http404
    body = ics.calendar(services.feed_sessions(feed.user), name="Tập huấn")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tap-huan.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
