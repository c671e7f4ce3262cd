"""Clinic staff: adding (auto-registering unknown contacts), editing, removing, onboarding."""

import datetime as dt
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.models import Clinic, ClinicMember, MemberRole, MemberStatus
from clinic.rules import clinic_today, role_label
from clinic.selectors import doctor_active_membership
from clinic.signals import (
    doctor_member_added,
    doctor_onboarding_completed,
    send_required,
    staff_temp_password_issued,
)
from core.error_codes import ErrorCode
from core.exceptions import Conflict, InvalidState
from core.fields import contact_as_int
from core.roles import MEMBER_ONBOARDING_URL, MEMBER_ROLE_TO_ROLE_ID, STAFF_ROLES, RoleId
from core.services import model_update
from users.models import TempPasswordLog, User
from users.services import (
    current_home_address_save,
    onboarding_address,
    password_validate,
    user_profile_update,
    user_refresh_tokens_blacklist,
)
from users.services.roles import patient_joins_staff, staff_membership_ended

TEMP_PASSWORD_LENGTH = 10
# No look-alikes (0/O, 1/l/I): the password is read off an SMS and typed on a phone.
TEMP_PASSWORD_ALPHABET = "".join(
    ch for ch in string.ascii_letters + string.digits if ch not in "0O1lI"
)
MEMBER_FIELDS = frozenset({"department", "joined_at", "notes"})


@dataclass(frozen=True)
class MemberAdded:
    member: ClinicMember
    account_created: bool


@dataclass(frozen=True)
class AccountFound:
    user: User
    created: bool


def generate_temp_password(*, name: str, contact: str) -> str:
    """Random (secrets), mixed case and digits, and accepted by the password validators."""
    for _ in range(50):
        password = "".join(
            secrets.choice(TEMP_PASSWORD_ALPHABET) for _ in range(TEMP_PASSWORD_LENGTH)
        )
        if not all(
            any(ch in group for ch in password)
            for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits)
        ):
            continue
        try:
            password_validate(password=password, name=name, contact=contact)
        except ValidationError:
            continue
        return password
    raise RuntimeError("could not generate a temporary password")  # pragma: no cover


def _create_staff_account(*, contact: str, name: str, role_id: int, password: str) -> User | None:
    """The new account, or None when the contact was registered concurrently."""
    try:
        with transaction.atomic():
            return User.objects.create_user(
                contact,
                password,
                name=name,
                role_id=role_id,
                is_partial_onboarding=True,
                is_complete_onboarding=False,
            )
    except IntegrityError:
        if User.objects.filter(contact=contact).exists():
            return None
        raise


def _issue_temp_password(*, user: User, password: str, clinic: Clinic, added_by: User) -> None:
    log = TempPasswordLog.objects.create(
        user=user,
        temp_password=password,
        issued_by=added_by,
        expires_at=timezone.now() + dt.timedelta(days=settings.TEMP_PASSWORD_TTL_DAYS),
    )
    send_required(staff_temp_password_issued, sender=TempPasswordLog, log=log, clinic=clinic)


def _doctor_clinic_elsewhere(*, user: User, clinic: Clinic) -> Clinic | None:
    # As the constraint counts it: a membership at a closed clinic or of a suspended account
    # still holds the doctor (adding them would only fail at the constraint).
    membership = doctor_active_membership(user_id=user.pk, practising=False)
    return membership.clinic if membership and membership.clinic_id != clinic.pk else None


def _check_can_join(*, clinic: Clinic, user: User, member_role: str) -> None:
    wanted = MEMBER_ROLE_TO_ROLE_ID[member_role]
    # A registered patient may join as staff (they keep their patient profile and may still
    # book); any other role stays one role per account.
    if user.role_id not in (wanted, RoleId.PATIENT):
        raise Conflict(
            f"This contact is registered as {role_label(user.role_id)}; "
            f"it cannot be added as {role_label(wanted)}.",
            code=ErrorCode.ROLE_MISMATCH,
        )
    if ClinicMember.objects.filter(clinic=clinic, user=user, status=MemberStatus.ACTIVE).exists():
        raise Conflict(
            "This person is already an active member of this clinic.", code=ErrorCode.ALREADY_MEMBER
        )
    if member_role == MemberRole.DOCTOR:
        other = _doctor_clinic_elsewhere(user=user, clinic=clinic)
        if other is not None:
            raise Conflict(
                f'This doctor is already an active member of "{other.name}". '
                "A doctor can only belong to one clinic at a time.",
                code=ErrorCode.DOCTOR_ALREADY_IN_CLINIC,
            )


