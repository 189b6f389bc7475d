from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from courses import authoring, services
from courses.models import Completion, Enrollment
from courses.signals import course_completed

from ..quizzes.test_budgets import COMPLETION_BUDGET
from .conftest import finish_lessons, lessons_of, modules_of

pytestmark = pytest.mark.django_db


def enrol(user, course):  # type: ignore[no-untyped-def]
    return services.enrol_user(actor=course.created_by, user=user, course=course)


def test_course_completes_when_last_lesson_is_done_and_signal_is_sent(cast, make_course):
    course = make_course(modules=2, lessons=2)
    enrol(cast.learner, course)
    received = []
    course_completed.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="t1")
    try:
        lessons = lessons_of(course)
        for lesson in lessons[:-1]:
            services.mark_lesson_done(user=cast.learner, lesson=lesson)
        assert not Completion.objects.exists()
        services.mark_lesson_done(user=cast.learner, lesson=lessons[-1])
    finally:
        course_completed.disconnect(dispatch_uid="t1")
    completion = Completion.objects.get()
    assert completion.user == cast.learner and completion.course == course
    enrollment = Enrollment.objects.get(user=cast.learner, course=course)
    assert enrollment.completed_at == completion.completed_at
    assert received[0]["completion"] == completion
    assert received[0]["enrollment"].pk == enrollment.pk


def test_marking_a_lesson_twice_completes_once(cast, make_course):
    course = make_course(modules=1, lessons=1)
    enrol(cast.learner, course)
    lesson = lessons_of(course)[0]
    services.mark_lesson_done(user=cast.learner, lesson=lesson)
    services.mark_lesson_done(user=cast.learner, lesson=lesson)
    assert Completion.objects.count() == 1


def test_module_needs_its_quiz_passed_in_the_current_cycle(cast, make_course, pass_quiz):
    course = make_course(modules=1, lessons=1, quiz=True)
    enrollment = enrol(cast.learner, course)
    quiz = modules_of(course)[0].quiz
    pass_quiz(cast.learner, quiz, at=enrollment.cycle_started_at - timedelta(days=1))
    finish_lessons(cast.learner, course)
    assert not Completion.objects.exists()
    pass_quiz(cast.learner, quiz, percent=90)
    completion = Completion.objects.get()
    assert completion.score == 90


def test_failing_grade_does_not_complete(cast, make_course, pass_quiz):
    course = make_course(modules=1, lessons=1, quiz=True)
    enrol(cast.learner, course)
    finish_lessons(cast.learner, course)
    pass_quiz(cast.learner, modules_of(course)[0].quiz, percent=30, passed=False)
    assert not Completion.objects.exists()


def test_final_exam_is_required_and_gives_the_score(cast, make_course, pass_quiz):
    from quizzes.models import Quiz

    exam = Quiz.objects.create(title="Cuối khóa", owner_unit=cast.unit_a)
    course = make_course(modules=1, lessons=1, final_exam=exam)
    enrol(cast.learner, course)
    finish_lessons(cast.learner, course)
    assert not Completion.objects.exists()
    pass_quiz(cast.learner, exam, percent=75)
    assert Completion.objects.get().score == 75


def test_adding_a_module_keeps_completions_and_reopens_the_others(cast, make_course):
    course = make_course(modules=1, lessons=1)
    enrol(cast.learner, course)
    enrol(cast.other_learner, course)
    finish_lessons(cast.learner, course)
    assert Completion.objects.filter(user=cast.learner).exists()

    module = authoring.add_module(actor=cast.trainer_a, course=course, title="Học phần mới")
    new_lesson = authoring.add_lesson(actor=cast.trainer_a, module=module, title="Bài mới")
    mine = Enrollment.objects.get(user=cast.learner)
    assert mine.completed_at is not None  # completed learners keep their completion

    services.mark_lesson_done(user=cast.other_learner, lesson=lessons_of(course)[0])
    assert not Completion.objects.filter(user=cast.other_learner).exists()
    services.mark_lesson_done(user=cast.other_learner, lesson=new_lesson)
    assert Completion.objects.filter(user=cast.other_learner).count() == 1
    assert Completion.objects.filter(user=cast.learner).count() == 1


