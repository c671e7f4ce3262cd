"""`notifications.render.local_date`: a day's text is computed once per language, and is
always what Django's `date_format` gives in the language active for it."""

import datetime as dt

from django.utils import formats, translation

from notifications.kinds import LANGUAGES
from notifications.render import _date_text, local_date


def test_each_language_gets_its_own_month_names_however_often_asked():
    day = dt.datetime(2026, 12, 2, 20, 30, tzinfo=dt.UTC)  # 3 December at the clinic (IST)
    texts = {}
    for _ in range(2):
        for language in LANGUAGES:
            with translation.override(language):
                texts[language] = local_date(day, "Asia/Kolkata")
                assert texts[language] == formats.date_format(dt.date(2026, 12, 3), "j F Y")
    assert texts["en"] == "3 December 2026"
    assert len(set(texts.values())) == len(LANGUAGES)  # no language served another's text
    assert _date_text.cache_info().hits >= len(LANGUAGES)


def test_a_changed_setting_forgets_the_texts(settings):
    with translation.override("en"):
        local_date(dt.date(2026, 12, 3), "Asia/Kolkata")
    assert _date_text.cache_info().currsize > 0
    settings.USE_THOUSAND_SEPARATOR = True
    assert _date_text.cache_info().currsize == 0
