from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def indent(depth: int) -> str:
    """Visual indentation of a tree node in a <select> (no inline styles under CSP)."""
    return "— " * max(int(depth) - 1, 0)


@register.filter
def notranslate(value: object) -> str:
    """User content inside interface text ("Bảng điểm: <title>") kept as written:
    browser translators and the browser suite's language check skip it."""
    return format_html('<span translate="no">{}</span>', value)


@register.filter
def get(mapping: dict, key: object) -> object:
    """mapping[key] in a template (None when absent): `states|get:quiz.pk`."""
    return mapping.get(key) if mapping else None


@register.filter
def minutes(seconds: int | None) -> str:
    """A stored duration in seconds shown in minutes (hours and minutes when long):
    `{{ quiz.time_limit|minutes }}` -> "1 giờ 30 phút"."""
    from accounts.text import format_duration

    return format_duration(seconds)


@register.filter
def question_text(text: str, question_id: int | None) -> str:
    """A question text as HTML: escaped, line breaks kept, its images shown
    (``![alt](media:NAME)`` tokens) with their alt text."""
    from quizzes.media import render

    return render(text, question_id)


@register.filter
def question_plain(text: str) -> str:
    """A question text for lists and excerpts: each image as its description."""
    from quizzes.media import plain

    return plain(text)
