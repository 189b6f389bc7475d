from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Khóa học")

    def ready(self) -> None:
        from accounts.signals import appointment_changed, learner_placed
        from quizzes.signals import quiz_grade_changed

        from . import services

        learner_placed.connect(services.on_learner_placed, dispatch_uid="courses-placed")
        appointment_changed.connect(
            services.on_appointment_changed, dispatch_uid="courses-appointment"
        )
        quiz_grade_changed.connect(services.on_quiz_grade_changed, dispatch_uid="courses-grade")
