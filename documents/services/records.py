"""Writes and rules of the documents themselves: uploads, reads, soft deletes, downloads,
each access logged (documents/audit.py)."""

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed

from appointments.models import Appointment
from core.error_codes import ErrorCode
from core.exceptions import NotFound, NotPermitted
from core.roles import RoleId, role_word
from documents.access import AccessContext, RequestMeta
from documents.audit import access_denied_record, access_log_record, refusal_logged
from documents.files import documents_storage, inspect_upload, store_upload
from documents.links import LinkClaims, LinkInvalid, read_file_token
from documents.models import AccessAction, MedicalDocument
from documents.policies import (
    can_attach_appointment,
    can_delete_document,
    can_upload_for_patient,
    can_view_document,
)
from documents.selectors import (
    DOCUMENT_NOT_FOUND,
    document_get_for,
    document_owned_by,
)
from documents.signals import document_viewed
from users.acting import acting_profile, acts_as_patient
from users.models import PatientProfile, User


def role_label(user: Any) -> str:
    """ "patient", "doctor", "lab_member"...: the role as a short, stable word."""
    return role_word(user.role_id)


def field_error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def upload_server_set_fields(*, uploader: Any) -> dict[str, Any]:
    """What an upload may echo but not choose: a patient's document is always their own."""
    return {"patient": uploader.pk} if acts_as_patient(uploader) else {}


def _staff_target(*, patient_id: uuid.UUID, appointment_id: int | None) -> PatientProfile | None:
    """Whose record staff upload into: `patient_id` is a patient profile's id (an account's
    own profile has the account's id); an account id with one of its dependents' appointments
    means that dependent (the appointment says who was seen)."""
    profile = PatientProfile.objects.select_related("account").filter(pk=patient_id).first()
    if appointment_id is not None:
        seen = (
            Appointment.objects.select_related("patient_profile__account")
            .filter(pk=appointment_id, patient_id=patient_id)
            .first()
        )
        if seen is not None:
            return seen.patient_profile
    return profile


def _resolve_patient(
    *, uploader: Any, patient_id: uuid.UUID | None, appointment_id: int | None
) -> PatientProfile:
    """The patient profile that receives the document."""
    if acts_as_patient(uploader):
        profile = acting_profile(uploader)
        assert profile is not None
        if patient_id is not None and patient_id not in (uploader.pk, profile.pk):
            raise field_error("patient_id", "Patients upload only into their own record.")
        return profile
    if uploader.role_id not in (RoleId.DOCTOR, RoleId.LAB_MEMBER):
        raise NotPermitted("Only patients, doctors and lab members can upload documents.")
    if patient_id is None:
        raise field_error("patient_id", "This field is required.", code="required")
    profile = _staff_target(patient_id=patient_id, appointment_id=appointment_id)
    if profile is None or not can_upload_for_patient(user=uploader, patient=profile):
        raise field_error(
            "patient_id", "No patient with an appointment at your clinic has this id."
        )
    return profile


def _resolve_appointment(
    *, uploader: Any, patient: PatientProfile, appointment_id: int | None
) -> Appointment | None:
    if appointment_id is None:
        return None
    appointment = Appointment.objects.filter(pk=appointment_id).first()
    if appointment is None or not can_attach_appointment(
        user=uploader, patient=patient, appointment=appointment
    ):
        raise field_error("appointment", "No such appointment of this patient.")
    return appointment


def document_upload(
    *,
    uploader: Any,
    ctx: AccessContext,
    title: str,
    document_type: str,
    file: Any,
    description: str = "",
    appointment_id: int | None = None,
    patient_id: uuid.UUID | None = None,
) -> MedicalDocument:
    """Store the file under a random name; the patient owns it whoever uploads it (the
    profile: a patient's own or the dependent acted for; for staff, `patient_id`'s)."""
    profile = _resolve_patient(
        uploader=uploader, patient_id=patient_id, appointment_id=appointment_id
    )
    appointment = _resolve_appointment(
        uploader=uploader, patient=profile, appointment_id=appointment_id
    )
    kind = inspect_upload(file)
    stored_name = store_upload(file, kind)
    try:
        with transaction.atomic():
            document = MedicalDocument.objects.create(
                patient_id=profile.account_id,
                patient_profile=profile,
                uploaded_by=uploader,
                uploaded_by_role=role_label(uploader),
                title=title,
                document_type=document_type,
                description=description,
                appointment=appointment,
                file=stored_name,
                content_type=kind.content_type,
                size_bytes=file.size,
            )
            access_log_record(ctx=ctx, documents=[document], actions=[AccessAction.UPLOAD])
    except Exception:
        documents_storage().delete(stored_name)
        raise
    return document


