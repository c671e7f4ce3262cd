"""Query parameters of the public doctor list (filters) and of the slot listing."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no; any case); anything else is a 400, not silently ignored."""

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise forms.ValidationError("Use true or false.", code="invalid")


def search_terms(search: str) -> list[str]:
    """Words of a search; a leading "Dr"/"Dr." title is dropped (names may not carry it)."""
    words = search.replace(",", " ").split()
    if len(words) > 1 and words[0].lower().rstrip(".") == "dr":
        words = words[1:]
    return words[:5]


class _FeeField(forms.DecimalField):
    def __init__(self, *, help_text: str) -> None:
        super().__init__(max_digits=12, decimal_places=2, required=False, help_text=help_text)


# Cleaned by plain form fields built once: a FilterSet (or a DRF serializer) builds its fields
# per request, which costs more than the one query of these hot public reads. The OpenAPI
# parameters are generated from the same fields (`schema_parameters`).
DOCTOR_LIST_PARAMS: dict[str, forms.Field] = {
    "clinic": forms.UUIDField(required=False, help_text="Only doctors of this clinic."),
    "specialty": forms.CharField(
        max_length=100, required=False, help_text="Exact specialty, any case."
    ),
    "min_fee": _FeeField(help_text="First-visit fee at least."),
    "max_fee": _FeeField(help_text="First-visit fee at most."),
    "video": StrictBooleanField(
        required=False, help_text="Offers video consultation (true/false)."
    ),
    "search": forms.CharField(
        max_length=100,
        required=False,
        help_text="Words of the name or specialty ('Dr.' ignored).",
    ),
}

# The OpenAPI type of each kind of form field, most specific first (a UUIDField is a CharField).
_SCHEMA_TYPES: tuple[tuple[type[forms.Field], Any], ...] = (
    (StrictBooleanField, bool),
    (forms.UUIDField, OpenApiTypes.UUID),
    (forms.DecimalField, OpenApiTypes.DECIMAL),
    (forms.DateField, OpenApiTypes.DATE),
    (forms.CharField, str),
)


def schema_parameters(fields: Mapping[str, forms.Field]) -> list[OpenApiParameter]:
    """The OpenAPI query parameters of `fields` (names, types, help texts as descriptions)."""
    return [
        OpenApiParameter(
            name,
            next(kind for base, kind in _SCHEMA_TYPES if isinstance(field, base)),
            required=field.required,
            description=str(field.help_text),
        )
        for name, field in fields.items()
    ]


def clean_query(fields: Mapping[str, forms.Field], query: Mapping[str, str]) -> dict[str, Any]:
    """Query parameters cleaned by plain form fields; one 400 naming each bad field."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, field in fields.items():
        raw = query.get(name)
        if raw in (None, "") and not field.required:
            continue
        try:
            cleaned[name] = field.clean(raw)
        except forms.ValidationError as error:
            errors[name] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def doctor_list_params(query: Mapping[str, str]) -> dict[str, Any]:
    """The list's filters from the query string; bad values raise one 400 naming each field."""
    cleaned = clean_query(DOCTOR_LIST_PARAMS, query)
    cleaned["search_terms"] = search_terms(cleaned.pop("search", ""))
    return cleaned


SLOT_QUERY_PARAMS: dict[str, forms.Field] = {
    "date": forms.DateField(
        input_formats=["%Y-%m-%d"], help_text="YYYY-MM-DD, the clinic's local date."
    ),
    "clinic_id": forms.UUIDField(
        required=False, help_text="Default: the clinic where the doctor is active."
    ),
    "explain": StrictBooleanField(
        required=False, help_text="true adds `hidden`: why each other candidate time is not free."
    ),
}
"""The slot query's parameters: cleaned by `clean_query`, documented by `schema_parameters`."""
