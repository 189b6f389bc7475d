import functools
import json
from datetime import datetime
from typing import Any

from django.core.signals import setting_changed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.authentication import CSRFCheck
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import django_errors
from accounts.http import AuthedApiRequest
from config.ids import parse_id

from .. import access, presenters, services
from ..models import Attempt, AttemptSlot, QuizGrade
from ..scoring import ResponseError
from ..serializers import (
    AttemptSerializer,
    ErrorSerializer,
    GradedAttemptSerializer,
    GradeRequestSerializer,
    GradingQueueSerializer,
    OverrideRequestSerializer,
    ResultSerializer,
    ReviewSerializer,
    SaveAnswerSerializer,
    SaveResultSerializer,
)
from .common import SERVICE_ERRORS, IsTrainer


def slots_of(attempt: Attempt) -> list[AttemptSlot]:
    slots = getattr(attempt, "prefetched_slots", None)
    if slots is None:
        slots = list(attempt.slots.select_related("version"))
    return slots


def attempt_payload(attempt: Attempt, now: datetime) -> dict[str, Any]:
    return {
        "id": attempt.pk,
        "quiz": attempt.quiz_id,
        "number": attempt.number,
        "state": attempt.state,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "remaining_seconds": attempt.remaining_seconds(now) if attempt.is_open else 0,
        "slots": [presenters.public_slot(s) for s in slots_of(attempt)],
    }


def _own_attempt(request: AuthedApiRequest, pk: Any) -> Attempt:
    attempt_id = parse_id(pk)
    if attempt_id is None:
        raise NotFound()
    try:
        attempt = access.attempt_for(request.user, attempt_id)
    except Http404 as exc:
        raise NotFound() from exc
    now = timezone.now()
    if attempt.is_overdue(now):
        attempt = services.submit_attempt(attempt=attempt, now=now)
    return attempt


SLOT_PARAM = OpenApiParameter("slot", OpenApiTypes.INT, OpenApiParameter.PATH)


