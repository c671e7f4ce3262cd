"""Input-serializer pieces shared by every app: fields a caller may echo back but not change.

Mobile clients send the whole object they last read back on an update, so a field the caller
may not change (an id, an owner, a contact, a role) is accepted with the stored value and
refused, naming the field, with any other value: a silent drop would hide a client's mistake.
Keys a serializer does not know stay ignored.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from rest_framework import serializers

from core.fields import parse_indian_mobile
from core.roles import RoleId

UNCHANGEABLE_MESSAGE = "This field cannot be changed here."
TRUE_WORDS = frozenset({"true", "1", "yes", "on", "t", "y"})
FALSE_WORDS = frozenset({"false", "0", "no", "off", "f", "n"})
# Longer digit strings are compared as text (int() refuses very long ones).
MAX_DIGITS = 40

Normaliser = Callable[[Any], Any]


def normalise_id(value: Any) -> Any:
    """A comparable form of an id or a plain value: nested `{"id": ...}` objects by their id,
    UUIDs in canonical form, integers as digit strings, other text stripped and lower-cased,
    empty as None."""
    if isinstance(value, Mapping):
        value = value.get("id")
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:
        return str(int(text))
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text.lower()


def normalise_contact(value: Any) -> Any:
    """9876543210, "+919876543210", "09876543210" and a stored PhoneNumber compare equal."""
    if value is None or isinstance(value, bool):
        return value
    raw = value if isinstance(value, int | str) else str(value)
    return parse_indian_mobile(raw) or normalise_id(raw)


def normalise_role(value: Any) -> Any:
    """A role as the API shows it (`{"id": 3, "name": "is_patient"}`), its id or its name."""
    if isinstance(value, Mapping):
        value = value.get("id", value.get("name"))
    key = normalise_id(value)
    if isinstance(key, str) and not key.isdigit():
        for role in RoleId:
            if key in (role.api_name, role.name.lower()):
                return str(int(role))
    return key


def normalise_bool(value: Any) -> Any:
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return value


@dataclass(frozen=True)
class Unchangeable:
    """A field the caller may send only with its stored value.

    `source` is the attribute (or mapping key) holding the stored value, by default the
    field's own name; `normalise` makes the sent and the stored value comparable.
    """

    source: str | None = None
    normalise: Normaliser = normalise_id


class UnchangeableFieldsMixin(serializers.Serializer):
    """Refuses, with `{field: ["This field cannot be changed here."]}`, an unchangeable field
    sent with a value different from the stored one.

    The stored values come from `stored=` (a model instance, or a mapping of the values the
    server sets, e.g. `{"owner": request.user.pk}` on a create), else from `instance`. A field
    whose stored value is unknown (a mapping without its key, no stored object) is not checked.
    """

    unchangeable_fields: ClassVar[Mapping[str, Unchangeable]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The schema shows a serializer's docstring: tell clients what they may only echo (and
        # keep this mixin's own docstring, meant for developers, out of it).
        own = cls.__dict__.get("__doc__") or ""
        names = ", ".join(f"`{name}`" for name in cls.unchangeable_fields)
        note = (
            f"{names}: accepted only with the stored value (or, on a create, the one the server "
            "sets); any other value answers 400 naming the field."
        )
        cls.__doc__ = "\n\n".join(part for part in (own.strip(), names and note) if part)

    def __init__(self, *args: Any, stored: Any = None, **kwargs: Any) -> None:
        self.stored = stored
        super().__init__(*args, **kwargs)

    def unchangeable_errors(self, data: Any) -> dict[str, list[str]]:
        stored = self.stored if self.stored is not None else self.instance
        if stored is None or not isinstance(data, Mapping):
            return {}
        errors: dict[str, list[str]] = {}
        for name, rule in self.unchangeable_fields.items():
            if name not in data:
                continue
            source = rule.source or name
            if isinstance(stored, Mapping):
                if source not in stored:
                    continue
                current = stored[source]
            else:
                current = getattr(stored, source)
            if rule.normalise(data[name]) != rule.normalise(current):
                errors[name] = [UNCHANGEABLE_MESSAGE]
        return errors

    def to_internal_value(self, data: Any) -> Any:
        errors = self.unchangeable_errors(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if errors and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **errors}) from exc
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value