def document_view(
    *, actor: Any, request_meta: RequestMeta, document_id: uuid.UUID
) -> MedicalDocument:
    """A detail read, logged as a view plus the file link handed out with it; a document out
    of the actor's reach is logged as a denied attempt (on the patient's log) and answers 404."""
    ctx = request_meta.by(actor)
    with refusal_logged(ctx=ctx, document_id=document_id, detail="view refused"):
        document = document_get_for(user=actor, document_id=document_id)
    access_log_record(
        ctx=ctx, documents=[document], actions=[AccessAction.VIEW, AccessAction.FILE_LINK]
    )
    document_viewed.send(sender=MedicalDocument, document=document, actor=actor)
    return document


def access_log_open(
    *, actor: Any, request_meta: RequestMeta, document_id: uuid.UUID
) -> MedicalDocument:
    """The owner opens one document's log; anyone else's attempt is logged as denied (404)."""
    ctx = request_meta.by(actor)
    with refusal_logged(ctx=ctx, document_id=document_id, detail="log refused"):
        return document_owned_by(user=actor, document_id=document_id)


def document_delete(*, user: Any, ctx: AccessContext, document_id: uuid.UUID) -> None:
    """Soft delete by the owner; the file and the access history are kept."""
    with transaction.atomic():
        document = MedicalDocument.objects.select_for_update().filter(pk=document_id).first()
        allowed = document is not None and can_delete_document(user=user, document=document)
        if allowed:
            assert document is not None
            document.is_deleted = True
            document.deleted_at = timezone.now()
            document.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
            access_log_record(ctx=ctx, documents=[document], actions=[AccessAction.DELETE])
    if not allowed:
        access_denied_record(ctx=ctx, document_id=document_id, detail="delete refused")
        raise NotFound(DOCUMENT_NOT_FOUND, code=ErrorCode.DOCUMENT_NOT_FOUND)


LINK_NOT_YOURS = "This link was issued to someone else; open the document from your own account."


def document_download(
    *,
    request_meta: RequestMeta,
    document_id: uuid.UUID,
    token: str,
    bearer: Callable[[], Any | None],
) -> MedicalDocument:
    """Open a signed link. `bearer` resolves the request's bearer token (None without one);
    it is called only after the link has been read, so an invalid token is logged (by the
    link's document) before it answers 401."""
    try:
        claims = read_file_token(token, document_id=document_id)
    except LinkInvalid as exc:
        raise NotPermitted("This link is invalid.", code=ErrorCode.INVALID_LINK) from exc
    with refusal_logged(
        ctx=request_meta.by(None),
        document_id=document_id,
        detail="invalid bearer token",
        refusals=(AuthenticationFailed,),
    ):
        holder = bearer()
    return document_download_authorize(claims=claims, ctx=request_meta.by(holder), bearer=holder)


def document_download_authorize(
    *, claims: LinkClaims, ctx: AccessContext, bearer: Any | None = None
) -> MedicalDocument:
    """The signature was good; now the holder, expiry, the user and the consent again, logged
    either way. `bearer` is the user of the request's bearer token, None without one."""
    document = MedicalDocument.objects.filter(pk=claims.document_id).first()
    if document is None:
        raise NotFound(DOCUMENT_NOT_FOUND, code=ErrorCode.DOCUMENT_NOT_FOUND)
    if bearer is not None and bearer.pk != claims.user_id:
        # A forwarded link must not open a document inside someone else's session: the
        # patient's log shows who tried.
        access_log_record(
            ctx=ctx.as_actor(bearer),
            documents=[document],
            actions=[AccessAction.DENIED],
            detail="link issued to another user",
        )
        raise NotPermitted(LINK_NOT_YOURS, code=ErrorCode.LINK_NOT_YOURS)
    user = User.objects.filter(pk=claims.user_id).first()
    ctx = ctx.as_actor(user)
    if claims.expired:
        access_log_record(
            ctx=ctx, documents=[document], actions=[AccessAction.DENIED], detail="expired link"
        )
        raise NotPermitted(
            "This link has expired; ask for the document again.", code=ErrorCode.LINK_EXPIRED
        )
    if user is None or not can_view_document(user=user, document=document):
        access_log_record(
            ctx=ctx, documents=[document], actions=[AccessAction.DENIED], detail="download refused"
        )
        raise NotFound(DOCUMENT_NOT_FOUND, code=ErrorCode.DOCUMENT_NOT_FOUND)
    access_log_record(ctx=ctx, documents=[document], actions=[AccessAction.DOWNLOAD])
    return document
