from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tilik.web.audit"
    label = "audit"
    verbose_name = _("Jejak audit")

    def ready(self) -> None:
        from tilik.web.audit import signals  # noqa: F401  (sign-ins, database guard)
