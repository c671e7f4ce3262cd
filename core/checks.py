"""Deployment checks: `manage.py check --deploy` warns about development-only settings."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
    if settings.SMS_BACKEND in {
        "core.sms.ConsoleBackend",
        "core.sms.FileBackend",
        "core.sms.LocmemBackend",
    }:
        return [
            Warning(
                f"SMS_BACKEND is {settings.SMS_BACKEND}: OTPs and temporary passwords "
                "never reach a phone.",
                hint="Use core.sms.Msg91Backend or core.sms.TwilioBackend in production.",
                id="quickcare.W002",
            )
        ]
    return []
