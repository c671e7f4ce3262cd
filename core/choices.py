"""Choice errors that list the valid choices, for every DRF ChoiceField in the project.

DRF says only `"x" is not a valid choice.`; a client then has to read the schema to learn what
would do. The fix belongs in one place rather than in each serializer: `install()` (called from
`CoreConfig.ready`) gives `ChoiceField` a `to_internal_value` that names the choices, so
declared fields, ModelSerializer-built ones and MultipleChoiceField all say the same thing.
A field with its own `invalid_choice` message keeps it.
"""

from enum import Enum
from typing import Any

from rest_framework import fields
from rest_framework.exceptions import ValidationError

DRF_MESSAGE = fields.ChoiceField.default_error_messages["invalid_choice"]
SHOWN_INPUT_CHARS = 40


def _is_container(data: Any) -> bool:
    return isinstance(data, list | tuple | dict | set)


def _shown(data: Any) -> str:
    """The refused input as the message quotes it: scalars as text (cut short), containers by
    type, never `str()` of one (a deep one would recurse; a big one would be echoed back)."""
    if _is_container(data):
        return f"<{type(data).__name__}>"
    text = str(data)
    return text if len(text) <= SHOWN_INPUT_CHARS else text[:SHOWN_INPUT_CHARS] + "…"


def invalid_choice_message(data: Any, choices: Any) -> str:
    valid = ", ".join(str(choice) for choice in choices)
    return f'"{_shown(data)}" is not a valid choice. Choose one of: {valid}.'


def _to_internal_value(self: fields.ChoiceField, data: Any) -> Any:
    if data == "" and self.allow_blank:
        return ""
    if isinstance(data, Enum) and str(data) != str(data.value):
        data = data.value
    if not _is_container(data):
        key = str(data)
        if key in self.choice_strings_to_values:
            return self.choice_strings_to_values[key]
    if self.error_messages["invalid_choice"] != DRF_MESSAGE:
        self.fail("invalid_choice", input=_shown(data))
    message = invalid_choice_message(data, self.choice_strings_to_values)
    raise ValidationError(message, code="invalid_choice")


def install() -> None:
    fields.ChoiceField.to_internal_value = _to_internal_value  # type: ignore[method-assign,assignment]
