"""After a reconnect the quiz page shows what the server holds (issue 21.1).

The race: answers given offline are retried when the connection returns; the
learner reloads at once. The old page receives the server's acknowledgements
while the new page is still downloading, a page the server rendered before
those saves committed. The old page used to drop the device's copy on the
acknowledgement, so the new page found neither the server's answer nor the
device's: blank. Throttling (CDP) stretches the window so it is hit often.
"""

import re

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, AttemptSlot, QuestionType
from quizzes.services import start_attempt, submit_attempt
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    AXE,
    CHROMIUM,
    browser,
    log_in,
    new_page,
    page,
    size,
)
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM or not AXE.exists(), reason="needs chromium and axe-core"),
]

CYCLES = 20
TYPES = [
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.TRUE_FALSE,
    QuestionType.SHORT,
    QuestionType.NUMERIC,
]
# The answer given on the page, and how the server stores it.
GIVEN = {
    "single": {"choice": "a"},
    "multiple": {"choices": ["a", "b"]},
    "truefalse": {"value": True},
    "short": {"text": "Hồ Chí Minh"},
    "numeric": {"value": 27},
}
OFFLINE = ("multiple", "truefalse", "short", "numeric")
# A slow mobile connection: every request waits, the attempt page takes a while to arrive.
SLOW = {"offline": False, "latency": 300, "downloadThroughput": 30_000, "uploadThroughput": 30_000}
CUT = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
FAST = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


def answer(question, qtype: str) -> None:  # type: ignore[no-untyped-def]
    if qtype == "single":
        question.get_by_label("30/10/2016").check()
    elif qtype == "multiple":
        question.get_by_label("Tư tưởng chính trị").check()
        question.get_by_label("Đạo đức, lối sống").check()
    elif qtype == "truefalse":
        question.get_by_label("Đúng").check()
    elif qtype == "short":
        question.get_by_label("Câu trả lời").fill("Hồ Chí Minh")
    elif qtype == "numeric":
        question.get_by_label("Đáp số").fill("27")
        question.get_by_label("Đáp số").blur()


def shown(question, qtype: str) -> bool:  # type: ignore[no-untyped-def]
    """The page shows the answer given (not blank, not half of it)."""
    if qtype == "single":
        return question.get_by_label("30/10/2016").is_checked()
    if qtype == "multiple":
        return (
            question.get_by_label("Tư tưởng chính trị").is_checked()
            and question.get_by_label("Đạo đức, lối sống").is_checked()
            and not question.get_by_label("Thể thao").is_checked()
        )
    if qtype == "truefalse":
        return question.get_by_label("Đúng").is_checked()
    if qtype == "short":
        return question.get_by_label("Câu trả lời").input_value() == "Hồ Chí Minh"
    return question.get_by_label("Đáp số").input_value() == "27"


def stored(attempt: Attempt) -> dict[str, object]:
    return {
        s.version.type: s.response
        for s in AttemptSlot.objects.filter(attempt=attempt).select_related("version")
    }


def test_reload_while_offline_answers_are_retried_never_shows_a_blank_answer(
    cast,
    make_questions,
    make_quiz,
    page,  # noqa: F811
):
    quiz = make_quiz(
        make_questions(types=TYPES), enrol=[cast.learner], time_limit=3600, attempts_allowed=0
    )
    log_in(page, "learner", PASSWORD)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    warnings: list[str] = []

    def on_dialog(dialog):  # type: ignore[no-untyped-def]
        warnings.append(dialog.type)
        dialog.accept()

    page.on("dialog", on_dialog)
    blanks: list[str] = []
    for cycle in range(CYCLES):
        cdp.send("Network.emulateNetworkConditions", FAST)
        attempt = start_attempt(user=cast.learner, quiz=quiz)
        page.goto(f"/attempts/{attempt.pk}/")
        slots = {s.version.type: s.pk for s in attempt.slots.select_related("version")}
        q = {t: page.locator(f"#question-{slots[t]}") for t in TYPES}

        answer(q["single"], "single")
        expect(q["single"].locator(".save-status")).to_have_text("Đã lưu")

        cdp.send("Network.emulateNetworkConditions", CUT)
        expect(page.locator("#connection")).to_be_visible()
        for t in OFFLINE:
            answer(q[t], t)
        for t in OFFLINE:
            expect(q[t].locator(".save-status")).to_have_text("Chưa lưu — đang thử lại")

        # Back online, slowly; reload as soon as the first retry is on its way.
        with page.expect_request(lambda r: r.method == "PUT" and "/answers/" in r.url):
            cdp.send("Network.emulateNetworkConditions", SLOW)
        page.reload()
        q = {t: page.locator(f"#question-{slots[t]}") for t in TYPES}
        blanks += [f"cycle {cycle}: {t}" for t in TYPES if not shown(q[t], t)]
        assert blanks == [], f"blank after the reload; the server holds {stored(attempt)}"

        # Whatever the page shows reaches the server, and a fresh load shows it too.
        for t in TYPES:
            expect(q[t].locator(".save-status")).to_have_text("Đã lưu", timeout=30_000)
        assert stored(attempt) == GIVEN, f"cycle {cycle}"
        cdp.send("Network.emulateNetworkConditions", FAST)
        page.reload()
        q = {t: page.locator(f"#question-{slots[t]}") for t in TYPES}
        blanks += [f"cycle {cycle}, second load: {t}" for t in TYPES if not shown(q[t], t)]
        submit_attempt(attempt=Attempt.objects.get(pk=attempt.pk), user=cast.learner)

    assert blanks == []
    # Leaving with answers not yet acknowledged asked the learner first.
    assert "beforeunload" in warnings


