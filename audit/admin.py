"""Admin: the chain and its checkpoints, read-only (no add, change or delete)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AuditCategory, AuditEvent, ChainCheckpoint
from core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    # `patient_id`, not the user: a dependent's chain is keyed by a profile id no account has.
    list_display = ("occurred_at", "patient_id", "seq", "category", "action", "actor", "emergency")
    list_filter = ("category", "emergency")
    search_fields = ("=patient_id", "=document_id", "action")


@admin.register(ChainCheckpoint)
class ChainCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("signed_at", "patient_id", "seq", "head", "key_id")


class AuditedAdminMixin(admin.ModelAdmin):
    """For admins of patient data: every change saved through the admin goes on the patient's
    chain (category "admin": the model, the object and the names of the changed fields)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from audit.services import record

        super().save_model(request, obj, form, change)
        # The chain of the record's patient profile (a self profile's id is its account's).
        patient_id = getattr(obj, "patient_profile_id", None) or getattr(obj, "patient_id", None)
        if patient_id is not None:
            record(
                patient_id=patient_id,
                category=AuditCategory.ADMIN,
                action="changed" if change else "added",
                actor_id=request.user.pk,
                data={
                    "model": obj._meta.label_lower,
                    "object": str(obj.pk),
                    "fields": sorted(form.changed_data),
                },
            )
