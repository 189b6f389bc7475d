from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản và đơn vị")

    def ready(self) -> None:
        import config.fastauth  # noqa: F401  (drops a cached user whenever the row changes)
