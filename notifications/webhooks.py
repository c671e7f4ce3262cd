"""Delivery callbacks: `POST /api/notifications/webhooks/<provider>/` (msg91, twilio, whatsapp).

Each provider proves itself the way it documents, checked in constant time before the body is
read: Twilio's X-Twilio-Signature (base64 HMAC-SHA1 with the auth token over the URL followed
by the sorted form fields, each name then value), WhatsApp's X-Hub-Signature-256
("sha256=" + hex HMAC-SHA256 of the raw body with the app secret). MSG91 signs nothing, so
its callback URL is configured with our shared secret in the X-QuickCare-Webhook-Secret
header (MSG91_WEBHOOK_SECRET). An unknown provider, a missing secret or a bad signature: 403.

WhatsApp (Meta) first verifies the callback URL with a GET handshake: hub.mode=subscribe,
hub.verify_token (the token typed into the app dashboard: WHATSAPP_VERIFY_TOKEN, compared in
constant time) and hub.challenge, which is echoed back as text/plain with 200. A wrong or
missing token, or no WHATSAPP_VERIFY_TOKEN configured: 403. Other providers have no GET (405).
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import MethodNotAllowed, ParseError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.error_codes import ErrorCode
from core.exceptions import NotPermitted
from core.schema import ErrorOutputSerializer, error_responses
from notifications.models import Channel
from notifications.serializers import WebhookOutputSerializer
from notifications.services import DeliveryUpdate, delivery_status_record

REFUSED = "This callback is not signed by a known provider."
HANDSHAKE_REFUSED = "This verification request does not carry our verify token."


def _whatsapp_handshake_ok(request: Request) -> bool:
    expected = settings.WHATSAPP_VERIFY_TOKEN
    given = request.query_params.get("hub.verify_token", "")
    mode = request.query_params.get("hub.mode", "")
    if not expected or not given or mode != "subscribe":
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def _twilio_ok(request: Request, raw: bytes) -> bool:
    token = settings.TWILIO_AUTH_TOKEN
    given = request.headers.get("X-Twilio-Signature", "")
    if not token or not given:
        return False
    url = settings.TWILIO_WEBHOOK_URL or request.build_absolute_uri()
    fields = sorted(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    signed = url + "".join(name + value for name, value in fields)
    digest = hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    return hmac.compare_digest(base64.b64encode(digest).decode(), given)


def _whatsapp_ok(request: Request, raw: bytes) -> bool:
    secret = settings.WHATSAPP_APP_SECRET
    given = request.headers.get("X-Hub-Signature-256", "")
    if not secret or not given:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


def _msg91_ok(request: Request, raw: bytes) -> bool:
    secret = settings.MSG91_WEBHOOK_SECRET
    given = request.headers.get("X-QuickCare-Webhook-Secret", "")
    return bool(secret) and hmac.compare_digest(secret.encode(), given.encode())


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError as exc:
        raise ParseError("The callback body is not JSON.") from exc


def _msg91_updates(raw: bytes) -> list[DeliveryUpdate]:
    body = _json(raw)
    items = body.get("data", [body]) if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise ParseError("Expected a JSON object or list of delivery reports.")
    return [
        DeliveryUpdate(
            message_id=str(item.get("requestId") or item.get("request_id") or ""),
            status=str(item.get("status", "")).lower(),
            error=str(item.get("desc", "")),
        )
        for item in items
        if isinstance(item, dict)
    ]


def _twilio_updates(raw: bytes) -> list[DeliveryUpdate]:
    fields = dict(parse_qsl(raw.decode("utf-8", "replace")))
    return [
        DeliveryUpdate(
            message_id=fields.get("MessageSid", ""),
            status=fields.get("MessageStatus", "").lower(),
            error=fields.get("ErrorCode", ""),
        )
    ]


def _whatsapp_updates(raw: bytes) -> list[DeliveryUpdate]:
    body = _json(raw)
    if not isinstance(body, dict):
        raise ParseError("Expected a JSON object.")
    updates = []
    for entry in body.get("entry") or []:
        for change in entry.get("changes") or []:
            for report in (change.get("value") or {}).get("statuses") or []:
                errors = report.get("errors") or [{}]
                updates.append(
                    DeliveryUpdate(
                        message_id=str(report.get("id", "")),
                        status=str(report.get("status", "")).lower(),
                        error=str(errors[0].get("title", "")),
                    )
                )
    return updates


Verifier = Callable[[Request, bytes], bool]
Parser = Callable[[bytes], list[DeliveryUpdate]]
PROVIDERS: dict[str, tuple[Verifier, Parser, str]] = {
    "msg91": (_msg91_ok, _msg91_updates, Channel.SMS),
    "twilio": (_twilio_ok, _twilio_updates, Channel.SMS),
    "whatsapp": (_whatsapp_ok, _whatsapp_updates, Channel.WHATSAPP),
}


class DeliveryWebhookView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["notifications"],
        summary="WhatsApp's callback URL verification (echoes hub.challenge)",
        description="Only for provider `whatsapp` (others: 405). The verify token must equal "
        "the server's WHATSAPP_VERIFY_TOKEN; the answer is the challenge as plain text.",
        parameters=[
            OpenApiParameter("hub.mode", OpenApiTypes.STR, enum=["subscribe"], required=True),
            OpenApiParameter("hub.verify_token", OpenApiTypes.STR, required=True),
            OpenApiParameter("hub.challenge", OpenApiTypes.STR, required=True),
        ],
        responses={
            (200, "text/plain"): OpenApiResponse(
                response=OpenApiTypes.STR, description="The hub.challenge, verbatim."
            ),
            403: OpenApiResponse(
                response=ErrorOutputSerializer,
                description="Wrong or missing verify token, or none configured (webhook_refused).",
            ),
            405: OpenApiResponse(
                response=ErrorOutputSerializer, description="A provider without a handshake."
            ),
        },
    )
    def get(self, request: Request, provider: str) -> HttpResponse:
        if provider != "whatsapp":
            raise MethodNotAllowed(request.method or "GET")
        if not _whatsapp_handshake_ok(request):
            raise NotPermitted(HANDSHAKE_REFUSED, code=ErrorCode.WEBHOOK_REFUSED)
        challenge = request.query_params.get("hub.challenge", "")
        return HttpResponse(challenge, content_type="text/plain; charset=utf-8")

    @extend_schema(
        tags=["notifications"],
        summary="A provider's delivery report (signature or shared secret verified)",
        request=OpenApiTypes.OBJECT,
        responses={200: WebhookOutputSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request, provider: str) -> Response:
        raw = request.body
        known = PROVIDERS.get(provider)
        if known is None or not known[0](request, raw):
            raise NotPermitted(REFUSED, code=ErrorCode.WEBHOOK_REFUSED)
        _, parse, channel = known
        updated = delivery_status_record(channel=channel, updates=parse(raw))
        return Response({"updated": updated})
