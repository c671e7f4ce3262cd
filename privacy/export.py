"""Everything QuickCare holds about a patient, as plain JSON beside the FHIR bundle."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict
from django.http import HttpRequest

from appointments.models import Appointment
from audit.models import AuditEvent
from documents.models import DocumentConsent, MedicalDocument
from fhir_api.export import patient_everything
from users.models import MedicalProfile, PatientProfile, Relation, UserAddress

USER_FIELDS = ("id", "contact", "name", "email", "gender", "age", "blood_group", "date_joined")


class _Encoder(DjangoJSONEncoder):
    """Dates, decimals and UUIDs as Django writes them; anything else (phone numbers) as text."""

    def default(self, o: Any) -> Any:
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=_Encoder))


def _rows(queryset: Any, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [model_to_dict(row, exclude=list(exclude)) | {"id": row.pk} for row in queryset]


def export_for(*, request: HttpRequest, user: Any) -> dict[str, Any]:
    profile = MedicalProfile.objects.filter(user=user).first()
    profiles = list(PatientProfile.objects.filter(account=user).order_by("created_at", "id"))
    return _plain(
        {
            "user": {name: getattr(user, name) for name in USER_FIELDS},
            "medical_profile": model_to_dict(profile, exclude=["id", "user"]) if profile else None,
            "addresses": _rows(UserAddress.objects.filter(user=user), exclude=("user",)),
            "appointments": _rows(Appointment.objects.filter(patient=user), exclude=("patient",)),
            "documents": _rows(MedicalDocument.objects.filter(patient=user), exclude=("file",)),
            "consents": _rows(DocumentConsent.objects.filter(document__patient=user)),
            # Every profile the account holds (its own and its dependents'), each with its
            # FHIR bundle; `fhir` stays the account's own.
            "patient_profiles": [
                model_to_dict(p, exclude=["account"]) | {"id": p.pk, "age": p.age} for p in profiles
            ],
            "audit_events": AuditEvent.objects.filter(
                patient_id__in=[p.pk for p in profiles]
            ).count(),
            "fhir": patient_everything(request=request, patient=user),
            "fhir_dependents": {
                str(p.pk): patient_everything(request=request, patient=user, profile=p)
                for p in profiles
                if p.relation != Relation.SELF
            },
        }
    )
