from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Khóa học")

    def ready(self) -> None:
        from accounts.signals import learner_placed

        from . import services

        learner_placed.connect(services.on_learner_placed, dispatch_uid="courses-placed")
        try:
            # The quiz engine may not define its signal yet; connect when it does.
            from quizzes.signals import quiz_grade_changed
        except ImportError:
            pass
        else:
            quiz_grade_changed.connect(
                services.on_quiz_grade_changed, dispatch_uid="courses-grade-changed"
            )
        try:
            from frontend.views.core import DASHBOARD_SECTIONS
        except ImportError:
            return
        from frontend.views.courses import dashboard_section

        if dashboard_section not in DASHBOARD_SECTIONS:
            DASHBOARD_SECTIONS.append(dashboard_section)
