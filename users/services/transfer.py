"""A dependent grows up: their profile, with its whole history, moves to their own number.

Two steps, on the registration's OTP machinery (`PendingRegistration` with purpose
`profile_transfer`, the same codes, cooldown, expiry and attempt limits, the same SMS task):
the holder names the dependent's contact, a code goes to that number, and the holder (with the
dependent beside them, or the dependent reading it out) sends it back. Then, in one
transaction:

- the profile becomes the self profile of the account on that number. An account that does not
  exist yet is created as staff auto-registration creates one: no password (the parent sets
  none), and an SMS tells the owner to finish registering with an OTP on that number
  (`registration.claimable_account`). An account that exists keeps its login; its own empty,
  unused self profile is replaced, one with any history refuses (409
  `transfer_target_has_history`: two records are never merged here);
- every row that names the holder beside the profile (`patient` on appointments, documents,
  break-glass accesses: every model with both a `patient_profile` and a `patient` field, found
  through the profile's relations, so an app added later moves too) names the new account, so
  the old holder's lists and object checks no longer reach any of it;
- the account's own fields are set from the profile (the record wins);
- a `ProfileTransfer` row and an audit event (`privacy.profile_transferred` on the profile's
  chain) record who held it and who holds it now.
"""

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditCategory
from audit.services import record as audit_record
from core.error_codes import ErrorCode
from core.exceptions import Conflict, InvalidState, NotFound, QuickCareError
from core.response_cache import Namespace, bump
from core.roles import RoleId
from users.acting import PROFILE_NOT_FOUND
from users.exceptions import RetryLater
from users.models import (
    MEDICAL_PROFILE_FIELDS,
    MedicalProfile,
    OTPLog,
    PatientProfile,
    PendingRegistration,
    ProfileTransfer,
    RegistrationPurpose,
    Relation,
    User,
)
from users.services.addresses import ADDRESS_FIELDS, current_home_address_save
from users.services.profiles import profile_has_history
from users.services.registration import _check_code, _raise_if_cooling_down, _store_pending
from users.tasks import send_account_created_sms, send_otp_sms

PURPOSE = RegistrationPurpose.PROFILE_TRANSFER
TARGET_HAS_HISTORY = (
    "The account on this number already has its own appointments or records; a profile "
    "cannot be moved into it."
)


def dependent_of(*, holder: User, profile_id: Any, lock: bool = False) -> PatientProfile:
    rows = PatientProfile.objects.filter(pk=profile_id, account=holder).exclude(
        relation=Relation.SELF
    )
    profile = (rows.select_for_update() if lock else rows).first()
    if profile is None:
        raise NotFound(PROFILE_NOT_FOUND, code=ErrorCode.PATIENT_PROFILE_NOT_FOUND)
    return profile


def _check_target(*, holder: User, contact: str) -> User | None:
    """The account on `contact` (None: none yet), if it can receive the profile."""
    if str(holder.contact) == str(contact):
        raise InvalidState(
            "This is your own number: give the number of the person whose profile it is.",
            code=ErrorCode.TRANSFER_TO_SELF,
        )
    target = User.objects.filter(contact=contact).first()
    if target is None:
        return None
    if not target.is_active:
        raise Conflict("The account on this number is closed.", code=ErrorCode.ACCOUNT_INACTIVE)
    own = PatientProfile.objects.filter(account=target, relation=Relation.SELF).first()
    if own is not None and profile_has_history(own):
        raise Conflict(TARGET_HAS_HISTORY, code=ErrorCode.TRANSFER_TARGET_HAS_HISTORY)
    return target


def profile_transfer_start(*, holder: User, profile_id: Any, contact: str) -> None:
    """Step 1: check the target and send a code to it."""
    profile = dependent_of(holder=holder, profile_id=profile_id)
    _check_target(holder=holder, contact=contact)
    now = timezone.now()
    try:
        with transaction.atomic():
            pending = (
                PendingRegistration.objects.select_for_update()
                .filter(contact=contact, purpose=PURPOSE)
                .first()
            )
            if pending is not None:
                _raise_if_cooling_down(pending, now=now)
            pending = _store_pending(
                pending,
                contact=contact,
                purpose=PURPOSE,
                name=profile.name,
                password=None,
                now=now,
                profile=profile,
            )
            pending_id, otp_log_id = pending.pk, pending.otp_log_id
            assert otp_log_id is not None
            transaction.on_commit(
                lambda: send_otp_sms.enqueue(pending_id=pending_id, otp_log_id=otp_log_id)
            )
    except IntegrityError as exc:
        raise RetryLater(
            wait=settings.OTP_RESEND_COOLDOWN_SECONDS, detail="An OTP was just sent to this number."
        ) from exc


