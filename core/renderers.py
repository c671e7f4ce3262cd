"""The API's JSON renderer: DRF's JSONRenderer output, encoded by orjson.

DRF's renderer runs `json.dumps` with a Python-level `default`; orjson encodes the same data
in C. What the mobile client parses stays byte for byte what DRF sends (a test compares the
two on every type the API returns): compact separators, UTF-8 text (not \\u escapes), dates,
times and datetimes through DRF's own encoder (`OPT_PASSTHROUGH_DATETIME`: "Z" for UTC,
milliseconds), Decimal through DRF's encoder as today, UUIDs as their canonical string, lazy
translations forced, U+2028/U+2029 escaped. Floats may be spelled differently (orjson writes
`1e-5` where `json` writes `1e-05`), which parses to the same number. Anything orjson refuses
(an integer beyond 64 bits, a non-string key, a nesting deeper than 254) and any request for
indentation (`Accept: application/json; indent=4`) go to DRF's renderer unchanged.
"""

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_drf_default = JSONEncoder().default


class FastJSONRenderer(JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type or "", renderer_context or {})
        if indent is not None or self.ensure_ascii or not self.compact:
            return super().render(data, accepted_media_type, renderer_context)
        rendered = fast_json(data)
        if rendered is None:
            return super().render(data, accepted_media_type, renderer_context)
        return rendered


def fast_json(data: Any) -> bytes | None:
    """`data` as the renderer writes it without indentation, or None for what orjson refuses
    (the renderer then asks DRF's). Also what `core.computed_routes` answers with."""
    try:
        rendered = orjson.dumps(data, default=_drf_default, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except orjson.JSONEncodeError:
        return None
    if b"\xe2\x80\xa8" in rendered or b"\xe2\x80\xa9" in rendered:
        rendered = rendered.replace(b"\xe2\x80\xa8", b"\\u2028")
        rendered = rendered.replace(b"\xe2\x80\xa9", b"\\u2029")
    return rendered
