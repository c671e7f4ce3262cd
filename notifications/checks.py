"""Deployment check: with MSG91 every notification kind needs its registered (DLT) template.

MSG91 sends registered templates only (India's DLT rules) and a kind without one fails at send,
never as free text; `check --deploy` says so before the first patient misses a reminder. The
core checks its own kind (the OTP, `quickcare.W003`); this one checks the notification kinds.
"""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

from core.checks import msg91_in_use
from notifications.models import Kind


@register(Tags.security, deploy=True)
def msg91_notification_templates_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if not msg91_in_use():
        return []
    missing = [kind.value for kind in Kind if not settings.MSG91_TEMPLATES.get(kind.value)]
    if not missing:
        return []
    return [
        Warning(
            f"MSG91 has no template for notification kind(s) {', '.join(missing)}: those "
            "SMS fail at send.",
            hint="Add each kind to MSG91_TEMPLATES (kind=<DLT template id>, comma-separated).",
            id="quickcare.W005",
        )
    ]
