"""Wagtail audit-log actions for every workflow transition (wian.<transition>)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


def register_workflow_log_actions(actions) -> None:
    from workflows.machine import TRANSITIONS

    for name, (label, _source, _target) in TRANSITIONS.items():
        actions.register_action(f"wian.{name}", label, label)
    actions.register_action("wian.imported", _("Imported"), _("Imported"))
    attached = _("Scanned signed copy attached")
    actions.register_action("wian.attach_scan", attached, attached)


hooks.register("register_log_actions", register_workflow_log_actions)
