"""iCalendar (RFC 5545) for sessions: one invitation, or a learner's feed."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from .models import TrainingSession


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "boiduong.local"


def uid(session: TrainingSession) -> str:
    return f"training-session-{session.pk}@{_host()}"


def event(session: TrainingSession) -> Event:
    ev = Event()
    ev.add("uid", uid(session))
    ev.add("dtstamp", timezone.now())
    ev.add("dtstart", session.starts_at)
    ev.add("dtend", session.ends_at)
    ev.add("summary", session.title)
    ev.add("location", session.venue)
    description = [session.topic] if session.topic else []
    if session.speakers:
        description.append(f"{session.speakers}")
    description.append(settings.SITE_URL + session.get_absolute_url())
    ev.add("description", "\n".join(description))
    ev.add("url", settings.SITE_URL + session.get_absolute_url())
    # Each change (postponed, cancelled, edited) supersedes the copy calendars hold.
    ev.add("sequence", int(session.updated_at.timestamp()) - 1_700_000_000)
    ev.add("last-modified", session.updated_at)
    ev["status"] = vText("CANCELLED" if session.is_cancelled else "CONFIRMED")
    return ev


def calendar(
    sessions: Iterable[TrainingSession], *, name: str = "", method: str = "PUBLISH"
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Bồi Dưỡng//Tập huấn//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for session in sessions:
        cal.add_component(event(session))
    return cal.to_ical()
