"""Check-in API: `POST /api/sessions/{id}/check-in/` and
`GET /api/sessions/{id}/attendance/` (mounted in config/urls.py before the
router's `sessions/` routes)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User

from . import checkin, rollcall, services
from .models import Attendance, TrainingSession


class CheckInSerializer(serializers.Serializer):
    token = serializers.CharField(
        required=False,
        max_length=200,
        help_text="The rotating token of the session's check-in screen (the learner checks in).",
    )
    code = serializers.CharField(
        required=False,
        max_length=60,
        help_text="A learner's personal code (only the session's trainers and admins).",
    )
    scanned_at = serializers.DateTimeField(
        required=False,
        help_text="When the code was scanned (a scanner syncing its offline queue); "
        "never later than now.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("token")) == bool(attrs.get("code")):
            raise serializers.ValidationError(
                _("Gửi đúng một trong hai: mã QR của buổi (token) hoặc mã cá nhân (code).")
            )
        return attrs


def _learner(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "unit": user.unit.name if user.unit_id and user.unit else None,
    }


def _record(attendance: Attendance | None) -> dict[str, Any]:
    if attendance is None:
        return {"status": None, "method": None, "checked_in_at": None, "note": ""}
    return {
        "status": attendance.status,
        "method": attendance.method,
        "checked_in_at": attendance.checked_in_at,
        "note": attendance.note,
    }


def _error(error: checkin.CheckinError) -> Response:
    return Response({"code": error.code, "detail": str(error.message)}, status=error.status)


_RESULT = inline_serializer(
    "CheckInResult",
    {
        "recorded": serializers.BooleanField(),
        "learner": serializers.DictField(),
        "status": serializers.ChoiceField(Attendance.Status.choices),
        "method": serializers.ChoiceField(Attendance.Method.choices),
        "checked_in_at": serializers.DateTimeField(),
        "detail": serializers.CharField(),
    },
)
# `code` is absent only from the framework's own refusals (authentication, CSRF).
_ERROR = inline_serializer(
    "CheckInError",
    {"code": serializers.CharField(required=False), "detail": serializers.CharField()},
)


@extend_schema(
    request=CheckInSerializer,
    responses={
        201: _RESULT,
        200: OpenApiResponse(_RESULT, description="Already checked in: nothing changed."),
        400: OpenApiResponse(
            _ERROR,
            description="Expired, forged or other-session token; "
            "invalid code; check-in not open or closed.",
        ),
        403: OpenApiResponse(
            _ERROR,
            description="Not invited, a code without being the session's trainer, or "
            "(out_of_scope) a learner outside the scope of a trainer of an invited unit.",
        ),
        404: OpenApiResponse(_ERROR),
    },
    examples=[
        OpenApiExample("Learner", {"token": "12.59312345:signature"}, request_only=True),
        OpenApiExample("Trainer", {"code": "42-ABCD-EFGH-JKLM"}, request_only=True),
    ],
)
@api_view(["POST"])
def check_in(request: Request, pk: int) -> Response:
    """Record attendance: a learner with the token of the screen they scanned,
    or a trainer with a learner's personal code. Repeats record nothing more."""
    caller: User = request.user  # type: ignore[assignment]
    body = CheckInSerializer(data=request.data)
    if not body.is_valid():
        messages = [str(m) for errors in body.errors.values() for m in errors]
        return Response({"code": "invalid_request", "detail": " ".join(messages)}, status=400)
    now = timezone.now()
    session = TrainingSession.objects.filter(pk=pk).select_related("course__owner_unit").first()
    if session is None:
        return Response(
            {"code": "not_found", "detail": _("Không tìm thấy buổi tập huấn này.")}, status=404
        )
    try:
        if body.validated_data.get("token"):
            checkin.read_rotating_token(
                body.validated_data["token"], session_pk=session.pk, now=now
            )
            result = checkin.check_in(
                session=session, learner=caller, method=Attendance.Method.QR, at=now, now=now
            )
        else:
            if not services.sessions_in_scope(caller).filter(pk=session.pk).exists():
                raise checkin.CheckinError(
                    "not_trainer",
                    checkin.NOT_TRAINER_MESSAGE,
                    status=403,
                )
            learner_pk = checkin.read_personal_code(body.validated_data["code"])
            learner = User.objects.select_related("unit").filter(pk=learner_pk).first()
            if learner is None or not learner.is_active:
                raise checkin.CheckinError("invalid_code", checkin.UNKNOWN_LEARNER_MESSAGE)
            scope = rollcall.viewer_scope(session, caller)
            if scope is not None and not User.objects.filter(scope, pk=learner.pk).exists():
                # A trainer of an invited unit checks in their own learners only.
                raise checkin.CheckinError("out_of_scope", checkin.OUT_OF_SCOPE_MESSAGE, status=403)
            result = checkin.check_in(
                session=session,
                learner=learner,
                method=Attendance.Method.CODE,
                at=body.validated_data.get("scanned_at") or now,
                recorded_by=caller,
                now=now,
            )
    except checkin.CheckinError as error:
        return _error(error)
    attendance = result.attendance
    return Response(
        {
            "recorded": result.recorded,
            "learner": _learner(attendance.user),
            **_record(attendance),
            "detail": str(checkin.result_message(result)),
        },
        status=201 if result.recorded else 200,
    )


@extend_schema(
    responses={
        200: inline_serializer(
            "SessionAttendance",
            {
                "session": serializers.IntegerField(),
                "ended": serializers.BooleanField(),
                "rows": serializers.ListField(child=serializers.DictField()),
            },
        ),
        404: OpenApiTypes.OBJECT,
    }
)
@api_view(["GET"])
def attendance(request: Request, pk: int) -> Response:
    """The roll-call: every invited learner with their state (present, late,
    excused, absent, or pending before the end). Who may author the session's
    course sees everyone; trainers and admins of an invited unit see the learners
    in their own scope; an invited learner sees their own row only."""
    viewer: User = request.user  # type: ignore[assignment]
    session = (
        services.sessions_in_scope(viewer)
        .select_related("course__owner_unit")
        .filter(pk=pk)
        .first()
    )
    if session is not None:
        rows = rollcall.roll_call(session, viewer=viewer)
    else:
        session = TrainingSession.objects.filter(pk=pk).first()
        if session is None or not services.is_invited(session, viewer):
            raise Http404
        rows = [rollcall.roll_call_row(session, viewer.pk)]
    return Response(
        {
            "session": session.pk,
            "ended": timezone.now() > session.ends_at,
            "rows": [
                {
                    "learner": _learner(row.user),
                    "state": row.state,
                    "registration": row.registration or None,
                    **_record(row.attendance),
                }
                for row in rows
            ],
        }
    )
