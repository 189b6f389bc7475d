from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Tập huấn")

    def ready(self) -> None:
        from courses import requirements

        from . import completion

        requirements.register(completion.attendance_steps)
