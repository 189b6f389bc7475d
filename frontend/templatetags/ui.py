from django import template

register = template.Library()


@register.filter
def indent(depth: int) -> str:
    """Visual indentation of a tree node in a <select> (no inline styles under CSP)."""
    return "— " * max(int(depth) - 1, 0)
