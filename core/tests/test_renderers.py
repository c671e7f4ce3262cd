"""core.renderers.FastJSONRenderer gives the bytes DRF's JSONRenderer gives (what the mobile
client parses), for every type the API returns, and falls back where orjson cannot."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from core.renderers import FastJSONRenderer


class Status(StrEnum):
    PENDING = "pending"


SAMPLES = [
    {"id": 7, "ok": True, "none": None, "nested": [1, [2, {"a": "b"}]], "empty": {}},
    {"fee": Decimal("500.00"), "small": Decimal("0.10"), "negative": Decimal("-3")},
    {"fee_as_string": "500.00"},
    {"when": dt.datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)},
    {"ist": dt.datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Asia/Kolkata"))},
    {"naive": dt.datetime(2026, 12, 1, 9, 30), "date": dt.date(2026, 12, 1)},
    {"time": dt.time(9, 15), "time_us": dt.time(9, 15, 0, 500000)},
    {"uuid": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"hindi": "नमस्ते डॉक्टर", "emoji": "🩺", "quote": 'a"b\\c', "controls": "\n\t\x01\x1f\x7f"},
    {"separators": "line\u2028para\u2029end"},
    {"lazy": gettext_lazy("Password changed successfully."), "enum": Status.PENDING},
    ReturnDict({"a": 1}, serializer=None),
    ReturnList([{"a": 1}, {"b": [dt.date(2026, 1, 2)]}], serializer=None),
    [],
    "plain string",
    12,
    (1, 2),
]


@pytest.mark.parametrize("data", SAMPLES, ids=range(len(SAMPLES)))
def test_same_bytes_as_drf(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_floats_parse_to_the_same_numbers():
    data = {"values": [0.1, 1e-05, 1e16, 3.0, -2.5, 123456.789]}
    fast, drf = FastJSONRenderer().render(data), JSONRenderer().render(data)
    assert json.loads(fast) == json.loads(drf) == data


def test_none_renders_empty():
    assert FastJSONRenderer().render(None) == b""


@pytest.mark.parametrize("data", [{"big": 2**70}, {1: "int key", None: "none key"}])
def test_what_orjson_refuses_goes_to_drf(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_too_deep_for_orjson_goes_to_drf():
    data: list = []
    cursor = data
    for _ in range(300):
        cursor.append([])
        cursor = cursor[0]
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_indent_requests_go_to_drf():
    data = {"a": [1, 2]}
    media = "application/json; indent=4"
    rendered = FastJSONRenderer().render(data, media, {})
    assert rendered == JSONRenderer().render(data, media, {})
    assert b"\n    " in rendered


def test_the_api_answers_with_the_fast_renderer():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"][0] == (
        "core.renderers.FastJSONRenderer"
    )
    from quickcare import settings as production

    assert production.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"][0] == (
        "core.renderers.FastJSONRenderer"
    )
