"""Query filters for the document, consent and access-log lists."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from documents.models import (
    AccessAction,
    ConsentStatus,
    DocumentAccessLog,
    DocumentConsent,
    DocumentType,
    MedicalDocument,
)
from documents.policies import active_consent_q
from documents.serializers import CONSENT_STATUS_CHOICES


class DocumentFilter(django_filters.FilterSet):
    document_type = django_filters.ChoiceFilter(choices=DocumentType.choices)
    # The mobile client sends `?type=`.
    type = django_filters.ChoiceFilter(field_name="document_type", choices=DocumentType.choices)
    appointment = django_filters.NumberFilter(
        field_name="appointment_id", min_value=1, max_value=2**63 - 1, decimal_places=0
    )

    class Meta:
        model = MedicalDocument
        fields: list[str] = []


class RequestableDocumentFilter(django_filters.FilterSet):
    appointment = django_filters.NumberFilter(
        field_name="appointment_id", min_value=1, max_value=2**63 - 1, decimal_places=0
    )
    patient = django_filters.UUIDFilter(field_name="patient_id")

    class Meta:
        model = MedicalDocument
        fields: list[str] = []


class ConsentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CONSENT_STATUS_CHOICES, method="filter_status")
    document = django_filters.UUIDFilter(field_name="document_id")

    class Meta:
        model = DocumentConsent
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        now = timezone.now()
        if value == ConsentStatus.GRANTED:
            return queryset.filter(active_consent_q(now=now))
        if value == "expired":
            return queryset.filter(status=ConsentStatus.GRANTED, expires_at__lte=now)
        return queryset.filter(status=value)


class AccessLogFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=AccessAction.choices)
    document = django_filters.UUIDFilter(field_name="document_id")

    class Meta:
        model = DocumentAccessLog
        fields: list[str] = []
