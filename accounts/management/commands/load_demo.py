import importlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

# Each app that has demo content provides `<app>.demo.load()`; they run in
# this order (people first, then courses, then quizzes and results).
DEMO_MODULES = [
    "accounts.demo",
    "courses.demo",
    "quizzes.demo",
    "courses.reports.demo",
    "courses.certificates.demo",
    "training.demo",
]


class Command(BaseCommand):
    help = "Load the Vietnamese demo data (idempotent) and print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        accounts: list[tuple[str, str, str]] = []
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            accounts += module.load() or []
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng. Tài khoản demo:"))
        for username, password, role in accounts:
            self.stdout.write(f"  {username:<14} {password:<16} {role}")
        self.stdout.write(f"Bồi Dưỡng: {settings.SITE_URL.rstrip('/')}/")
