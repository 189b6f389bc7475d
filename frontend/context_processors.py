from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

# Apps add entries here as (url name, label, who): who is "learner",
# "trainer" (trainers and admins) or "admin" (admins only).
NAV_ITEMS: list[tuple[str, Any, str]] = []


def nav(url_name: str, label: Any, who: str) -> None:
    NAV_ITEMS.append((url_name, label, who))


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    allowed = {"learner"}
    if user.is_trainer:
        allowed.add("trainer")
    if user.is_unit_admin:
        allowed.add("admin")
    items: list[dict[str, Any]] = [{"url": reverse("frontend:dashboard"), "label": _("Trang chủ")}]
    for url_name, label, who in NAV_ITEMS:
        if who in allowed:
            items.append({"url": reverse(url_name), "label": str(label)})
    current = request.path
    for item in items:
        item["current"] = item["url"] == current or (
            item["url"] != "/" and current.startswith(item["url"])
        )
    return {"nav_items": items}
