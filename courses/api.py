"""REST API for courses. Views parse input, scope the queryset and call services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.api import django_errors
from accounts.models import User
from config.ids import parse_id

from . import authoring, services
from .models import Course, Enrollment, Lesson, Module
from .progress import CourseProgress, progress_of
from .serializers import (
    CourseSerializer,
    EnrollmentCreateSerializer,
    EnrollmentSerializer,
    LessonSerializer,
    ModuleSerializer,
    MoveSerializer,
    ProgressSerializer,
    UnitEnrolResultSerializer,
    UnitEnrolSerializer,
)


def _user(request: Any) -> User:
    """The authenticated user (every view here requires authentication)."""
    return cast(User, request.user)


def call(fn: Any, **kwargs: Any) -> Any:
    """Run a service, turning its Django errors into DRF ones (400 / 403)."""
    try:
        return fn(**kwargs)
    except Exception as exc:
        raise django_errors(exc) from exc


class IsTrainerOrReadOnly(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user.is_authenticated and _user(request).is_trainer)


def progress_data(progress: CourseProgress) -> dict[str, Any]:
    enrollment = progress.enrollment
    course = enrollment.course
    step = progress.next_step()
    return {
        "course": course.pk,
        "enrollment": enrollment.pk,
        "percent": progress.percent,
        "due_date": enrollment.due_date,
        "overdue": enrollment.is_overdue(),
        "completed_at": enrollment.completed_at,
        "modules": [
            {
                "id": m.module.pk,
                "title": m.module.title,
                "state": m.state,
                "lessons_total": len(m.lessons),
                "lessons_done": sum(1 for le in m.lessons if le.pk in m.done_lessons),
                "quiz": m.module.quiz_id,
                "quiz_passed": m.quiz_passed,
            }
            for m in progress.modules
        ],
        "final_exam": course.final_exam_id,
        "final_exam_passed": progress.final_exam_passed,
        "requirements": [
            {"key": r.key, "title": r.label, "detail": r.detail, "done": r.done}
            for r in progress.extra_steps
        ],
        "next_step": (
            {
                "kind": step["kind"],
                "id": getattr(step["object"], "pk", None),
                "title": step["object"].label
                if step["kind"] == "requirement"
                else str(step["object"]),
            }
            if step
            else None
        ),
    }


class CourseViewSet(viewsets.ModelViewSet):
    """Trainers: courses they author (their units' subtree) and every published
    course; learners: published open courses and the courses they are enrolled in."""

    serializer_class = CourseSerializer
    permission_classes = [permissions.IsAuthenticated, IsTrainerOrReadOnly]

    def get_queryset(self) -> QuerySet[Course]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Course.objects.none()
        return Course.objects.visible_to(_user(self.request)).order_by("pk")

    def get_permissions(self) -> Sequence[Any]:
        if self.action in ("enroll", "progress"):
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def _editable(self) -> Course:
        course = self.get_object()
        call(authoring.check_can_edit, actor=_user(self.request), course=course)
        return course

    def perform_create(self, serializer: BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        wanted = data.pop("status", Course.Status.DRAFT)
        course = call(authoring.create_course, actor=_user(self.request), **data)
        if wanted != Course.Status.DRAFT:
            course = call(
                authoring.set_status, actor=_user(self.request), course=course, status=wanted
            )
        serializer.instance = course

    def perform_update(self, serializer: BaseSerializer) -> None:
        course = self._editable()
        data = dict(serializer.validated_data)
        wanted = data.pop("status", None)
        course = call(authoring.update_course, actor=_user(self.request), course=course, **data)
        if wanted and wanted != course.status:
            course = call(
                authoring.set_status, actor=_user(self.request), course=course, status=wanted
            )
        serializer.instance = course

    def perform_destroy(self, instance: Course) -> None:
        course = self._editable()
        if course.enrollments.exists():
            raise django_errors(
                ValidationError(_("Khóa học đã có người ghi danh: hãy lưu trữ thay vì xóa."))
            )
        course.delete()

    @extend_schema(
        methods=["GET"], responses=ModuleSerializer(many=True), summary="List the course's modules"
    )
    @extend_schema(
        methods=["POST"],
        request=ModuleSerializer,
        responses={201: ModuleSerializer},
        summary="Add a module",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def modules(self, request: Request, pk: str | None = None) -> Response:
        course = self.get_object()
        if request.method == "GET":
            modules = course.modules.select_related(None).prefetch_related(
                Prefetch(
                    "lessons", queryset=Lesson.objects.only("pk", "module_id", "order", "title")
                )
            )
            return Response(ModuleSerializer(modules, many=True).data)
        if not _user(request).is_trainer:
            raise PermissionDenied(_("Bạn không có quyền sửa khóa học này."))
        data = ModuleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        module = call(
            authoring.add_module,
            actor=_user(request),
            course=course,
            title=data.validated_data["title"],
            quiz=data.validated_data.get("quiz"),
        )
        return Response(ModuleSerializer(module).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses={200: EnrollmentSerializer}, summary="Self-enrol in an open course"
    )
    @action(detail=True, methods=["post"])
    def enroll(self, request: Request, pk: str | None = None) -> Response:
        course = self.get_object()
        enrollment = call(services.self_enrol, user=_user(request), course=course)
        return Response(EnrollmentSerializer(enrollment).data)

    @extend_schema(
        request=UnitEnrolSerializer,
        responses={200: UnitEnrolResultSerializer},
        summary="Enrol every learner now in a unit",
    )
    @action(detail=True, methods=["post"], url_path="enroll-unit")
    def enroll_unit(self, request: Request, pk: str | None = None) -> Response:
        """Enrol, once, every active learner now in the unit and the units under it.

        Trainers may do it for the courses they author and the units in their scope;
        organisation admins for any course they see. Nothing is remembered: people
        placed in the unit later are not enrolled and there is no deadline (for that,
        admins assign the course to the unit: `POST /api/enrollments/` with `unit`).
        One learner: `POST /api/enrollments/` with `user`.
        """
        course = self.get_object()
        actor = _user(request)
        if not services.may_enrol_into(actor, course):
            raise PermissionDenied(
                _("Báo cáo viên chỉ ghi danh được vào khóa học do đơn vị mình quản lý.")
            )
        data = UnitEnrolSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = call(
            services.enrol_unit, actor=actor, course=course, unit=data.validated_data["unit"]
        )
        return Response(
            UnitEnrolResultSerializer(
                {"enrolled": done.enrolled, "resumed": done.resumed, "already": done.already}
            ).data
        )

    @extend_schema(
        responses={200: ProgressSerializer, 404: OpenApiResponse(description="Not enrolled")},
        summary="My progress in the course",
    )
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        course = self.get_object()
        enrollment = get_object_or_404(
            Enrollment.objects.select_related("course"), user=_user(request), course=course
        )
        return Response(ProgressSerializer(progress_data(progress_of(enrollment))).data)


class ModuleViewSet(
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ModuleSerializer
    permission_classes = [permissions.IsAuthenticated, IsTrainerOrReadOnly]

    def get_queryset(self) -> QuerySet[Module]:
        if getattr(self, "swagger_fake_view", False):
            return Module.objects.none()
        user = _user(self.request)
        courses = Course.objects.visible_to(user)
        if not user.is_trainer:
            courses = courses.filter(
                enrollments__user=user, enrollments__status=Enrollment.Status.ACTIVE
            )
        return Module.objects.filter(course__in=courses).prefetch_related("lessons")

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = call(
            authoring.update_module,
            actor=_user(self.request),
            module=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: Module) -> None:
        call(authoring.delete_module, actor=_user(self.request), module=instance)

    @extend_schema(
        request=MoveSerializer, responses=ModuleSerializer, summary="Move one place up or down"
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        module = self.get_object()
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call(
            authoring.move_module, actor=_user(request), module_pk=module.pk, **data.validated_data
        )
        module.refresh_from_db()
        return Response(ModuleSerializer(module).data)

    @extend_schema(
        request=LessonSerializer, responses={201: LessonSerializer}, summary="Add a lesson"
    )
    @action(detail=True, methods=["post"])
    def lessons(self, request: Request, pk: str | None = None) -> Response:
        module = self.get_object()
        data = LessonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lesson = call(
            authoring.add_lesson, actor=_user(request), module=module, **data.validated_data
        )
        return Response(LessonSerializer(lesson).data, status=status.HTTP_201_CREATED)


class LessonViewSet(
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Learners open lessons only of courses they are enrolled in, and not in locked modules."""

    serializer_class = LessonSerializer
    permission_classes = [permissions.IsAuthenticated, IsTrainerOrReadOnly]

    def get_permissions(self) -> Sequence[Any]:
        if self.action == "complete":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self) -> QuerySet[Lesson]:
        if getattr(self, "swagger_fake_view", False):
            return Lesson.objects.none()
        user = _user(self.request)
        if user.is_trainer and self.action != "complete":
            courses = Course.objects.visible_to(user)
        else:
            courses = Course.objects.published().filter(
                enrollments__user=user, enrollments__status=Enrollment.Status.ACTIVE
            )
        return (
            Lesson.objects.filter(module__course__in=courses)
            .select_related("module__course")
            .prefetch_related("attachments")
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        lesson = self.get_object()
        if not _user(request).is_trainer:
            enrollment = Enrollment.objects.select_related("course").get(
                user=_user(request), course=lesson.module.course
            )
            state = next(
                m for m in progress_of(enrollment).modules if m.module.pk == lesson.module_id
            )
            if state.locked:
                raise PermissionDenied(_("Học phần này chưa mở. Hãy hoàn thành học phần trước."))
        return Response(self.get_serializer(lesson).data)

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = call(
            authoring.update_lesson,
            actor=_user(self.request),
            lesson=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: Lesson) -> None:
        call(authoring.delete_lesson, actor=_user(self.request), lesson=instance)

    @extend_schema(request=None, responses=ProgressSerializer, summary="Mark the lesson done")
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        lesson = self.get_object()
        progress = call(services.mark_lesson_done, user=_user(request), lesson=lesson)
        return Response(ProgressSerializer(progress_data(progress)).data)

    @extend_schema(
        request=MoveSerializer, responses=LessonSerializer, summary="Move one place up or down"
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        lesson = self.get_object()
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call(
            authoring.move_lesson, actor=_user(request), lesson_pk=lesson.pk, **data.validated_data
        )
        lesson.refresh_from_db()
        return Response(LessonSerializer(lesson).data)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("course", int, description="Only this course")])
)
class EnrollmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Trainers and admins: enrolments of learners in their scope; learners: their own.
    Create enrols one learner (`user`) or assigns the course to a unit (`unit`).
    Delete unenrols and keeps the history."""

    serializer_class = EnrollmentSerializer
    permission_classes = [permissions.IsAuthenticated, IsTrainerOrReadOnly]

    def get_queryset(self) -> QuerySet[Enrollment]:
        if getattr(self, "swagger_fake_view", False):
            return Enrollment.objects.none()
        qs = Enrollment.objects.visible_to(_user(self.request)).select_related("user", "course")
        course = parse_id(self.request.query_params.get("course"))
        if course is not None:
            qs = qs.filter(course_id=course)
        return qs.order_by("-enrolled_at", "-pk")

    @extend_schema(
        request=EnrollmentCreateSerializer, responses={201: EnrollmentSerializer(many=True)}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = EnrollmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = _user(request)
        if not Course.objects.visible_to(user).filter(pk=v["course"].pk).exists():
            raise PermissionDenied(_("Khóa học nằm ngoài phạm vi của bạn."))
        if v.get("unit"):
            assignment = call(
                services.assign_course,
                actor=user,
                course=v["course"],
                unit=v["unit"],
                deadline_kind=v["deadline_kind"],
                due_date=v.get("due_date"),
                due_days=v.get("due_days"),
            )
            rows = list(
                Enrollment.objects.filter(assignment=assignment).select_related("user", "course")
            )
        else:
            enrollment = call(
                services.enrol_user,
                actor=user,
                user=v["user"],
                course=v["course"],
                due_date=v.get("due_date"),
            )
            rows = [enrollment]
        return Response(EnrollmentSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Enrollment) -> None:
        call(services.unenrol, actor=_user(self.request), enrollment=instance)
