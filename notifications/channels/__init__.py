"""Delivery channels: SMS (core.sms), WhatsApp Cloud API, FCM push, and the in-app inbox.

Each external channel has backends chosen by a setting the way `SMS_BACKEND` chooses one
(locmem for tests, a JSON-lines file for `make run`, the real HTTP client in production).
"""

from collections.abc import Mapping
from dataclasses import dataclass


class ChannelError(Exception):
    """The provider did not take the message; worth retrying later."""


class NotDeliverable(Exception):
    """This message cannot go out on this channel at all (no device, no number): skip it."""


@dataclass(frozen=True)
class Outgoing:
    """What a channel needs: never a model, so backends stay plain."""

    notification_id: int
    kind: str
    language: str
    to: str
    title: str
    body: str
    variables: Mapping[str, str]
    data: Mapping[str, str]
