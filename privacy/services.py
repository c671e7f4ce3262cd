"""DPDP data-principal rights: export, and erasure after the medical-records retention period.

Retention: `MEDICAL_RECORDS_RETENTION_DAYS` (default 1096, three years). The Indian Medical
Council (Professional Conduct, Etiquette and Ethics) Regulations, 2002, reg. 1.3.1, require
medical records to be kept for three years from the start of treatment, and the DPDP Act 2023
(s. 8(7), s. 17) lets a fiduciary keep data that another law requires it to keep. So an erasure
request closes the account at once (sign-in refused, sessions ended) and the personal data is
erased when the period has run (`manage.py privacy_erase_due`). Longer duties (medico-legal
cases, state rules) are a setting away.

The audit chain is kept: it holds ids and codes only (no names, contacts or contents), which is
what the retention rules need to show who saw the records; the request and the erasure are
themselves events on it.
"""

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from audit.models import AuditCategory
from audit.services import record as audit_record
from core.error_codes import ErrorCode
from core.exceptions import Conflict
from documents.access import AccessContext
from documents.files import documents_storage
from documents.models import MedicalDocument
from privacy.models import ErasureRequest
from privacy.signals import personal_data_erased
from users.acting import self_profile_id
from users.models import MedicalProfile, User, UserAddress
from users.services.profiles import profiles_erase


def retention() -> dt.timedelta:
    return dt.timedelta(days=int(settings.MEDICAL_RECORDS_RETENTION_DAYS))


def export_logged(*, user: Any, ctx: AccessContext) -> None:
    audit_record(
        patient_id=self_profile_id(user),
        category=AuditCategory.PRIVACY,
        action="exported",
        actor_id=user.pk,
        ip_address=ctx.ip_address,
        user_agent=ctx.user_agent,
    )


def erasure_request(*, user: Any, ctx: AccessContext) -> ErasureRequest:
    """Deactivate at once, schedule the erasure after the retention period."""
    now = timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if ErasureRequest.objects.filter(user=locked).exists():
            raise Conflict(
                "An erasure request is already scheduled.", code=ErrorCode.ERASURE_ALREADY_REQUESTED
            )
        request = ErasureRequest.objects.create(
            user=locked, requested_at=now, erase_after=now + retention()
        )
        locked.is_active = False
        locked.save(update_fields=["is_active", "updated_at"])
        # Sign-in and tokens already stop at is_active; the refresh tokens are ended too.
        BlacklistedToken.objects.bulk_create(
            [BlacklistedToken(token=t) for t in OutstandingToken.objects.filter(user=locked)],
            ignore_conflicts=True,
        )
        audit_record(
            patient_id=self_profile_id(locked),
            category=AuditCategory.PRIVACY,
            action="erasure_requested",
            actor_id=locked.pk,
            ip_address=ctx.ip_address,
            user_agent=ctx.user_agent,
            data={"erase_after": request.erase_after},
        )
    return request


def _placeholder_contact(user: User) -> str:
    """A unique number no phone can have (Indian mobiles start 6-9; this starts 0)."""
    digits = int(hashlib.sha256(user.pk.bytes).hexdigest(), 16) % 10**9
    return f"+910{digits:09d}"


def erase(*, request: ErasureRequest) -> None:
    """Erase the personal data of one due request: profile, medical profile, addresses, files,
    and what the apps above keep (`signals.personal_data_erased`), in one transaction."""
    user = request.user
    files: list[str] = []
    with transaction.atomic():
        for document in MedicalDocument.objects.select_for_update().filter(patient=user):
            files.append(str(document.file.name))
            document.title = "erased"
            document.description = ""
            document.is_deleted = True
            document.deleted_at = document.deleted_at or timezone.now()
            document.save(
                update_fields=["title", "description", "is_deleted", "deleted_at", "updated_at"]
            )
        UserAddress.objects.filter(user=user).delete()
        MedicalProfile.objects.filter(user=user).delete()
        erased_profiles = profiles_erase(account=user)
        user.name = ""
        user.email = ""
        user.gender = ""
        user.age = None
        user.blood_group = ""
        user.contact = _placeholder_contact(user)  # type: ignore[assignment]  # stored as E.164
        user.is_active = False
        user.set_unusable_password()
        user.save()
        personal_data_erased.send(sender=User, user=user)
        request.erased_at = timezone.now()
        request.save(update_fields=["erased_at"])
        audit_record(
            patient_id=self_profile_id(user),
            category=AuditCategory.PRIVACY,
            action="erased",
            data={"documents": len(files), "profiles": erased_profiles},
        )
    storage = documents_storage()
    for name in files:
        storage.delete(name)


def erase_due(*, now: dt.datetime | None = None) -> int:
    due = ErasureRequest.objects.select_related("user").filter(
        erased_at__isnull=True, erase_after__lte=now or timezone.now()
    )
    count = 0
    for request in due:
        erase(request=request)
        count += 1
    return count
