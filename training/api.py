"""REST API for training sessions: CRUD for trainers in scope, list and
registration for invited learners, the .ics invitation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.api import django_errors
from accounts.models import User
from courses.api import IsTrainerOrReadOnly, _user, call

from . import ics, services
from .models import Attendance, Registration, SessionMaterial, TrainingSession
from .serializers import (
    CancelRequestSerializer,
    RegisterRequestSerializer,
    RegistrationSerializer,
    TrainingSessionSerializer,
)


def annotated(qs: QuerySet[TrainingSession], user: User) -> QuerySet[TrainingSession]:
    """Counts and the caller's own answer, in the list's one query."""
    return qs.annotate(
        registered=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
        ),
        waitlisted=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
        ),
        my_registration=Subquery(
            Registration.objects.filter(session=OuterRef("pk"), user=user).values("status")[:1]
        ),
    )


@extend_schema(
    parameters=[
        OpenApiParameter("upcoming", bool, description="Only sessions not yet over"),
        OpenApiParameter("course", int, description="Only this course's sessions"),
    ]
)
class TrainingSessionViewSet(viewsets.ModelViewSet):
    """Training sessions (buổi tập huấn). Trainers and admins: the sessions of the
    courses their units own or inviting units in their scope. Those of the courses
    they may author they may create, edit (a new time postpones it and tells the
    learners) and delete while nobody answered (otherwise cancel); a session that
    merely invites their unit is read-only to them (403 on a change). Learners:
    the sessions their unit (or one above it) is invited to."""

    serializer_class = TrainingSessionSerializer
    permission_classes = [permissions.IsAuthenticated, IsTrainerOrReadOnly]

    def get_permissions(self) -> Sequence[Any]:
        if self.action in ("register", "ics"):
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[TrainingSession]:
        if getattr(self, "swagger_fake_view", False):
            return TrainingSession.objects.none()
        user = _user(self.request)
        qs = services.visible_sessions(user).prefetch_related(
            "invited_units",
            Prefetch("materials", queryset=SessionMaterial.objects.order_by("pk")),
        )
        params = self.request.query_params
        if params.get("upcoming") in ("1", "true"):
            from django.utils import timezone

            qs = qs.filter(ends_at__gte=timezone.now())
        if params.get("course", "").isdigit():
            qs = qs.filter(course_id=int(params["course"]))
        return annotated(qs, user).order_by("starts_at", "pk")

    def _managed(self) -> TrainingSession:
        session = self.get_object()
        if not services.may_manage(_user(self.request), session):
            raise PermissionDenied(_("Buổi tập huấn nằm ngoài phạm vi quản lý của bạn."))
        return session

    def _data(self, serializer: BaseSerializer, session: TrainingSession | None = None) -> Any:
        values = dict(serializer.validated_data)
        fields = services.SessionData.__dataclass_fields__
        base = {f: getattr(session, f) for f in fields} if session else {}
        base.update({k: v for k, v in values.items() if k in fields})
        return services.SessionData(**base), values.get("invited_units")

    def perform_create(self, serializer: BaseSerializer) -> None:
        data, units = self._data(serializer)
        serializer.instance = call(
            services.create_session,
            actor=_user(self.request),
            course=serializer.validated_data["course"],
            data=data,
            invited_units=units,
        )

    def perform_update(self, serializer: BaseSerializer) -> None:
        session = self._managed()
        data, units = self._data(serializer, session)
        serializer.instance = call(
            services.update_session,
            actor=_user(self.request),
            session=session,
            data=data,
            invited_units=units,
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        super().update(request, *args, **kwargs)
        return self.retrieve(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().create(request, *args, **kwargs)
        self.kwargs["pk"] = response.data["id"]
        return Response(self.get_serializer(self.get_object()).data, status=response.status_code)

    def perform_destroy(self, instance: TrainingSession) -> None:
        session = self._managed()
        if (
            Registration.objects.filter(session=session).exists()
            or Attendance.objects.filter(session=session).exists()
        ):
            raise django_errors(
                ValidationError(
                    _("Buổi tập huấn đã có người đăng ký hoặc điểm danh: hãy hủy thay vì xóa.")
                )
            )
        session.delete()

    @extend_schema(
        request=RegisterRequestSerializer,
        responses={200: RegistrationSerializer},
        summary="Register for the session, or decline it with a reason",
    )
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: str | None = None) -> Response:
        """`{"answer": "register"}`: registered, or on the waiting list past capacity
        (promoted in order when someone declines). `{"answer": "decline", "reason":
        "Bận công tác"}`: declined (a reason is required). Only learners of an
        invited unit; not once the session is over or cancelled."""
        session = self.get_object()
        data = RegisterRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = _user(request)
        if data.validated_data["answer"] == "decline":
            registration = call(
                services.decline,
                session=session,
                user=user,
                reason=data.validated_data.get("reason", ""),
            )
        else:
            registration = call(services.register, session=session, user=user)
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(
        request=CancelRequestSerializer,
        responses={200: TrainingSessionSerializer},
        summary="Cancel the session (learners are told)",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        session = self._managed()
        data = CancelRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call(
            services.cancel_session,
            actor=_user(request),
            session=session,
            reason=data.validated_data["reason"],
        )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        responses={
            (200, "text/calendar"): OpenApiResponse(
                OpenApiTypes.BINARY, description="iCalendar (RFC 5545) invitation"
            )
        },
        summary="The session as an iCalendar invitation",
    )
    @action(detail=True, methods=["get"])
    def ics(self, request: Request, pk: str | None = None) -> HttpResponse:
        session = self.get_object()
        response = HttpResponse(
            ics.calendar([session]), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="tap-huan-{session.pk}.ics"'
        return response


def register(router: Any) -> None:
    router.register("sessions", TrainingSessionViewSet, basename="session")