def test_removing_the_last_missing_lesson_completes_the_learner(cast, make_course):
    course = make_course(modules=1, lessons=2)
    enrol(cast.learner, course)
    first, second = lessons_of(course)
    services.mark_lesson_done(user=cast.learner, lesson=first)
    authoring.delete_lesson(actor=cast.trainer_a, lesson=second)
    assert Completion.objects.filter(user=cast.learner).count() == 1


def test_sequential_mode_locks_the_next_module(cast, make_course):
    course = make_course(modules=2, lessons=1, sequential=True)
    enrol(cast.learner, course)
    first, second = lessons_of(course)
    with pytest.raises(services.PermissionDenied):
        services.mark_lesson_done(user=cast.learner, lesson=second)
    services.mark_lesson_done(user=cast.learner, lesson=first)
    services.mark_lesson_done(user=cast.learner, lesson=second)
    assert Completion.objects.count() == 1


def test_learner_not_enrolled_cannot_mark_lessons(cast, make_course):
    course = make_course(modules=1, lessons=1)
    with pytest.raises(services.PermissionDenied):
        services.mark_lesson_done(user=cast.learner, lesson=lessons_of(course)[0])


def test_unenrolled_learner_keeps_history_and_resumes(cast, make_course):
    course = make_course(modules=1, lessons=2)
    enrollment = enrol(cast.learner, course)
    services.mark_lesson_done(user=cast.learner, lesson=lessons_of(course)[0])
    services.unenrol(actor=cast.trainer_a, enrollment=enrollment)
    with pytest.raises(services.PermissionDenied):
        services.mark_lesson_done(user=cast.learner, lesson=lessons_of(course)[1])
    enrol(cast.learner, course)
    services.mark_lesson_done(user=cast.learner, lesson=lessons_of(course)[1])
    assert Completion.objects.count() == 1


def test_completion_on_time_follows_the_due_date(cast, make_course):
    course = make_course(modules=1, lessons=1)
    services.enrol_user(
        actor=cast.trainer_a,
        user=cast.learner,
        course=course,
        due_date=timezone.localdate() - timedelta(days=1),
    )
    finish_lessons(cast.learner, course)
    assert Completion.objects.get().on_time is False


def test_restarted_cycle_ignores_earlier_progress(cast, make_course):
    course = make_course(modules=1, lessons=1)
    enrollment = enrol(cast.learner, course)
    finish_lessons(cast.learner, course)
    services.restart_cycle(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None
    finish_lessons(cast.learner, course)
    assert Completion.objects.count() == 2


def test_content_learners_have_done_cannot_be_deleted_from_a_published_course(cast, make_course):
    course = make_course(modules=2, lessons=1)
    enrol(cast.learner, course)
    done = lessons_of(course)[0]
    services.mark_lesson_done(user=cast.learner, lesson=done)
    with pytest.raises(authoring.ValidationError):
        authoring.delete_lesson(actor=cast.trainer_a, lesson=done)
    with pytest.raises(authoring.ValidationError):
        authoring.delete_module(actor=cast.trainer_a, module=modules_of(course)[0])
    assert services.LessonProgress.objects.filter(lesson=done).exists()


# -- a pass completes the course in a task of its own, once the grading commits --


def _exam_course(cast, make_course):  # type: ignore[no-untyped-def]
    from quizzes.models import Quiz

    exam = Quiz.objects.create(title="Cuối khóa", owner_unit=cast.unit_a)
    course = make_course(modules=1, lessons=0, final_exam=exam)
    enrol_a_day_ago(cast.learner, course)
    return exam, course


def enrol_a_day_ago(user, course):  # type: ignore[no-untyped-def]
    """Enrolled before the passes the test dates in the past (a pass before the
    enrolment's cycle began does not count)."""
    enrollment = enrol(user, course)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        cycle_started_at=timezone.now() - timedelta(days=1)
    )


