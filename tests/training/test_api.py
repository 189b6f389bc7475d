"""/api/sessions/: scoping, registration with the waiting list, the .ics and the feed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from training import services
from training.models import Registration

pytestmark = pytest.mark.django_db


def test_learners_list_only_invited_sessions_with_their_answer(
    cast, make_session, api, django_assert_max_num_queries
):
    mine = make_session(units=[cast.cell_a1])
    make_session(units=[cast.cell_a1], starts_in=timedelta(days=5))
    services.register(session=mine, user=cast.learner)
    with django_assert_max_num_queries(6):
        body = api(cast.learner).get("/api/sessions/?upcoming=1").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert rows[0]["id"] == mine.pk and len(rows) == 2
    assert rows[0]["my_registration"] == "registered" and rows[0]["registered"] == 1
    body = api(cast.learner_b).get("/api/sessions/").json()
    assert (body["results"] if isinstance(body, dict) else body) == []


def test_trainer_creates_and_postpones_through_the_api(cast, course, api):
    client = api(cast.trainer_a)
    payload = {
        "course": course.pk,
        "title": "Kỹ năng soạn thảo văn bản",
        "venue": "Phòng họp 2",
        "starts_at": "2030-05-01T08:00:00+07:00",
        "ends_at": "2030-05-01T07:00:00+07:00",
        "invited_units": [cast.cell_a1.pk],
    }
    bad = client.post("/api/sessions/", payload, format="json")
    assert bad.status_code == 400 and "ends_at" in bad.json()
    payload["ends_at"] = "2030-05-01T11:00:00+07:00"
    created = client.post("/api/sessions/", payload, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    out = client.post(
        "/api/sessions/", {**payload, "invited_units": [cast.cell_b1.pk]}, format="json"
    )
    assert out.status_code == 403
    moved = client.patch(
        f"/api/sessions/{pk}/",
        {"starts_at": "2030-05-02T08:00:00+07:00", "ends_at": "2030-05-02T11:00:00+07:00"},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "postponed"
    assert api(cast.trainer_b).patch(f"/api/sessions/{pk}/", {}, format="json").status_code == 404


def test_register_and_decline_through_the_api_with_promotion(cast, make_session, api):
    session = make_session(units=[cast.cell_a1], capacity=1)
    url = f"/api/sessions/{session.pk}/register/"
    assert api(cast.learner).post(url, {}, format="json").json()["status"] == "registered"
    waiting = api(cast.other_learner).post(url, {"answer": "register"}, format="json").json()
    assert waiting["status"] == "waitlisted" and waiting["waitlist_position"] == 1
    no_reason = api(cast.learner).post(url, {"answer": "decline"}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    declined = api(cast.learner).post(
        url, {"answer": "decline", "reason": "Bận công tác"}, format="json"
    )
    assert declined.json()["status"] == "declined"
    assert Registration.objects.get(user=cast.other_learner).status == "registered"
    assert api(cast.learner_b).post(url, {}, format="json").status_code == 404


def test_ics_parses_and_describes_the_session(cast, make_session, api):
    session = make_session(units=[cast.cell_a1], speakers="Đ/c Trần Văn A", topic="Chuyên đề 1")
    response = api(cast.learner).get(f"/api/sessions/{session.pk}/ics/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0"
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == session.title
    assert str(event["location"]) == "Hội trường Khối"
    assert event.decoded("dtstart") == session.starts_at
    assert event.decoded("dtend") == session.ends_at
    assert str(event["status"]) == "CONFIRMED"
    assert "Đ/c Trần Văn A" in str(event["description"])
    services.cancel_session(actor=cast.trainer_a, session=session, reason="Trùng lịch")
    again = Calendar.from_ical(api(cast.learner).get(f"/api/sessions/{session.pk}/ics/").content)
    (cancelled,) = again.walk("VEVENT")
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["uid"]) == str(event["uid"])
    assert int(cancelled["sequence"]) >= int(event["sequence"])


def test_calendar_feed_by_unguessable_token(cast, make_session, client):
    registered = make_session(units=[cast.cell_a1], title="Buổi đã đăng ký")
    make_session(units=[cast.cell_a1], title="Buổi chưa trả lời")
    services.register(session=registered, user=cast.learner)
    feed = services.feed_for(cast.learner)
    assert len(feed.token) >= 40
    url = f"/training/calendar/{feed.token}.ics"
    response = client.get(url)  # no login: calendar apps cannot
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Buổi đã đăng ký"]
    assert client.get("/training/calendar/" + "x" * 43 + ".ics").status_code == 404
    old = feed.token
    feed.rotate()
    assert client.get(f"/training/calendar/{old}.ics").status_code == 404
    assert client.get(f"/training/calendar/{feed.token}.ics").status_code == 200


def test_session_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/sessions/{id}/register/" in paths
    assert "/api/sessions/{id}/ics/" in paths
    assert "post" in paths["/api/sessions/"]
