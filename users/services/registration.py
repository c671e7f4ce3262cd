"""Self-registration by OTP (patients and clinic owners): send a code, verify it, create the user.

Each send draws a random secret (`secrets`) for the pending registration; the code is an HMAC
of it and the contact, rendered only by the SMS task (which takes the row's id, so the task
queue never holds a code) and at verification. Valid OTP_TTL_SECONDS, refused after
OTP_MAX_ATTEMPTS wrong tries until a new one is requested.
"""

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from core.error_codes import ErrorCode
from core.exceptions import Conflict, InvalidState, QuickCareError
from core.roles import RoleId
from core.sms import SMSKind, send_sms
from users.exceptions import RetryLater
from users.models import OTPLog, PendingRegistration, ProfileTransfer, RegistrationPurpose, User
from users.services.passwords import password_validate
from users.tasks import send_otp_sms

OTP_DIGITS = 6
PURPOSE_ROLE = {
    RegistrationPurpose.PATIENT: RoleId.PATIENT,
    RegistrationPurpose.CLINIC_OWNER: RoleId.CLINIC_OWNER,
}
CONTACT_TAKEN_MESSAGE = "An account with this contact number already exists. Please log in."


def _generate_secret() -> str:
    return secrets.token_hex(32)


def _otp_code(*, secret: str, contact: str) -> str:
    digest = salted_hmac("quickcare.users.otp", contact, secret=secret, algorithm="sha256")
    return f"{int(digest.hexdigest(), 16) % 10**OTP_DIGITS:0{OTP_DIGITS}d}"