def test_pass_completes_the_course_only_after_the_grading_commits(
    cast, make_course, django_capture_on_commit_callbacks
):
    from quizzes.models import QuizGrade
    from quizzes.signals import quiz_grade_changed

    exam, course = _exam_course(cast, make_course)
    passed_at = timezone.now()
    with django_capture_on_commit_callbacks() as on_commit:
        grade = QuizGrade.objects.create(
            user=cast.learner, quiz=exam, percent=80, passed=True, passed_at=passed_at
        )
        quiz_grade_changed.send(sender=QuizGrade, grade=grade)
    assert not Completion.objects.exists()  # nothing in the grading transaction
    assert len(on_commit) == 1
    on_commit[0]()  # the published task (eager here) runs
    completion = Completion.objects.get(user=cast.learner, course=course)
    assert completion.completed_at == passed_at  # as of the pass, not of the task
    assert completion.score == 80


def test_task_for_a_grade_regraded_below_the_mark_completes_nothing(
    cast, make_course, django_capture_on_commit_callbacks
):
    from quizzes.models import QuizGrade
    from quizzes.signals import quiz_grade_changed

    exam, _course = _exam_course(cast, make_course)
    with django_capture_on_commit_callbacks() as on_commit:
        grade = QuizGrade.objects.create(
            user=cast.learner, quiz=exam, percent=80, passed=True, passed_at=timezone.now()
        )
        quiz_grade_changed.send(sender=QuizGrade, grade=grade)
    QuizGrade.objects.filter(pk=grade.pk).update(percent=20, passed=False, passed_at=None)
    on_commit[0]()
    assert not Completion.objects.exists()


def test_task_run_twice_completes_once(cast, make_course):
    from quizzes.models import QuizGrade

    exam, _course = _exam_course(cast, make_course)
    QuizGrade.objects.create(
        user=cast.learner, quiz=exam, percent=90, passed=True, passed_at=timezone.now()
    )
    assert services.complete_after_pass(user_id=cast.learner.pk, quiz_id=exam.pk) is not None
    assert services.complete_after_pass(user_id=cast.learner.pk, quiz_id=exam.pk) is None
    assert Completion.objects.count() == 1


def test_completion_task_stamps_the_pass_and_completes_only_an_open_enrolment(cast, make_course):
    """The task stamps the pass it checked (the sweeper skips it from then on),
    even when no enrolment is left to complete; an unenrolled or already
    completed enrolment is never completed again."""
    from quizzes.models import QuizGrade

    exam, course = _exam_course(cast, make_course)
    passed_at = timezone.now() - timedelta(minutes=5)
    grade = QuizGrade.objects.create(
        user=cast.learner, quiz=exam, percent=90, passed=True, passed_at=passed_at
    )
    mine = Enrollment.objects.filter(user=cast.learner, course=course)
    mine.update(status=Enrollment.Status.UNENROLLED)
    assert services.complete_after_pass(user_id=cast.learner.pk, quiz_id=exam.pk) is None
    grade.refresh_from_db()
    assert grade.completion_checked_at == passed_at
    mine.update(status=Enrollment.Status.ACTIVE)
    completion = services.complete_after_pass(user_id=cast.learner.pk, quiz_id=exam.pk)
    assert completion is not None and completion.course == course
    assert completion.completed_at == passed_at and completion.score == 90
    assert services.complete_after_pass(user_id=cast.learner.pk, quiz_id=exam.pk) is None
    assert Completion.objects.count() == 1


