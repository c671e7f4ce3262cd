"""Rendering a kind for one recipient: the language, the clinic's clock, the text.

Django's translation machinery does the words (`translation.override` plus the app's .po
catalogue); dates and times are formatted on the clinic's wall clock with the language's
month names, so "2 Dec 2026, 10:42" in English reads as the clinic sees it.
"""

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import formats, translation
from django.utils.translation import gettext

from notifications.kinds import LANGUAGES, REDACTED, SPECS

_NAMES = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Rendered:
    language: str
    title: str
    body: str
    # The variables in the order this language's template uses them (the DLT/WhatsApp order).
    variables: dict[str, str]


def language_for(*, preferred: str, region: str = "") -> str:
    """The recipient's choice, else the clinic region's language, else the default."""
    if preferred in LANGUAGES:
        return preferred
    by_region: Mapping[str, str] = settings.NOTIFICATION_REGION_LANGUAGES
    regional = by_region.get(region.strip().lower(), "")
    if regional in LANGUAGES:
        return regional
    return settings.NOTIFICATION_DEFAULT_LANGUAGE


def local_date(moment: dt.datetime | dt.date, zone: str) -> str:
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(ZoneInfo(zone)).date()
    return _date_text(moment, translation.get_language())


# A day's text in a language is always the same (the format and the catalogues are fixed while
# the process runs; a changed setting in tests clears it): Django's `date_format` was a third
# of `render`'s CPU, and a booking renders the same day three times (patient, doctor, reminder).
@functools.lru_cache(maxsize=4096)
def _date_text(day: dt.date, language: str | None) -> str:
    """`day` as "j F Y" in `language`, the active one (the key, not an input)."""
    return formats.date_format(day, "j F Y")


@receiver(setting_changed)
def _forget_date_texts(**kwargs: Any) -> None:
    _date_text.cache_clear()


def local_time(moment: dt.datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def _text(value: Any) -> str:
    """A variable's text in the active language (words from kinds.py are gettext msgids)."""
    if isinstance(value, Words):
        return gettext(value.msgid).format(**value.named)
    if callable(value):  # formatted in the active language (dates with month names)
        return str(value())
    return str(value)


class Words:
    """A translatable variable value: `msgid` from kinds.py, formatted with `named`."""

    def __init__(self, msgid: str, **named: Any) -> None:
        self.msgid = msgid
        self.named = named


def template_names(kind: str, language: str) -> list[str]:
    """The variable names of the kind's body in the order `language`'s template uses them."""
    with translation.override(language):
        return _NAMES.findall(gettext(SPECS[kind].body))


def render(
    kind: str,
    *,
    language: str,
    zone: str,
    values: Mapping[str, Any],
    when: dt.datetime | None = None,
    reveal: bool = False,
) -> Rendered:
    """Title, body and variables of `kind` in `language`. `when` fills {date} and {time} on
    the clinic's clock; secret variables are REDACTED unless `reveal` (only when sending)."""
    spec = SPECS[kind]
    with translation.override(language):
        texts = {name: _text(value) for name, value in values.items()}
        if when is not None:
            texts.setdefault("date", local_date(when, zone))
            texts.setdefault("time", local_time(when, zone))
        if not reveal:
            texts.update(dict.fromkeys(spec.secret, REDACTED))
        body_template = gettext(spec.body)
        order = _NAMES.findall(body_template)
        return Rendered(
            language=language,
            title=gettext(spec.title).format(**texts),
            body=body_template.format(**texts),
            variables={name: texts[name] for name in order},
        )


def render_stored(kind: str, *, language: str, variables: Mapping[str, str]) -> str:
    """The body again from stored (already rendered) variables, e.g. with a secret filled."""
    with translation.override(language):
        return gettext(SPECS[kind].body).format(**variables)
