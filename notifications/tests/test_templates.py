"""Every kind renders in every language, matching its registered DLT template, with nothing
secret in what is stored."""

import datetime as dt
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from notifications.kinds import DLT_TEMPLATES, LANGUAGES, REDACTED, SPECS
from notifications.models import Kind
from notifications.render import language_for, render, template_names

WHEN = dt.datetime(2026, 12, 2, 5, 12, tzinfo=dt.UTC)


def _values(kind: str) -> dict[str, str]:
    names = set(template_names(kind, "en")) - {"date", "time"}
    return {name: f"<{name}>" for name in names}


def _dlt_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(".+".join(re.escape(part) for part in pattern.split("{#var#}")))


def test_every_kind_has_a_template_in_every_language():
    assert set(SPECS) == set(Kind.values) == set(DLT_TEMPLATES)
    for kind in SPECS:
        assert set(DLT_TEMPLATES[kind]) == set(LANGUAGES), kind


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(SPECS))
def test_the_rendered_text_is_its_dlt_template_with_the_variables_filled(kind, language):
    rendered = render(kind, language=language, zone="Asia/Kolkata", values=_values(kind), when=WHEN)
    pattern = DLT_TEMPLATES[kind][language]
    assert _dlt_regex(pattern).fullmatch(rendered.body), rendered.body
    # And the translation is exactly the registered text (variables aside).
    with translation.override(language):
        template = gettext(SPECS[kind].body)
    assert re.sub(r"\{\w+\}", "{#var#}", template) == pattern
    if language != "en":
        assert template != SPECS[kind].body, f"{kind} is not translated into {language}"
    assert set(rendered.variables) == set(template_names(kind, "en"))


def test_dates_and_times_are_on_the_clinic_clock_in_the_language():
    values = _values(Kind.APPOINTMENT_REMINDER)
    english = render(
        Kind.APPOINTMENT_REMINDER, language="en", zone="Asia/Kolkata", values=values, when=WHEN
    )
    hindi = render(
        Kind.APPOINTMENT_REMINDER, language="hi", zone="Asia/Kolkata", values=values, when=WHEN
    )
    assert (english.variables["date"], english.variables["time"]) == ("2 December 2026", "10:42")
    assert (hindi.variables["date"], hindi.variables["time"]) == (
        "2 दिसमबर 2026",
        "10:42",
    )  # Django's Hindi month name
    dubai = render(
        Kind.APPOINTMENT_REMINDER, language="en", zone="Asia/Dubai", values=values, when=WHEN
    )
    assert dubai.variables["time"] == "09:12"


def test_secret_variables_are_redacted_unless_revealed():
    values = {**_values(Kind.STAFF_ADDED), "password": "Xy7Kq3Pm9a"}
    stored = render(Kind.STAFF_ADDED, language="en", zone="Asia/Kolkata", values=values)
    assert "Xy7Kq3Pm9a" not in stored.body
    assert stored.variables["password"] == REDACTED
    sent = render(Kind.STAFF_ADDED, language="en", zone="Asia/Kolkata", values=values, reveal=True)
    assert "Temporary password: Xy7Kq3Pm9a " in sent.body


def test_the_language_is_the_preference_then_the_region_then_the_default(settings):
    settings.NOTIFICATION_REGION_LANGUAGES = {"uttar pradesh": "hi"}
    assert language_for(preferred="hi", region="") == "hi"
    assert language_for(preferred="", region="Uttar Pradesh") == "hi"
    assert language_for(preferred="", region="Kerala") == "en"
    assert language_for(preferred="xx", region="") == "en"
