from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Circular workflow")

    def ready(self) -> None:
        from workflows import log_actions  # noqa: F401  (registers the audit-log actions)
