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