def test_leaving_with_unsent_answers_warns(
    cast,
    make_questions,
    make_quiz,
    page,  # noqa: F811
):
    quiz = make_quiz(make_questions(types=TYPES), enrol=[cast.learner], time_limit=3600)
    log_in(page, "learner", PASSWORD)
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/$"))
    question = page.locator("fieldset.question").first
    answer(question, "single")
    expect(question.locator(".save-status")).to_have_text("Đã lưu")

    # Nothing unsent: leaving asks nothing.
    dialogs: list[str] = []

    def record(dialog):  # type: ignore[no-untyped-def]
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", record)
    page.reload()
    assert dialogs == []
    page.remove_listener("dialog", record)

    page.context.set_offline(True)
    question = page.locator("fieldset.question").nth(2)
    answer(question, "truefalse")
    expect(question.locator(".save-status")).to_have_text("Chưa lưu — đang thử lại")
    page.route("**/answers/**", lambda route: route.abort())  # still not reaching the server
    page.context.set_offline(False)
    page.evaluate("window.stayed = true")
    with page.expect_event("dialog") as shown:
        page.evaluate("setTimeout(() => location.reload())")
    assert shown.value.type == "beforeunload"
    # Staying keeps the learner on this very page, the answer still shown.
    shown.value.dismiss()
    assert page.evaluate("window.stayed") is True
    expect(question.get_by_label("Đúng")).to_be_checked()


def test_on_load_the_newer_of_the_servers_answer_and_the_devices_copy_is_shown(
    cast,
    make_questions,
    make_quiz,
    page,  # noqa: F811
):
    from quizzes.services import save_answer

    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE, QuestionType.TRUE_FALSE]),
        enrol=[cast.learner],
    )
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    single = attempt.slots.get(version__type="single")
    truefalse = attempt.slots.get(version__type="truefalse")
    # Answered on another device meanwhile (seq 5 and 2).
    for slot, response, seq in ((single, {"choice": "c"}, 5), (truefalse, {"value": False}, 2)):
        save_answer(
            user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response=response, seq=seq
        )
    log_in(page, "learner", PASSWORD)
    # This device kept an older copy of one answer (seq 4) and a newer one of the other (seq 3).
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, JSON.stringify(value))",
        [
            f"quiz-draft-{attempt.pk}",
            {
                "v": 2,
                "answers": {
                    str(single.pk): {"response": {"choice": "b"}, "seq": 4, "sent": True},
                    str(truefalse.pk): {"response": {"value": True}, "seq": 3, "sent": True},
                },
                "flags": {},
            },
        ],
    )
    page.goto(f"/attempts/{attempt.pk}/")
    expect(page.locator(f"#question-{single.pk}").get_by_label("01/01/2017")).to_be_checked()
    expect(page.locator(f"#question-{truefalse.pk}").get_by_label("Đúng")).to_be_checked()
    expect(page.locator(f"#question-{truefalse.pk} .save-status")).to_have_text("Đã lưu")
    assert stored(attempt) == {"single": {"choice": "c"}, "truefalse": {"value": True}}
    # The older copy is gone; the newer one stays until a page shows the server holding it.
    kept = page.evaluate(f"JSON.parse(localStorage.getItem('quiz-draft-{attempt.pk}'))")
    assert set(kept["answers"]) == {str(truefalse.pk)}
    page.reload()
    expect(page.locator(f"#question-{truefalse.pk}").get_by_label("Đúng")).to_be_checked()
    assert page.evaluate(f"localStorage.getItem('quiz-draft-{attempt.pk}')") is None