def _insert_membership(
    *, clinic: Clinic, user: User, member_role: str, added_by: User, data: Mapping[str, Any]
) -> ClinicMember:
    fields = {key: value for key, value in data.items() if key in MEMBER_FIELDS}
    fields["joined_at"] = fields.get("joined_at") or clinic_today(clinic.timezone)
    try:
        with transaction.atomic():
            return ClinicMember.objects.create(
                clinic=clinic, user=user, member_role=member_role, added_by=added_by, **fields
            )
    except IntegrityError as exc:
        # Lost a race (e.g. two owners adding one doctor): the constraint decided; say why.
        _check_can_join(clinic=clinic, user=user, member_role=member_role)
        raise Conflict(
            "This membership conflicts with a concurrent change; please retry.",
            code=ErrorCode.MEMBERSHIP_CONFLICT,
        ) from exc


def clinic_member_add(
    *,
    clinic: Clinic,
    added_by: User,
    contact: str,
    member_role: str,
    name: str = "",
    data: Mapping[str, Any] | None = None,
) -> MemberAdded:
    """Adds staff by contact; an unknown contact gets an account and a temporary password."""
    if not clinic.is_active:
        raise InvalidState(
            "This clinic is inactive; restore it before adding members.",
            code=ErrorCode.CLINIC_INACTIVE,
        )
    role_id = MEMBER_ROLE_TO_ROLE_ID[member_role]
    with transaction.atomic():
        found = account_find_or_register(
            clinic=clinic, issued_by=added_by, contact=contact, name=name, role_id=role_id
        )
        _check_can_join(clinic=clinic, user=found.user, member_role=member_role)
        if found.user.role_id == RoleId.PATIENT:
            patient_joins_staff(user=found.user, role_id=role_id)
        member = _insert_membership(
            clinic=clinic,
            user=found.user,
            member_role=member_role,
            added_by=added_by,
            data=data or {},
        )
        if member_role == MemberRole.DOCTOR:  # doctors creates the profile, in this transaction
            send_required(doctor_member_added, sender=ClinicMember, member=member)
    return MemberAdded(member=member, account_created=found.created)


def account_find_or_register(
    *,
    clinic: Clinic,
    issued_by: User,
    contact: str,
    name: str,
    role_id: int,
    password_change_required: bool = False,
) -> AccountFound:
    """The account of `contact`, or a new one the clinic registers: nobody at the clinic sets
    its password; a random temporary one goes to the person by SMS (valid
    TEMP_PASSWORD_TTL_DAYS) and they finish registering in the app. Staff members choose their
    own at onboarding; `password_change_required` makes it the first thing (a walk-in patient,
    who has no onboarding of the clinic's). Inside the caller's transaction."""
    user = User.objects.filter(contact=contact).first()
    if user is not None:
        return AccountFound(user=user, created=False)
    if not name.strip():
        raise ValidationError({"name": ["name is required: this contact is not registered yet."]})
    password = generate_temp_password(name=name, contact=contact)
    user = _create_staff_account(
        contact=contact, name=name.strip(), role_id=role_id, password=password
    )
    if user is None:  # registered a moment ago by someone else: link that account
        return AccountFound(user=User.objects.get(contact=contact), created=False)
    if password_change_required:
        user.password_change_required = True
        user.save(update_fields=["password_change_required", "updated_at"])
    _issue_temp_password(user=user, password=password, clinic=clinic, added_by=issued_by)
    return AccountFound(user=user, created=True)


def clinic_member_temp_password_reissue(*, member: ClinicMember, issued_by: User) -> None:
    """A fresh temporary password for staff who never completed onboarding (e.g. it expired)."""
    if member.status != MemberStatus.ACTIVE:
        raise InvalidState(
            "This member has been removed from the clinic.", code=ErrorCode.MEMBER_INACTIVE
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=member.user_id)
        if user.is_complete_onboarding:
            raise Conflict(
                "This member has completed onboarding and chose their own password.",
                code=ErrorCode.ONBOARDING_ALREADY_COMPLETE,
            )
        password = generate_temp_password(name=user.name, contact=str(user.contact))
        user.set_password(password)
        user.save(update_fields=["password", "updated_at"])
        # The superseded password is erased and can no longer be used.
        TempPasswordLog.objects.filter(user=user, is_used=False).update(
            temp_password="", expires_at=timezone.now()
        )
        _issue_temp_password(user=user, password=password, clinic=member.clinic, added_by=issued_by)


