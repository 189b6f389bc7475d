from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Bài kiểm tra")

    def ready(self) -> None:
        try:
            from frontend.views.core import DASHBOARD_SECTIONS
        except ImportError:
            return
        from frontend.views.quizzes.learner import dashboard_section

        if dashboard_section not in DASHBOARD_SECTIONS:
            DASHBOARD_SECTIONS.append(dashboard_section)
