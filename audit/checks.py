"""Deployment check: the signing key of checkpoints and consent artefacts must be set."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def audit_signing_key_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.AUDIT_SIGNING_KEY:
        return [
            Error(
                "AUDIT_SIGNING_KEY is not set: audit checkpoints and consent artefacts "
                "cannot be signed.",
                hint="Set it to the base64 of a 32-byte Ed25519 private seed.",
                id="quickcare.E101",
            )
        ]
    return []