@pytest.mark.parametrize("modules", [1, 6])
def test_completion_task_queries_do_not_grow_with_the_course(
    cast, make_course, pass_quiz, modules, django_assert_max_num_queries
):
    """One task per pass in an exam wave: its queries are a constant."""
    from quizzes.models import Quiz, QuizGrade

    exam = Quiz.objects.create(title="Cuối khóa", owner_unit=cast.unit_a)
    course = make_course(modules=modules, lessons=3, quiz=True, final_exam=exam)
    enrol_a_day_ago(cast.learner, course)
    finish_lessons(cast.learner, course)
    for module in modules_of(course):
        pass_quiz(cast.learner, module.quiz)
    QuizGrade.objects.create(
        user=cast.learner, quiz=exam, percent=90, passed=True, passed_at=timezone.now()
    )
    with django_assert_max_num_queries(COMPLETION_BUDGET):
        assert services.complete_after_pass(user_id=cast.learner.pk, quiz_id=exam.pk)


def test_sweeper_completes_a_pass_whose_task_was_never_published(cast, make_course, monkeypatch):
    from courses import tasks
    from quizzes.models import QuizGrade
    from quizzes.signals import quiz_grade_changed

    exam, course = _exam_course(cast, make_course)
    other_exam, other_course = _exam_course(cast, make_course)

    def broker_down(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.complete_passes, "apply_async", broker_down)
    old = timezone.now() - timedelta(days=5)
    for quiz, at in ((exam, timezone.now() - timedelta(minutes=5)), (other_exam, old)):
        with TestCase.captureOnCommitCallbacks(execute=True):  # enqueue fails: logged only
            grade = QuizGrade.objects.create(
                user=cast.learner, quiz=quiz, percent=70, passed=True, passed_at=at
            )
            quiz_grade_changed.send(sender=QuizGrade, grade=grade)
    assert not Completion.objects.exists()
    assert cache.get(services.DRAIN_FLAG) is None  # not held for a drain never published
    assert services.sweep_completions() == 1  # only the recent pass is looked at
    assert Completion.objects.filter(course=course).count() == 1
    assert not Completion.objects.filter(course=other_course).exists()
    assert services.sweep_completions() == 0  # nothing left open


def _pass(user, quiz, at=None):  # type: ignore[no-untyped-def]
    """A passed grade committed as the grading commits it (the signal inside)."""
    from quizzes.models import QuizGrade
    from quizzes.signals import quiz_grade_changed

    with TestCase.captureOnCommitCallbacks(execute=True):
        grade = QuizGrade.objects.create(
            user=user, quiz=quiz, percent=80, passed=True, passed_at=at or timezone.now()
        )
        quiz_grade_changed.send(sender=QuizGrade, grade=grade)
    return grade


@pytest.fixture
def learners(cast):  # type: ignore[no-untyped-def]
    from accounts.services import create_user

    def _make(n: int):  # type: ignore[no-untyped-def]
        return [
            create_user(actor=cast.superuser, username=f"hvd{i}", full_name=f"Học viên {i}",
                        unit=cast.cell_a1)
            for i in range(n)
        ]  # fmt: skip

    return _make


@pytest.fixture
def published(monkeypatch):  # type: ignore[no-untyped-def]
    """The drains published to the broker (not run: a worker would run them)."""
    from courses import tasks

    sent: list[tuple] = []
    monkeypatch.setattr(tasks.complete_passes, "apply_async", lambda *a, **k: sent.append(a))
    return sent


def test_a_wave_of_passes_publishes_one_drain_until_it_starts(
    cast, make_course, published, learners
):
    """Each pass used to publish a task of its own: a wave's deadline, thousands."""
    exam, course = _exam_course(cast, make_course)
    people = [cast.learner, *learners(4)]
    for person in people[1:]:
        enrol_a_day_ago(person, course)
    for person in people[:3]:
        _pass(person, exam)
    assert len(published) == 1
    assert not Completion.objects.exists()
    assert services.complete_passes() == 3  # the worker runs the drain
    assert Completion.objects.filter(course=course).count() == 3
    for person in people[3:]:  # passes after the drain started ask for the next one
        _pass(person, exam)
    assert len(published) == 2
    assert services.complete_passes() == 2
    assert Completion.objects.filter(course=course).count() == 5
    assert services.complete_passes() == 0  # every pass decided: nothing to do


