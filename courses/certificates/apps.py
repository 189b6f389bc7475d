from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "courses.certificates"
    label = "certificates"
    verbose_name = _("Giấy chứng nhận")

    def ready(self) -> None:
        from courses.signals import course_completed

        from . import receivers

        course_completed.connect(receivers.on_course_completed, dispatch_uid="certificates-issue")
        try:
            from quizzes.signals import quiz_grade_changed
        except ImportError:  # the quiz engine is optional for this app
            pass
        else:
            quiz_grade_changed.connect(
                receivers.on_quiz_grade_changed, dispatch_uid="certificates-regrade"
            )
