"""Learner pages for courses (filled in below)."""

from typing import Any

from django.http import HttpRequest


def dashboard_section(request: HttpRequest) -> dict[str, Any] | None:
    return None
