"""Filters of the public doctor list (`clinic`, `specialty`, fees, `video`, `search`)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from doctors.models import DoctorProfile
from doctors.selectors import active_doctor_memberships

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


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


def search_terms(search: str) -> list[str]:
    """Words of a search; a leading "Dr"/"Dr." title is dropped (names may not carry it)."""
    words = search.replace(",", " ").split()
    if len(words) > 1 and words[0].lower().rstrip(".") == "dr":
        words = words[1:]
    return words[:5]


class DoctorPublicFilter(django_filters.FilterSet):
    clinic = django_filters.UUIDFilter(method="filter_clinic", help_text="Clinic id (uuid).")
    specialty = django_filters.CharFilter(
        field_name="specialty", lookup_expr="iexact", max_length=100
    )
    min_fee = django_filters.NumberFilter(
        field_name="first_visit_fee", lookup_expr="gte", max_digits=12, decimal_places=2
    )
    max_fee = django_filters.NumberFilter(
        field_name="first_visit_fee", lookup_expr="lte", max_digits=12, decimal_places=2
    )
    video = StrictBooleanFilter(field_name="offers_video_consultation", help_text="true or false.")
    search = django_filters.CharFilter(
        method="filter_search", max_length=100, help_text="Words of the name or specialty."
    )

    class Meta:
        model = DoctorProfile
        fields: list[str] = []

    def filter_clinic(self, queryset: QuerySet[DoctorProfile], name: str, value: Any) -> Any:
        at_clinic = active_doctor_memberships().filter(user_id=OuterRef("user_id"), clinic_id=value)
        return queryset.filter(Exists(at_clinic))

    def filter_search(self, queryset: QuerySet[DoctorProfile], name: str, value: str) -> Any:
        for term in search_terms(value):
            queryset = queryset.filter(Q(user__name__icontains=term) | Q(specialty__icontains=term))
        return queryset
