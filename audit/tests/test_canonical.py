"""`audit.canonical.canonical` writes exactly RFC 8785 (the `rfc8785` package) for every body
it accepts, through its fast path or not, and refuses what JCS refuses."""

import enum

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.canonical import _plain, canonical

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
    st.text(),  # every code point, controls and non-BMP included (no lone surrogates)
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x3F)),
)
keys = st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=0x7F)))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)
bodies = st.dictionaries(keys, values, max_size=8)


@settings(max_examples=600, deadline=None)
@given(bodies)
def test_equals_the_rfc8785_package(body):
    assert canonical(body) == rfc8785.dumps(body).decode("utf-8")


class Role(enum.StrEnum):
    DOCTOR = "doctor"


class Level(enum.IntEnum):
    HIGH = 3


@pytest.mark.parametrize(
    "body",
    [
        {"b": 1, "a": [True, None, "x"], "\u00e9": "non-ASCII key: the package's order"},
        {"\U0001f600": 1, "\ufb01": 2},  # UTF-16 order differs from code point order here
        {"ctl": '\x00\x01\x1f\x7f\b\f\n\r\t"\\\u2028'},
        {"role": Role.DOCTOR, "level": Level.HIGH, "t": (1, 2)},
        {"edge": [2**53 - 1, -(2**53) + 1, 0]},
        {"f": 1.5, "g": [1e21, -0.0]},  # floats: the package writes them
    ],
)
def test_edge_bodies(body):
    assert canonical(body) == rfc8785.dumps(body).decode("utf-8")


def test_the_fast_path_is_taken_for_an_event_body():
    body = {"v": 1, "seq": 7, "detail": "list", "emergency": False, "data": {}, "ip": None}
    assert _plain(body)


@pytest.mark.parametrize(
    "body",
    [{"n": 2**53}, {"s": "\ud800"}, {1: "non-string key"}, {"o": object()}],
)
def test_refuses_what_jcs_refuses(body):
    with pytest.raises(rfc8785.CanonicalizationError):
        canonical(body)