def test_a_drain_goes_on_past_a_batch(cast, make_course, published, learners):
    exam, course = _exam_course(cast, make_course)
    people = [cast.learner, *learners(2)]
    for person in people[1:]:
        enrol_a_day_ago(person, course)
    for person in people:
        _pass(person, exam)
    assert len(published) == 1
    assert services.complete_passes(limit=2) == 3  # a full batch, then the rest
    assert Completion.objects.filter(course=course).count() == 3


def test_a_pass_during_the_drain_is_not_left_behind(
    cast, make_course, published, learners, monkeypatch
):
    """It finds the flag set and publishes nothing: the running drain must see it."""
    exam, course = _exam_course(cast, make_course)
    late = learners(1)[0]
    enrol_a_day_ago(late, course)
    _pass(cast.learner, exam)
    real = services.complete_after_pass

    def and_another_passes(*, user_id, quiz_id):  # type: ignore[no-untyped-def]
        if user_id == cast.learner.pk:
            _pass(late, exam)  # commits while the drain is at work
        return real(user_id=user_id, quiz_id=quiz_id)

    monkeypatch.setattr(services, "complete_after_pass", and_another_passes)
    assert services.complete_passes() == 2
    assert len(published) == 1
    assert Completion.objects.filter(course=course).count() == 2


def test_one_learner_failing_does_not_hold_up_the_drain(
    cast, make_course, published, learners, monkeypatch
):
    exam, course = _exam_course(cast, make_course)
    other = learners(1)[0]
    enrol_a_day_ago(other, course)
    _pass(cast.learner, exam, at=timezone.now() - timedelta(seconds=2))
    _pass(other, exam)
    real = services.complete_after_pass

    def fail_for_the_first(*, user_id, quiz_id):  # type: ignore[no-untyped-def]
        if user_id == cast.learner.pk:
            raise RuntimeError("database hiccup")
        return real(user_id=user_id, quiz_id=quiz_id)

    monkeypatch.setattr(services, "complete_after_pass", fail_for_the_first)
    assert services.complete_passes() == 2  # and returns: the failed one is not retried here
    assert list(Completion.objects.values_list("user_id", flat=True)) == [other.pk]
    monkeypatch.setattr(services, "complete_after_pass", real)
    assert services.complete_passes() == 1  # the failed one is still undecided
    assert Completion.objects.count() == 2


def test_a_failing_drain_lets_go_of_the_flag(cast, make_course, published, monkeypatch):
    exam, _course = _exam_course(cast, make_course)
    _pass(cast.learner, exam)
    assert cache.get(services.DRAIN_FLAG) is not None

    def database_down(*args):  # type: ignore[no-untyped-def]
        raise RuntimeError("database down")

    monkeypatch.setattr(services, "_undecided_passes", database_down)
    with pytest.raises(RuntimeError):
        services.complete_passes()
    assert cache.get(services.DRAIN_FLAG) is None  # the next pass publishes another drain


def test_a_late_drain_never_lets_go_of_another_drains_flag(
    cast, make_course, published, learners, monkeypatch
):
    """A drain that waited in the queue past the flag's life may find another at work."""
    exam, _course = _exam_course(cast, make_course)
    _pass(cast.learner, exam)
    real = services.complete_after_pass

    def another_drain_starts(*, user_id, quiz_id):  # type: ignore[no-untyped-def]
        cache.set(services.DRAIN_FLAG, "the other drain's", 60)
        return real(user_id=user_id, quiz_id=quiz_id)

    monkeypatch.setattr(services, "complete_after_pass", another_drain_starts)
    assert services.complete_passes() == 1
    assert cache.get(services.DRAIN_FLAG) == "the other drain's"