def _sms_body(code: str) -> str:
    minutes = max(1, settings.OTP_TTL_SECONDS // 60)
    return f"Your QuickCare verification code is {code}. It expires in {minutes} minutes."


def registration_otp_sms_send(*, pending_id: int, otp_log_id: int) -> bool:
    """Render the current code of a pending registration and send it; False when there is
    nothing to send (verified, purged, superseded by a newer code, or expired)."""
    pending = PendingRegistration.objects.filter(pk=pending_id).first()
    if pending is None or pending.otp_log_id != otp_log_id or not pending.otp_secret:
        return False
    if pending.expires_at <= timezone.now():
        return False
    code = _otp_code(secret=pending.otp_secret, contact=str(pending.contact))
    send_sms(
        to=str(pending.contact),
        body=_sms_body(code),
        kind=SMSKind.OTP,
        variables={"otp": code},
    )
    return True


def claimable_account(contact: str) -> User | None:
    """An account created by a profile transfer whose owner has not registered yet: no
    password, so patient registration on its number finishes it instead of refusing."""
    return (
        User.objects.filter(
            contact=contact,
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
            pk__in=ProfileTransfer.objects.filter(account_created=True, claimed_at=None).values(
                "to_account_id"
            ),
        )
        .exclude(is_active=False)
        .first()
    )


def _contact_taken(contact: str, purpose: str = RegistrationPurpose.PATIENT) -> bool:
    if purpose == RegistrationPurpose.PATIENT and claimable_account(contact) is not None:
        return False
    return User.objects.filter(contact=contact).exists()


def registration_start(*, contact: str, name: str, password: str, purpose: str) -> None:
    """Step 1: validate, store the pending registration and send a fresh code by SMS."""
    if _contact_taken(contact, purpose):
        raise Conflict(CONTACT_TAKEN_MESSAGE, code=ErrorCode.CONTACT_ALREADY_REGISTERED)
    password_validate(password=password, name=name, contact=contact)
    now = timezone.now()
    try:
        with transaction.atomic():
            pending = (
                PendingRegistration.objects.select_for_update()
                .filter(contact=contact, purpose=purpose)
                .first()
            )
            if pending is not None:
                _raise_if_cooling_down(pending, now=now)
            pending = _store_pending(
                pending, contact=contact, purpose=purpose, name=name, now=now, password=password
            )
            pending_id, otp_log_id = pending.pk, pending.otp_log_id
            assert otp_log_id is not None  # _store_pending always links a fresh log row
            transaction.on_commit(
                lambda: send_otp_sms.enqueue(pending_id=pending_id, otp_log_id=otp_log_id)
            )
    except IntegrityError as exc:
        # Two first requests for one contact raced; the other one sent a code.
        raise RetryLater(
            wait=settings.OTP_RESEND_COOLDOWN_SECONDS,
            detail="An OTP was just sent to this number.",
        ) from exc


def _raise_if_cooling_down(pending: PendingRegistration, *, now: Any) -> None:
    elapsed = (now - pending.last_sent_at).total_seconds()
    wait = settings.OTP_RESEND_COOLDOWN_SECONDS - elapsed
    if wait > 0:
        raise RetryLater(
            wait=wait,
            detail="An OTP was just sent to this number.",
        )


def _store_pending(
    pending: PendingRegistration | None,
    *,
    contact: str,
    purpose: str,
    name: str,
    password: str | None,
    now: Any,
    profile: Any = None,
) -> PendingRegistration:
    """A fresh code for the pending row (created if absent). `password` None: an OTP that
    creates no login (a profile transfer, `profile` moving to `contact`)."""
    expires_at = now + timedelta(seconds=settings.OTP_TTL_SECONDS)
    otp_log = OTPLog.objects.create(contact=contact, purpose=purpose, expires_at=expires_at)
    if pending is None:
        pending = PendingRegistration(contact=contact, purpose=purpose)
    pending.name = name
    pending.password_hash = make_password(password) if password is not None else ""
    pending.profile = profile
    pending.otp_secret = _generate_secret()
    pending.otp_log = otp_log
    pending.expires_at = expires_at
    pending.attempts = 0
    pending.last_sent_at = now
    pending.save()
    return pending


def _code_matches(pending: PendingRegistration, code: str) -> bool:
    if settings.MASTER_OTP and constant_time_compare(code, settings.MASTER_OTP):
        return True
    if not pending.otp_secret:
        return False
    expected = _otp_code(secret=pending.otp_secret, contact=str(pending.contact))
    return constant_time_compare(expected, code)


def registration_verify(*, contact: str, code: str, purpose: str) -> User:
    """Step 2: check the code and create the account in one transaction.

    A wrong code is counted even though the request fails, so the counter is written in
    its own transaction and the error raised after it commits.
    """
    now = timezone.now()
    failure: QuickCareError | None = None
    user: User | None = None
    with transaction.atomic():
        pending = (
            PendingRegistration.objects.select_for_update()
            .filter(contact=contact, purpose=purpose)
            .first()
        )
        if _contact_taken(contact, purpose):
            raise Conflict(CONTACT_TAKEN_MESSAGE, code=ErrorCode.CONTACT_ALREADY_REGISTERED)
        if pending is None:
            raise InvalidState(
                "No OTP is pending for this contact number. Please request a new OTP.",
                code=ErrorCode.OTP_NOT_REQUESTED,
            )
        failure = _check_code(pending, code=code, now=now)
        if failure is None:
            user = _create_user(pending, now=now)
    if failure is not None:
        raise failure
    assert user is not None
    return user


def _check_code(pending: PendingRegistration, *, code: str, now: Any) -> QuickCareError | None:
    max_attempts = settings.OTP_MAX_ATTEMPTS
    if pending.attempts >= max_attempts:
        return InvalidState(
            "Too many wrong codes. Please request a new OTP.", code=ErrorCode.OTP_ATTEMPTS_EXCEEDED
        )
    if pending.expires_at <= now:
        return InvalidState(
            "This OTP has expired. Please request a new one.", code=ErrorCode.OTP_EXPIRED
        )
    if _code_matches(pending, code):
        return None
    pending.attempts += 1
    pending.save(update_fields=["attempts"])
    if pending.otp_log_id:
        OTPLog.objects.filter(pk=pending.otp_log_id).update(attempts=pending.attempts)
    left = max_attempts - pending.attempts
    if left <= 0:
        return InvalidState(
            "Invalid OTP. No attempts left: please request a new OTP.",
            code=ErrorCode.OTP_ATTEMPTS_EXCEEDED,
            attempts_left=0,
        )
    return InvalidState(
        f"Invalid OTP. {left} attempt{'s' if left != 1 else ''} left.",
        code=ErrorCode.OTP_INVALID,
        attempts_left=left,
    )


def _claim_account(pending: PendingRegistration, *, now: Any) -> User | None:
    """Patient registration on the number of an account a transfer created: the owner sets
    their password and name here; the record already waiting is theirs."""
    if pending.purpose != RegistrationPurpose.PATIENT:
        return None
    user = claimable_account(str(pending.contact))
    if user is None:
        return None
    user.password = pending.password_hash
    user.name = pending.name
    user.last_login = now
    user.save(update_fields=["password", "name", "last_login", "updated_at"])
    ProfileTransfer.objects.filter(to_account=user, claimed_at=None).update(claimed_at=now)
    return user


def _create_user(pending: PendingRegistration, *, now: Any) -> User:
    claimed = _claim_account(pending, now=now)
    if claimed is not None:
        if pending.otp_log_id:
            OTPLog.objects.filter(pk=pending.otp_log_id).update(is_used=True, used_at=now)
        pending.delete()
        return claimed
    user = User(
        contact=pending.contact,
        name=pending.name,
        role_id=PURPOSE_ROLE[RegistrationPurpose(pending.purpose)],
        is_partial_onboarding=True,
        is_complete_onboarding=False,
        last_login=now,
    )
    user.password = pending.password_hash
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise Conflict(CONTACT_TAKEN_MESSAGE, code=ErrorCode.CONTACT_ALREADY_REGISTERED) from exc
    if pending.otp_log_id:
        OTPLog.objects.filter(pk=pending.otp_log_id).update(is_used=True, used_at=now)
    pending.delete()
    return user


def pending_registrations_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Deletes registrations whose OTP expired more than `older_than` ago (name and password
    hash of people who never verified should not be kept). Returns how many were deleted."""
    cutoff = timezone.now() - older_than
    deleted, _ = PendingRegistration.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
