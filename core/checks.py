"""Deployment checks: `manage.py check --deploy` warns about development-only settings."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_SMS_BACKENDS = {
    "core.sms.ConsoleBackend",
    "core.sms.FileBackend",
    "core.sms.LocmemBackend",
}
MSG91_BACKEND = "core.sms.Msg91Backend"
ROUTING_BACKEND = "core.sms.RoutingBackend"


@register(Tags.security, deploy=True)
def master_otp_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.MASTER_OTP:
        return [
            Warning(
                "MASTER_OTP is set: anyone knowing it can register any phone number.",
                hint="Leave MASTER_OTP empty outside development.",
                id="quickcare.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def sms_backend_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.SMS_BACKEND in LOCAL_SMS_BACKENDS:
        return [
            Warning(
                f"SMS_BACKEND is {settings.SMS_BACKEND}: OTPs and temporary passwords "
                "never reach a phone.",
                hint="Use core.sms.Msg91Backend, core.sms.TwilioBackend or "
                "core.sms.RoutingBackend (SMS_ROUTES) in production.",
                id="quickcare.W002",
            )
        ]
    return []


def msg91_in_use() -> bool:
    """Whether some SMS goes through MSG91 (directly or by a route)."""
    if settings.SMS_BACKEND == MSG91_BACKEND:
        return True
    return settings.SMS_BACKEND == ROUTING_BACKEND and MSG91_BACKEND in set(
        settings.SMS_ROUTES.values()
    )


@register(Tags.security, deploy=True)
def msg91_templates_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """MSG91 sends only registered (DLT) templates: every kind QuickCare sends needs one."""
    from core.sms import MSG91_OTP_VIA_CHOICES, SMSKind

    if not msg91_in_use():
        return []
    warnings = []
    missing = [kind.value for kind in SMSKind if not settings.MSG91_TEMPLATES.get(kind.value)]
    if missing:
        warnings.append(
            Warning(
                f"MSG91 has no template for SMS kind(s) {', '.join(missing)}: those "
                "messages fail at send.",
                hint="Set MSG91_TEMPLATES=otp=<template id>,... (one per kind).",
                id="quickcare.W003",
            )
        )
    if settings.MSG91_OTP_VIA not in MSG91_OTP_VIA_CHOICES:
        warnings.append(
            Warning(
                f"MSG91_OTP_VIA is {settings.MSG91_OTP_VIA!r}: OTPs fail at send.",
                hint="Use otp_api (MSG91's SendOTP API) or flow (its Flow API).",
                id="quickcare.W004",
            )
        )
    return warnings
