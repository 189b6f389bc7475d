from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "courses.reports"
    label = "reports"
    verbose_name = _("Báo cáo")

    def ready(self) -> None:
        try:
            from frontend.context_processors import nav
        except ImportError:
            return
        nav("frontend:reports", _("Báo cáo"), "trainer")
