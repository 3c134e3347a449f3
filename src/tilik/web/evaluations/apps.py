from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "tilik.web.evaluations"
    label = "evaluations"
    verbose_name = _("Evaluasi")

    def ready(self) -> None:
        from tilik.web import checks  # noqa: F401  (registers the system checks)