def profile_transfer_verify(
    *, holder: User, profile_id: Any, contact: str, code: str
) -> ProfileTransfer:
    """Step 2: the code of that number moves the profile (see the module docstring). A wrong
    code is counted even though the request fails (committed before the error is raised)."""
    now = timezone.now()
    failure: QuickCareError | None = None
    transfer: ProfileTransfer | None = None
    with transaction.atomic():
        profile = dependent_of(holder=holder, profile_id=profile_id, lock=True)
        pending = (
            PendingRegistration.objects.select_for_update()
            .filter(contact=contact, purpose=PURPOSE, profile=profile)
            .first()
        )
        if pending is None:
            raise InvalidState(
                "No transfer OTP is pending for this profile and number. Request one first.",
                code=ErrorCode.TRANSFER_NOT_REQUESTED,
            )
        failure = _check_code(pending, code=code, now=now)
        if failure is None:
            transfer = _move(profile=profile, holder=holder, contact=contact)
            if pending.otp_log_id:
                OTPLog.objects.filter(pk=pending.otp_log_id).update(is_used=True, used_at=now)
            pending.delete()
    if failure is not None:
        raise failure
    assert transfer is not None
    return transfer


def _new_account(*, contact: str, profile: PatientProfile) -> User:
    user = User(
        contact=contact,
        name=profile.name,
        role_id=RoleId.PATIENT,
        is_partial_onboarding=True,
        is_complete_onboarding=False,
    )
    user.set_unusable_password()
    user.save()
    return user


def _move(*, profile: PatientProfile, holder: User, contact: str) -> ProfileTransfer:
    target = _check_target(holder=holder, contact=contact)
    created = target is None
    if target is None:
        target = _new_account(contact=contact, profile=profile)
    target = User.objects.select_for_update().get(pk=target.pk)
    own = PatientProfile.objects.select_for_update().filter(account=target, relation=Relation.SELF)
    for empty in own:  # checked unused by _check_target (or created a moment ago)
        if profile_has_history(empty):
            raise Conflict(TARGET_HAS_HISTORY, code=ErrorCode.TRANSFER_TARGET_HAS_HISTORY)
        empty.delete()
    profile.account = target
    profile.relation = Relation.SELF
    profile.patient_enabled = True
    profile.save(update_fields=["account", "relation", "patient_enabled", "updated_at"])
    _move_denormalised_holder(profile=profile, target=target)
    _adopt(user=target, profile=profile)
    transfer = ProfileTransfer.objects.create(
        profile=profile, from_account=holder, to_account=target, account_created=created
    )
    audit_record(
        patient_id=profile.pk,
        category=AuditCategory.PRIVACY,
        action="profile_transferred",
        actor_id=holder.pk,
        data={"from": holder.pk, "to": target.pk, "account_created": created},
    )
    if created:
        user_id = target.pk
        transaction.on_commit(lambda: send_account_created_sms.enqueue(user_id=str(user_id)))
    return transfer


def _move_denormalised_holder(*, profile: PatientProfile, target: User) -> int:
    moved = 0
    for relation in PatientProfile._meta.related_objects:
        model: Any = relation.related_model
        if relation.field.name != "patient_profile":
            continue
        if "patient" not in {field.name for field in model._meta.get_fields()}:
            continue
        moved += model._base_manager.filter(patient_profile=profile).update(patient=target)
    # The base managers send no signal and are not core.records': both holders' cached
    # private lists (and every other) end here.
    bump(Namespace.RECORDS)
    return moved


def _adopt(*, user: User, profile: PatientProfile) -> None:
    """The account's own fields, medical profile and address from its new self profile (the
    receivers in users.services.profiles then copy them back unchanged)."""
    user.name = profile.name or user.name
    user.gender = profile.gender
    user.age = profile.age
    user.blood_group = profile.blood_group
    user.save(update_fields=["name", "gender", "age", "blood_group", "updated_at"])
    medical = {field: getattr(profile, field) for field in MEDICAL_PROFILE_FIELDS}
    MedicalProfile.objects.update_or_create(user=user, defaults=medical)
    address = {field: getattr(profile, field) for field in ADDRESS_FIELDS}
    if any(address.values()):
        current_home_address_save(user=user, data=address)
