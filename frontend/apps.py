from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = _("Giao diện")

    def ready(self) -> None:
        """The screens are assembled here, from the domain's querysets and services:
        the domain apps know nothing of dashboards or navigation."""
        from .context_processors import NAV_ITEMS, nav
        from .views.core import DASHBOARD_SECTIONS
        from .views.courses import dashboard_section as courses_section
        from .views.quizzes.learner import dashboard_section as open_attempts_section
        from .views.training.sessions import dashboard_section as sessions_section

        DASHBOARD_SECTIONS[:] = [courses_section, sessions_section, open_attempts_section]
        NAV_ITEMS.clear()
        nav("frontend:my-certificates", _("Chứng nhận của tôi"), "learner")
        nav("frontend:certificate-register", _("Sổ cấp chứng nhận"), "admin")
        nav("frontend:certificate-settings-list", _("Mẫu chứng nhận"), "trainer")
        nav("frontend:unit-list", _("Đơn vị"), "trainer")
        nav("frontend:user-list", _("Người dùng"), "trainer")
        nav("frontend:audit-list", _("Nhật ký"), "admin")
        nav("frontend:course-list", _("Khóa học"), "learner")
        nav("frontend:session-list", _("Tập huấn"), "learner")
        nav("frontend:authoring-list", _("Soạn khóa học"), "trainer")
        nav("frontend:reports", _("Báo cáo"), "trainer")
        nav("frontend:quiz-bank", _("Ngân hàng câu hỏi"), "trainer")
        nav("frontend:quiz-manage", _("Bài kiểm tra"), "trainer")
        nav("frontend:grading-queue", _("Chấm bài"), "trainer")
