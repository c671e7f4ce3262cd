"""Login (contact + password; failures counted per contact and address) and password change."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from core.error_codes import ErrorCode
from core.roles import STAFF_ROLES
from users.exceptions import RetryLater, Unauthorized
from users.models import TempPasswordLog, User
from users.policies import can_change_password_without_current
from users.services.passwords import password_validate
from users.tokens import TokenPair, issue_tokens, now_epoch

INVALID_CREDENTIALS = "Invalid contact or password."


def _failure_keys(scope: str) -> tuple[str, str]:
    base = f"users:login-failures:{scope}"
    return base, f"{base}:since"


def _failure_scopes(contact: str, client_ip: str) -> list[tuple[str, int]]:
    """(counter, ceiling): per contact and address, and a higher one per contact across all
    addresses. Guessing from one address locks only that address out, so nobody can lock a
    stranger out; a guess spread over many addresses still meets the per-contact ceiling."""
    return [
        (f"{contact}:{client_ip}", settings.LOGIN_MAX_FAILURES),
        (contact, settings.LOGIN_MAX_FAILURES_PER_CONTACT),
    ]


def _raise_if_locked(contact: str, client_ip: str) -> None:
    for scope, ceiling in _failure_scopes(contact, client_ip):
        count_key, since_key = _failure_keys(scope)
        if int(cache.get(count_key, 0)) < ceiling:
            continue
        since = cache.get(since_key) or now_epoch()
        wait = max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS - (now_epoch() - int(since)))
        raise RetryLater(
            wait=wait, detail="Too many failed login attempts for this contact number."
        )


def _record_failure(contact: str, client_ip: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for scope, _ceiling in _failure_scopes(contact, client_ip):
        count_key, since_key = _failure_keys(scope)
        # One window from the first failure: `add` only sets a key that is absent, and `incr`
        # keeps the key's expiry (locmem and Redis), so app servers sharing the cache agree.
        cache.add(since_key, now_epoch(), window)
        if cache.add(count_key, 1, window):
            continue
        try:
            cache.incr(count_key)
        except ValueError:  # expired between add and incr
            cache.set(count_key, 1, window)


def _reset_failures(contact: str, client_ip: str) -> None:
    # Only this address's counter: the per-contact ceiling bounds guesses per window even
    # when the owner signs in between them.
    cache.delete_many(list(_failure_keys(f"{contact}:{client_ip}")))


def _refuse_expired_temp_password(user: User, password: str) -> None:
    if user.role_id not in STAFF_ROLES or user.is_complete_onboarding:
        return
    log = TempPasswordLog.objects.filter(user=user, is_used=False).order_by("-created_at").first()
    if log is None or not log.temp_password or log.expires_at > timezone.now():
        return
    if constant_time_compare(password, log.temp_password):
        raise Unauthorized(
            "Your temporary password has expired. Please ask your clinic to issue a new one.",
            code=ErrorCode.TEMP_PASSWORD_EXPIRED,
        )


def user_login(*, contact: str, password: str, client_ip: str) -> User:
    """The user behind contact + password, or 401/429. Inactive accounts are refused.

    Failures are counted per contact and client address, under a per-contact ceiling.
    """
    _raise_if_locked(contact, client_ip)
    user = User.objects.filter(contact=contact).first()
    if user is None:
        User().set_password(password)  # same hashing time as a known contact
        _record_failure(contact, client_ip)
        raise Unauthorized(INVALID_CREDENTIALS, code=ErrorCode.INVALID_CREDENTIALS)
    if not user.check_password(password):
        _record_failure(contact, client_ip)
        raise Unauthorized(INVALID_CREDENTIALS, code=ErrorCode.INVALID_CREDENTIALS)
    if not user.is_active:
        raise Unauthorized(
            "This account has been deactivated. Please contact support.",
            code=ErrorCode.ACCOUNT_INACTIVE,
        )
    _refuse_expired_temp_password(user, password)
    _reset_failures(contact, client_ip)
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return user


def user_refresh_tokens_blacklist(*, user: User) -> int:
    """Blacklist every still-valid refresh token of the user; returns how many."""
    outstanding = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    created = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(created)


def user_password_change(
    *, user: User, password: str, current_password: str | None, auth_time: int | None
) -> TokenPair:
    """Set a new password, end every other session, and return a new token pair.

    The current password may be omitted only right after a sign-in (recent authentication).
    """
    now = now_epoch()
    if current_password:
        if not user.check_password(current_password):
            raise ValidationError({"current_password": ["Your current password is incorrect."]})
        new_auth_time = now
    elif auth_time is not None and can_change_password_without_current(
        auth_time=auth_time, now=now
    ):
        new_auth_time = auth_time
    else:
        raise ValidationError(
            {
                "current_password": [
                    "Your current password is required: you signed in more than "
                    f"{settings.RECENT_AUTH_SECONDS // 60} minutes ago."
                ]
            }
        )
    _validate_new_password(user=user, password=password)
    with transaction.atomic():
        user.set_password(password)
        user.password_change_required = False  # the user chose this one
        user.save(update_fields=["password", "password_change_required", "updated_at"])
        user_refresh_tokens_blacklist(user=user)
    return issue_tokens(user=user, auth_time=new_auth_time)


def _validate_new_password(*, user: User, password: str) -> None:
    password_validate(password=password, name=user.name, contact=user.contact, email=user.email)
    if user.check_password(password):
        raise ValidationError(
            {"password": ["The new password must be different from the current one."]}
        )
