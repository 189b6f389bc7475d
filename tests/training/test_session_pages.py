"""The learner's session pages read in Vietnamese: the past sessions' table names the
registration's state, the session page prints its weekday and date (a named date format
cannot be mixed with other letters in one `date` filter)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import formats, timezone

from training import services
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


def test_past_sessions_show_the_registration_in_words(cast, make_session, login):
    session = make_session(units=[cast.cell_a1], title="Quán triệt Nghị quyết")
    services.register(session=session, user=cast.learner)
    past = timezone.now() - timedelta(days=2)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=past, ends_at=past + timedelta(hours=2)
    )
    page = login(cast.learner).get("/sessions/").content.decode()
    row = page[page.index("Quán triệt Nghị quyết") :]
    row = row[: row.index("</tr>")]
    assert "Đã đăng ký" in row
    assert "registered" not in row


def test_session_page_prints_weekday_and_date(cast, make_session, login):
    session = make_session(units=[cast.cell_a1])
    page = login(cast.learner).get(session.get_absolute_url()).content.decode()
    start = timezone.localtime(session.starts_at)
    day = formats.date_format(start, "SHORT_DATE_FORMAT")
    assert f"{formats.date_format(start, 'l')}, {day}</time>" in page
    assert "+0700" not in page