def new_account_info(member: ClinicMember) -> str:
    return (
        "New account created. A temporary password has been sent to "
        f"{contact_as_int(member.user.contact)}. They must log in and complete their profile "
        f"at {MEMBER_ONBOARDING_URL}"
    )


def clinic_member_update(*, member: ClinicMember, data: Mapping[str, Any]) -> ClinicMember:
    """Department, notes and joining date, checked with the stored dates; `status: inactive`
    removes the member. Reactivation and a new role go through remove and re-add, where the
    one-clinic rule is checked."""
    status = data.get("status", member.status)
    if status != member.status and status == MemberStatus.ACTIVE:
        raise ValidationError(
            {
                "status": [
                    "A removed member cannot be made active here; add them again with "
                    f"POST /api/clinics/{member.clinic_id}/members/."
                ]
            }
        )
    joined_at = data.get("joined_at", member.joined_at)
    if "joined_at" in data and member.left_at is not None and joined_at > member.left_at:
        raise ValidationError(
            {"joined_at": [f"joined_at cannot be after left_at ({member.left_at.isoformat()})."]}
        )
    with transaction.atomic():
        model_update(instance=member, fields=MEMBER_FIELDS, data=data)
        if status != member.status:
            clinic_member_remove(member=member)
    return member


def clinic_member_remove(*, member: ClinicMember) -> ClinicMember:
    """Soft remove; removing an already removed member changes nothing."""
    if member.status == MemberStatus.ACTIVE:
        member.status = MemberStatus.INACTIVE
        member.left_at = clinic_today(member.clinic.timezone)
        member.save(update_fields=["status", "left_at", "updated_at"])
        if not ClinicMember.objects.filter(
            user_id=member.user_id, status=MemberStatus.ACTIVE
        ).exists():
            staff_membership_ended(user_id=member.user_id)
    return member


def _set_password(*, user: User, password: str) -> None:
    password_validate(password=password, name=user.name, contact=user.contact, email=user.email)
    user.set_password(password)


def _uses_temp_password(user: User) -> bool:
    """Whether the account's password is still its clinic-issued one (not since changed)."""
    log = (
        TempPasswordLog.objects.filter(user=user, is_used=False)
        .exclude(temp_password="")
        .order_by("-created_at", "-id")
        .first()
    )
    return log is not None and user.check_password(log.temp_password)


def member_onboarding_complete(
    *, user: User, data: Mapping[str, Any], password: str | None = None
) -> User:
    """Profile, address and doctor details at once; the temporary password is then erased."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.role_id not in STAFF_ROLES:
            raise InvalidState(
                "Only clinic staff complete member onboarding.", code=ErrorCode.NOT_STAFF
            )
        if locked.is_complete_onboarding:
            raise Conflict(
                "Your onboarding is already complete.", code=ErrorCode.ONBOARDING_ALREADY_COMPLETE
            )
        user_profile_update(user=locked, data=data)
        if password:
            _set_password(user=locked, password=password)
        # Without a new password the clinic-issued one would become long-term: until the user
        # chooses their own, their tokens reach only password change and `me`.
        locked.password_change_required = not password and _uses_temp_password(locked)
        locked.is_partial_onboarding = False
        locked.is_complete_onboarding = True
        locked.save(
            update_fields=[
                "password",
                "password_change_required",
                "is_partial_onboarding",
                "is_complete_onboarding",
                "updated_at",
            ]
        )
        if password:  # like a password change: sessions opened with the old one end
            user_refresh_tokens_blacklist(user=locked)
        address = onboarding_address(data)
        if address:
            current_home_address_save(user=locked, data=address)
        if locked.role_id == RoleId.DOCTOR:  # doctors writes its part of the body
            send_required(doctor_onboarding_completed, sender=User, user=locked, data=data)
        TempPasswordLog.objects.filter(user=locked, is_used=False).update(
            is_used=True, used_at=timezone.now(), temp_password=""
        )
    return locked
