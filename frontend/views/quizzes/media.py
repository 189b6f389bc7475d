"""Images of questions, served only to whoever may see the question."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from accounts.http import AuthedRequest
from quizzes.models import AttemptSlot, Question, QuestionMedia


@login_required
@require_GET
def question_media(request: AuthedRequest, pk: int, name: str) -> FileResponse:
    """The learner with an attempt holding the question, or a trainer whose
    bank includes it; anyone else gets 404 (not 403: nothing is disclosed)."""
    user = request.user
    allowed = AttemptSlot.objects.filter(attempt__user=user, version__question_id=pk).exists() or (
        (user.is_trainer or user.is_superuser)
        and Question.objects.visible_to(user).filter(pk=pk).exists()
    )
    if not allowed:
        raise Http404
    media = get_object_or_404(QuestionMedia, question_id=pk, name=name)
    response = FileResponse(media.file.open("rb"), content_type=media.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
