from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản và đơn vị")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        import config.fastauth  # noqa: F401  (drops a cached user whenever the row changes)
        from accounts.text import register_sqlite_collation

        connection_created.connect(register_sqlite_collation)