def test_a_pass_that_changes_and_stays_a_pass_is_decided_again(cast, make_course, published):
    """As when each change of a passing grade published its own task."""
    from quizzes.models import QuizGrade
    from quizzes.services.grades import refresh_grade

    exam, _course = _exam_course(cast, make_course)
    grade = _pass(cast.learner, exam)
    assert services.complete_passes() == 1
    grade.refresh_from_db()
    assert grade.completion_checked_at == grade.passed_at  # decided
    grade.override_percent = 95  # a grader raises it: still a pass, another percent
    grade.save(update_fields=["override_percent"])
    refresh_grade(user_id=cast.learner.pk, quiz=exam)
    grade = QuizGrade.objects.get(pk=grade.pk)
    assert grade.percent == 95 and grade.passed and grade.completion_checked_at is None
    assert services.complete_passes() == 1


def test_the_drain_leaves_old_passes_to_the_sweeper(cast, make_course, published):
    exam, _course = _exam_course(cast, make_course)
    _pass(cast.learner, exam, at=timezone.now() - services.DRAIN_WINDOW - timedelta(minutes=1))
    assert services.complete_passes() == 0
    assert services.sweep_completions() == 1
    assert Completion.objects.count() == 1


def test_sweeper_leaves_passes_whose_task_may_still_be_queued(cast, make_course):
    from quizzes.models import QuizGrade

    exam, _course = _exam_course(cast, make_course)
    QuizGrade.objects.create(  # behind a wave's backlog of completion tasks
        user=cast.learner,
        quiz=exam,
        percent=70,
        passed=True,
        passed_at=timezone.now() - timedelta(minutes=2),
    )
    assert services.sweep_completions() == 0
    assert not Completion.objects.exists()


def test_sweeper_checks_a_pass_once_even_when_it_completes_nothing(cast, make_course):
    """A module quiz passed before the rest of its course is done completes nothing;
    the sweep must not look at it again and again, or, behind enough of them, it
    would never reach a newer pass whose task was lost."""
    from quizzes.models import QuizGrade

    started = make_course(modules=1, lessons=1, quiz=True)
    enrol_a_day_ago(cast.learner, started)
    exam, course = _exam_course(cast, make_course)
    for quiz, hours_ago in ((modules_of(started)[0].quiz, 2), (exam, 1)):
        QuizGrade.objects.create(
            user=cast.learner,
            quiz=quiz,
            percent=70,
            passed=True,
            passed_at=timezone.now() - timedelta(hours=hours_ago),
        )
    assert services.sweep_completions(limit=1) == 1
    assert not Completion.objects.exists()  # the lesson of `started` is still to do
    assert services.sweep_completions(limit=1) == 1  # the newer pass, not the first again
    assert Completion.objects.filter(user=cast.learner, course=course).count() == 1
    assert services.sweep_completions() == 0


def test_a_late_task_completes_as_of_the_last_step_counted(cast, make_course):
    """Tasks in a backlog: the module quiz's task runs after the final exam was
    passed too. The course was completed by the final exam, not the module quiz."""
    from quizzes.models import Quiz, QuizGrade

    exam = Quiz.objects.create(title="Cuối khóa", owner_unit=cast.unit_a)
    course = make_course(modules=1, lessons=0, quiz=True, final_exam=exam)
    enrol_a_day_ago(cast.learner, course)
    module_quiz = modules_of(course)[0].quiz
    t1 = timezone.now() - timedelta(hours=3)
    t2 = timezone.now() - timedelta(hours=1)
    for quiz, at in ((module_quiz, t1), (exam, t2)):
        QuizGrade.objects.create(
            user=cast.learner, quiz=quiz, percent=80, passed=True, passed_at=at
        )
    completion = services.complete_after_pass(user_id=cast.learner.pk, quiz_id=module_quiz.pk)
    assert completion is not None and completion.completed_at == t2
    assert services.complete_after_pass(user_id=cast.learner.pk, quiz_id=exam.pk) is None
