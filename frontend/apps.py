from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = _("Giao diện")

    def ready(self) -> None:
        from .context_processors import nav

        nav("frontend:unit-list", _("Đơn vị"), "trainer")
        nav("frontend:user-list", _("Người dùng"), "trainer")
        nav("frontend:audit-list", _("Nhật ký"), "admin")
        nav("frontend:course-list", _("Khóa học"), "learner")
        nav("frontend:authoring-list", _("Soạn khóa học"), "trainer")
        nav("frontend:reports", _("Báo cáo"), "trainer")
        nav("frontend:quiz-bank", _("Ngân hàng câu hỏi"), "trainer")
        nav("frontend:quiz-manage", _("Bài kiểm tra"), "trainer")
        nav("frontend:grading-queue", _("Chấm bài"), "trainer")
