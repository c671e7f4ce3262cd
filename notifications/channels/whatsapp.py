"""WhatsApp through the Cloud API: approved template messages, one per kind and language.

The request is the documented one: POST https://graph.facebook.com/<version>/<phone-number-id>
/messages with a Bearer token and {messaging_product, to, type: "template", template: {name,
language: {code}, components: [{type: "body", parameters: [{type: "text", text}]}]}}; the
answer's messages[0].id is the id delivery webhooks report on.
"""

import json
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from notifications.channels import ChannelError, Outgoing
from notifications.channels.http import error_text, post_json


def template_name(kind: str) -> str:
    names: dict[str, str] = settings.WHATSAPP_TEMPLATE_NAMES
    return names.get(kind, f"quickcare_{kind}")


def template_payload(message: Outgoing) -> dict[str, Any]:
    parameters = [{"type": "text", "text": value} for value in message.variables.values()]
    return {
        "messaging_product": "whatsapp",
        "to": message.to.lstrip("+"),
        "type": "template",
        "template": {
            "name": template_name(message.kind),
            "language": {"code": message.language},
            "components": [{"type": "body", "parameters": parameters}],
        },
    }


class BaseWhatsAppBackend:
    def send(self, message: Outgoing) -> str | None:
        raise NotImplementedError


outbox: list[dict[str, Any]] = []


class LocmemWhatsAppBackend(BaseWhatsAppBackend):
    def send(self, message: Outgoing) -> str | None:
        outbox.append(template_payload(message))
        return f"wamid.locmem-{len(outbox)}"


class FileWhatsAppBackend(BaseWhatsAppBackend):
    """JSON lines of the request bodies (`make run`: var/whatsapp.jsonl)."""

    def send(self, message: Outgoing) -> str | None:
        path = Path(settings.WHATSAPP_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(template_payload(message), ensure_ascii=False) + "\n")
        return None


class CloudWhatsAppBackend(BaseWhatsAppBackend):
    def __init__(self, transport: httpx.BaseTransport | None = None) -> None:
        self.transport = transport

    def url(self) -> str:
        version = settings.WHATSAPP_API_VERSION
        return f"https://graph.facebook.com/{version}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"

    def send(self, message: Outgoing) -> str | None:
        response = post_json(
            self.url(),
            payload=template_payload(message),
            token=settings.WHATSAPP_ACCESS_TOKEN,
            transport=self.transport,
        )
        if response.status_code >= 400:
            raise ChannelError(error_text(response))
        messages = response.json().get("messages") or [{}]
        message_id = messages[0].get("id")
        return str(message_id) if message_id else None


def get_backend() -> BaseWhatsAppBackend:
    backend: BaseWhatsAppBackend = import_string(settings.WHATSAPP_BACKEND)()
    return backend
