from typing import Any, cast

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.http import AuthedApiRequest
from config.ids import parse_id

from .. import access
from ..models import Quiz
from ..serializers import AttemptSerializer, ErrorSerializer, LearnerQuizSerializer, QuizSerializer
from ..services import QuizUnavailable, quiz_for_start, start_attempt
from .attempts import attempt_payload
from .builder import QuizBuilderMixin
from .common import IsTrainerOrReadOnly


class QuizViewSet(QuizBuilderMixin, viewsets.ModelViewSet):
    """Trainers: quizzes of their units (CRUD). Learners: the quizzes they may take."""

    queryset = Quiz.objects.none()
    serializer_class = QuizSerializer
    permission_classes = [IsTrainerOrReadOnly]
    request: AuthedApiRequest

    def get_serializer_class(self) -> Any:
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or user.is_trainer:
            return QuizSerializer
        return LearnerQuizSerializer

    def get_queryset(self) -> QuerySet[Quiz]:
        user = self.request.user
        if user.is_trainer:
            return Quiz.objects.visible_to(user).prefetch_related("items__tag").order_by("id")
        ids = [q.pk for q in access.learner_quizzes(user)]
        return Quiz.objects.filter(pk__in=ids).order_by("id")

    def _check_edit(self, quiz: Quiz) -> None:
        if not access.may_edit_quiz(self.request.user, quiz):
            raise PermissionDenied()

    def perform_update(self, serializer: BaseSerializer[Quiz]) -> None:
        self._check_edit(cast(Quiz, serializer.instance))  # the object update() fetched
        serializer.save()

    def perform_destroy(self, instance: Quiz) -> None:
        self._check_edit(instance)
        if instance.attempts.exists():
            from django.utils.translation import gettext as _
            from rest_framework.exceptions import ValidationError

            raise ValidationError(_("Bài kiểm tra đã có lượt làm bài, không thể xóa."))
        instance.delete()

    @extend_schema(
        request=None,
        responses={200: AttemptSerializer, 201: AttemptSerializer, 409: ErrorSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="attempts",
        permission_classes=[permissions.IsAuthenticated],
    )
    def attempts(self, request: AuthedApiRequest, pk: str | None = None) -> Response:
        """Start an attempt, or resume the open one. Never contains answer keys."""
        quiz_id = parse_id(pk)
        quiz = None if quiz_id is None else quiz_for_start(quiz_id=quiz_id, user=request.user)
        if quiz is None or not access.may_take(request.user, quiz):
            raise NotFound()
        try:
            attempt = start_attempt(user=request.user, quiz=quiz)
        except QuizUnavailable as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        fresh = hasattr(attempt, "prefetched_slots")
        return Response(
            attempt_payload(attempt, timezone.now()),
            status=status.HTTP_201_CREATED if fresh else status.HTTP_200_OK,
        )