class AttemptViewSet(viewsets.GenericViewSet):
    """A learner's own attempts. Another learner's attempt id is a 404."""

    queryset = Attempt.objects.none()
    serializer_class = AttemptSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: AttemptSerializer})
    def retrieve(self, request: AuthedApiRequest, pk: str) -> Response:
        attempt = _own_attempt(request, pk)
        return Response(attempt_payload(attempt, timezone.now()))

    @extend_schema(
        request=SaveAnswerSerializer,
        parameters=[SLOT_PARAM],
        responses={
            200: SaveResultSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    @action(
        detail=True,
        methods=["put"],
        url_path=r"answers/(?P<slot>\d+)",
        parser_classes=[JSONParser],
        renderer_classes=[JSONRenderer],
    )
    def answers(self, request: AuthedApiRequest, pk: str, slot: str) -> Response:
        """Save one answer (upsert guarded by `seq`: an older seq is ignored)."""
        body = SaveAnswerSerializer(data=request.data)
        if not body.is_valid():
            # The documented 400 ({detail}), with the field errors alongside.
            return Response(
                {"detail": _("Dữ liệu câu trả lời không hợp lệ."), "errors": body.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        attempt_id, slot_id = parse_id(pk), parse_id(slot)
        if attempt_id is None or slot_id is None:
            raise NotFound()
        try:
            result = services.save_answer(
                user=request.user,
                attempt_id=attempt_id,
                slot_id=slot_id,
                response=body.validated_data["response"],
                seq=body.validated_data["seq"],
            )
        except Http404 as exc:
            raise NotFound() from exc
        except ResponseError as exc:
            raise serializers.ValidationError({"response": [str(exc)]}) from exc
        except services.AttemptClosed as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response({"saved": result.saved, "seq": result.seq, "saved_at": result.saved_at})

    @extend_schema(request=None, responses={200: ResultSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: AuthedApiRequest, pk: str) -> Response:
        """Submit and grade; repeating it returns the same result."""
        attempt_id = parse_id(pk)
        if attempt_id is None:
            raise NotFound()
        try:
            attempt = services.submit_attempt(attempt=Attempt(pk=attempt_id), user=request.user)
        except Attempt.DoesNotExist as exc:
            raise NotFound() from exc
        return Response(presenters.review_summary(attempt, timezone.now()))

    @extend_schema(responses={200: ReviewSerializer, 409: ErrorSerializer})
    @action(detail=True, methods=["get"])
    def review(self, request: AuthedApiRequest, pk: str) -> Response:
        """The result and each question as far as the quiz's review policy allows."""
        attempt = _own_attempt(request, pk)
        if attempt.is_open:
            return Response({"detail": _("Bài chưa nộp.")}, status=status.HTTP_409_CONFLICT)
        now = timezone.now()
        return Response(
            {
                **presenters.review_summary(attempt, now),
                "slots": [presenters.review_slot(s, attempt, now) for s in slots_of(attempt)],
            }
        )

    @extend_schema(request=GradeRequestSerializer, responses={200: ResultSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsTrainer])
    def grade(self, request: AuthedApiRequest, pk: str) -> Response:
        """Trainers: mark one question (essay) of a submitted attempt in their scope."""
        body = GradeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attempt_id = parse_id(pk)
        attempt = (
            None
            if attempt_id is None
            else grading_scope(request.user).filter(pk=attempt_id).first()
        )
        slot = attempt and attempt.slots.filter(pk=body.validated_data["slot"]).first()
        if not slot:
            raise NotFound()
        try:
            attempt = services.grade_slot(
                actor=request.user,
                slot=slot,
                points=body.validated_data["points"],
                comment=body.validated_data["comment"],
                reason=body.validated_data["reason"],
            )
        except SERVICE_ERRORS as exc:
            raise django_errors(exc) from exc
        summary = presenters.review_summary(attempt, timezone.now())
        summary.update(
            score=presenters.fmt(attempt.score),
            max_score=presenters.fmt(attempt.max_score),
            percent=presenters.fmt(attempt.percent),
            passed=attempt.passed,
        )
        return Response(summary)

    @extend_schema(
        request=OverrideRequestSerializer,
        responses={200: GradedAttemptSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        summary="Override the automatic mark of one question",
    )
    @action(detail=True, methods=["post"], permission_classes=[IsTrainer])
    def override(self, request: AuthedApiRequest, pk: str) -> Response:
        """Trainers: replace the automatic mark of one question of a submitted attempt by a
        learner of their units, or give it back to the key (`points: null`).

        The reason is required; who, when, the old and the new mark go to the audit
        log. The attempt's total and pass/fail, the learner's quiz grade and, through
        it, the course completion and certificate follow. A later key fix keeps the
        overridden mark (and records that it did). Essays are marked with `grade`.
        """
        attempt = graded_attempt_for(request.user, pk)
        body = OverrideRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        slot = attempt.slots.filter(pk=body.validated_data["slot"]).first()
        if slot is None:
            raise NotFound()
        try:
            attempt = services.override_slot(
                actor=request.user,
                slot=slot,
                points=body.validated_data["points"],
                reason=body.validated_data["reason"],
            )
        except SERVICE_ERRORS as exc:
            raise django_errors(exc) from exc
        return Response(GradedAttemptSerializer(graded_attempt(attempt)).data)


_save_through_drf = AttemptViewSet.as_view(
    {"put": "answers"}, basename="attempt", detail=True, **AttemptViewSet.answers.kwargs
)


def _csrf_passes(request: HttpRequest) -> bool:
    """The check DRF's SessionAuthentication makes, without raising."""
    check = _csrf_check()
    check.process_request(request)
    # A callback that is not csrf_exempt (the real view is), so the check runs.
    return check.process_view(request, _no_view, (), {}) is None


def _no_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


@functools.cache
def _csrf_check() -> CSRFCheck:
    """One check per process, as Django keeps one middleware: it keeps nothing
    of a request, only what it reads of the settings (trusted origins), so it
    is made anew when a setting changes."""
    return CSRFCheck(_no_view)


def _forget_csrf_check(**kwargs: Any) -> None:
    _csrf_check.cache_clear()


setting_changed.connect(_forget_csrf_check, dispatch_uid="page-save-csrf-check")


def _reply(result: services.SaveResult) -> bytes:
    """The save's JSON, as DRF's encoder writes it (a time in UTC ends in Z),
    written out: its three values need no escaping."""
    saved_at = result.saved_at.isoformat()
    if saved_at.endswith("+00:00"):
        saved_at = saved_at[:-6] + "Z"
    saved = "true" if result.saved else "false"
    return f'{{"saved":{saved},"seq":{int(result.seq)},"saved_at":"{saved_at}"}}'.encode()


@csrf_exempt  # checked in page_save exactly as DRF does for session logins; tokens need none
def save_answer_view(request: HttpRequest, pk: int, slot: int) -> HttpResponse:
    """PUT /api/attempts/{id}/answers/{slot}/: the exam wave's hot path.

    The common case (a logged-in page sending the plain {response, seq} body)
    is served by `page_save` without DRF's request wrapping, negotiation and
    rendering (in production before Django's request cycle even starts:
    `quizzes.api.fastsave`); everything else (token auth, another content
    type or shape, a refused save, an error) goes through
    `AttemptViewSet.answers`, which defines the contract. A save that fails
    writes nothing, so the retry through DRF answers with the very same error.
    """
    body = page_save(request, pk, slot)
    if body is not None:
        return HttpResponse(body, content_type="application/json")
    return _save_through_drf(request, pk=str(pk), slot=str(slot))


def page_save(request: HttpRequest, pk: int, slot: int) -> bytes | None:
    """A page's save, stored: the JSON reply; None for anything else (nothing written)."""
    if (
        request.method != "PUT"
        or "HTTP_AUTHORIZATION" in request.META
        or request.content_type != "application/json"
    ):
        return None
    user = request.user
    if not (user.is_authenticated and user.is_active and _csrf_passes(request)):
        return None
    try:
        data = json.loads(request.body)
    except ValueError:
        return None
    seq = data.get("seq") if isinstance(data, dict) else None
    if not (type(seq) is int and 0 < seq < 2**31 and "response" in data):
        return None
    try:
        result = services.save_answer(
            user=user, attempt_id=pk, slot_id=slot, response=data["response"], seq=seq
        )
    except (Http404, ResponseError, services.AttemptClosed):
        return None
    return _reply(result)


def grading_scope(user: Any) -> QuerySet[Attempt]:
    """Submitted attempts of learners in the trainer's units."""
    qs = Attempt.objects.filter(state=Attempt.State.FINISHED, is_preview=False).select_related(
        "quiz", "user__unit"
    )
    q = user.scope_q("user__unit__path")
    return qs if q is None else qs.filter(q)


def graded_attempt_for(user: Any, pk: Any) -> Attempt:
    """A submitted attempt of a learner in the trainer's units, or 404."""
    attempt_id = parse_id(pk)
    attempt = None if attempt_id is None else grading_scope(user).filter(pk=attempt_id).first()
    if attempt is None:
        raise NotFound()
    return attempt


def graded_attempt(attempt: Attempt, hide: bool = False) -> dict[str, Any]:
    """A submitted attempt as its grader sees it (presenters.graded_slot per question)."""
    slots = AttemptSlot.objects.filter(attempt=attempt).select_related("version", "graded_by")
    grade = QuizGrade.objects.filter(user_id=attempt.user_id, quiz_id=attempt.quiz_id).first()
    return {
        "id": attempt.pk,
        "quiz": attempt.quiz_id,
        "quiz_title": attempt.quiz.title,
        "learner": None if hide else attempt.user.full_name,
        "unit": None if hide or not attempt.user.unit else attempt.user.unit.name,
        "number": attempt.number,
        "finished_at": attempt.finished_at,
        "needs_grading": attempt.needs_grading,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "percent": attempt.percent,
        "passed": attempt.passed,
        "grade_percent": grade.percent if grade else None,
        "grade_passed": grade.passed if grade else None,
        "slots": [presenters.graded_slot(s) for s in slots],
    }


HIDE_NAMES = OpenApiParameter("hide_names", OpenApiTypes.BOOL, required=False)


class GradingQueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Attempts waiting for hand marking, oldest first, and any submitted attempt of a
    learner in the trainer's units question by question. `?hide_names=1` hides learners."""

    queryset = Attempt.objects.none()
    serializer_class = GradingQueueSerializer
    permission_classes = [IsTrainer]

    @extend_schema(parameters=[HIDE_NAMES], responses={200: GradingQueueSerializer(many=True)})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        hide = request.query_params.get("hide_names") in ("1", "true")
        attempts = grading_scope(request.user).filter(needs_grading=True).order_by("finished_at")
        page = self.paginate_queryset(attempts) or []
        rows = []
        manual: dict[int, list[int]] = {}
        for slot_id, attempt_id in AttemptSlot.objects.filter(
            attempt__in=[a.pk for a in page], needs_manual=True
        ).values_list("pk", "attempt_id"):
            manual.setdefault(attempt_id, []).append(slot_id)
        for a in page:
            rows.append(
                {
                    "attempt": a.pk,
                    "quiz": a.quiz_id,
                    "quiz_title": a.quiz.title,
                    "learner": None if hide else a.user.full_name,
                    "unit": None if hide or not a.user.unit else a.user.unit.name,
                    "finished_at": a.finished_at,
                    "slots": manual.get(a.pk, []),
                }
            )
        return self.get_paginated_response(rows)

    @extend_schema(
        parameters=[HIDE_NAMES],
        responses={200: GradedAttemptSerializer, 404: ErrorSerializer},
        summary="A submitted attempt as its grader sees it",
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        """Every question with the learner's response and the key in words (as the
        grading page shows them), the mark and how it was given (`overridden`,
        `automatic_score`), whatever the quiz's review policy."""
        hide = request.query_params.get("hide_names") in ("1", "true")
        attempt = graded_attempt_for(request.user, pk)
        return Response(GradedAttemptSerializer(graded_attempt(attempt, hide=hide)).data)
