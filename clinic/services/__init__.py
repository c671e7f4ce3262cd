"""Clinic services: every write and business rule of the clinic app."""

from clinic.services.clinics import (
    SlotSpec,
    admission_document_create,
    admission_document_delete,
    admission_document_update,
    clinic_create,
    clinic_deactivate,
    clinic_onboarding_step3,
    clinic_update,
    time_slot_create,
    time_slot_deactivate,
    time_slot_update,
)
from clinic.services.members import (
    MemberAdded,
    clinic_member_add,
    clinic_member_remove,
    clinic_member_temp_password_reissue,
    clinic_member_update,
    generate_temp_password,
    member_onboarding_complete,
    new_account_info,
)

__all__ = [
    "MemberAdded",
    "SlotSpec",
    "admission_document_create",
    "admission_document_delete",
    "admission_document_update",
    "clinic_create",
    "clinic_deactivate",
    "clinic_member_add",
    "clinic_member_remove",
    "clinic_member_temp_password_reissue",
    "clinic_member_update",
    "clinic_onboarding_step3",
    "clinic_update",
    "generate_temp_password",
    "member_onboarding_complete",
    "new_account_info",
    "time_slot_create",
    "time_slot_deactivate",
    "time_slot_update",
]
