"""`{% load numbers %}`: numbers in the active language's format, for every template."""

from django import template

from accounts.text import format_number

register = template.Library()


@register.filter
def num(value: object, places: int = 2) -> str:
    """Every number a page shows: `{{ attempt.percent|num }}`, `{{ share|num:1 }}`."""
    return format_number(value, int(places))
