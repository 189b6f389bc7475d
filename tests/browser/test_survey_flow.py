"""Evaluation surveys in Chromium: a learner fills one on a phone (a missed
question first), and the trainer reads the aggregate, with its chart, once
five have answered."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from courses import authoring
from training.models import Attendance, TrainingSession
from training.surveys import services
from training.surveys.models import SurveyResponse, SurveySubmission

from ..conftest import PASSWORD
from ..training.surveyworld import likert_answers, make_learners
from .conftest import check_page, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _survey(cast, answered: int):  # type: ignore[no-untyped-def]
    course = authoring.create_course(
        actor=cast.trainer_a, code="TH01", title="Nghiệp vụ công tác Đảng", owner_unit=cast.unit_a
    )
    start = timezone.now() - timedelta(days=1)
    session = TrainingSession.objects.create(
        course=course,
        title="Sinh hoạt chi bộ",
        venue="Hội trường tầng 3",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
    session.invited_units.add(cast.unit_a)
    survey = services.create_survey(actor=cast.trainer_a, course=course, session=session)
    people = make_learners(cast, cast.cell_a1, answered)
    for user in [cast.learner, *people]:
        Attendance.objects.create(session=session, user=user, status="present")
    for user in people:
        services.submit_response(
            user=user, survey=survey, data=likert_answers(survey, 4, "Nên gửi tài liệu trước")
        )
    return survey


@pytest.mark.parametrize("size", ["phone"])
def test_learner_fills_the_survey_on_a_phone(cast, page, size):
    survey = _survey(cast, answered=4)
    questions = list(survey.questions.all())
    log_in(page, "learner", PASSWORD)
    page.get_by_role("link", name=survey.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(survey.title)
    check_page(page, focus=True)

    for q in questions[:5]:
        page.locator(f"#q{q.pk}").get_by_label("Rất đồng ý").check()
    # The single-choice question is forgotten.
    page.locator(f"#q{questions[6].pk}").get_by_role("textbox").fill("Thêm thời gian thảo luận")
    page.get_by_role("button", name="Gửi phiếu đánh giá").click()
    expect(page.locator(f"#q{questions[5].pk}").get_by_role("alert")).to_have_text(
        "Hãy trả lời câu hỏi này."
    )
    # What was chosen is kept; nothing is stored yet.
    expect(page.locator(f"#q{questions[0].pk}").get_by_label("Rất đồng ý")).to_be_checked()
    assert not SurveySubmission.objects.filter(user=cast.learner).exists()
    check_page(page)

    page.locator(f"#q{questions[5].pk}").get_by_label("Tốt", exact=True).check()
    page.get_by_role("button", name="Gửi phiếu đánh giá").click()
    expect(page.get_by_text("Cảm ơn đồng chí đã gửi phiếu đánh giá.")).to_be_visible()
    expect(page.get_by_text("Đồng chí đã gửi phiếu đánh giá này. Xin cảm ơn!")).to_be_visible()
    assert SurveySubmission.objects.filter(user=cast.learner, survey=survey).exists()
    assert SurveyResponse.objects.filter(survey=survey).count() == 5
    page.goto("/")
    expect(page.get_by_role("link", name=survey.title)).to_have_count(0)


def test_trainer_reads_the_results_once_five_have_answered(cast, page):
    survey = _survey(cast, answered=4)
    log_in(page, "trainer_a", PASSWORD)
    page.goto(f"/surveys/{survey.pk}/results/")
    expect(page.get_by_text("Chưa đủ 5 phiếu trong nhóm này")).to_be_visible()
    expect(page.get_by_text("Nên gửi tài liệu trước")).to_have_count(0)
    check_page(page)

    services.submit_response(
        user=cast.learner, survey=survey, data=likert_answers(survey, 5, "Rất bổ ích")
    )
    page.goto(f"/courses/{survey.course_id}/surveys/")
    check_page(page)
    page.get_by_role("link", name=survey.title).click()
    expect(page.get_by_text("Tất cả phiếu: 5 phiếu.")).to_be_visible()
    first = page.locator(".survey-q").first
    expect(first.locator(".mean")).to_have_text("4,2")
    expect(first.locator("svg.chart")).to_be_visible()
    expect(page.get_by_text("Rất bổ ích")).to_be_visible()
    check_page(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về Excel (XLSX)").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(path.read_bytes()))
    assert book.sheetnames == ["Tổng hợp", "Phương án", "Ý kiến"]
