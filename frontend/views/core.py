from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.models import Unit, User

# Filled by FrontendConfig.ready(): callables (request) -> dict of
# template context; each section names its own template in "template".
DASHBOARD_SECTIONS: list[Any] = []


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for load balancers and the demo check."""
    status: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception as exc:
        status["database"] = f"error: {exc.__class__.__name__}"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        status["broker"] = "eager"
    else:
        from config.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=1)
            status["broker"] = "ok"
        except Exception as exc:
            status["broker"] = f"error: {exc.__class__.__name__}"
    healthy = status["database"] == "ok" and status["broker"] in ("ok", "eager")
    status["status"] = "ok" if healthy else "degraded"
    return JsonResponse(status, status=200 if status["database"] == "ok" else 503)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context: dict[str, Any] = {"sections": []}
    for section in DASHBOARD_SECTIONS:
        part = section(request)
        if part:
            context["sections"].append(part)
    if user.is_trainer:
        units = Unit.objects.visible_to(user).order_by("path")
        context["units"] = units.filter(grants__user=user) if not user.is_superuser else units[:50]
        context["user_count"] = User.objects.visible_to(user).learners().count()
    return render(request, "frontend/dashboard.html", context)
