"""Every `code` the API puts in a `{message, code}` error body, in one enum a client can switch on.

A StrEnum, so `ErrorCode.NOT_FOUND == "not_found"` and the JSON is the plain string. The
OpenAPI schema lists these values as the `code` enum of every error body; a test keeps the
list complete (domain raises, DRF's and simplejwt's exceptions, the slot engine's reasons).
Field-level codes inside a `{field: [messages]}` body never reach the wire and are not here.
"""

from enum import StrEnum, unique


@unique
class ErrorCode(StrEnum):
    # The hierarchy's defaults (core.exceptions) and the JSON pages of core.views.
    INVALID = "invalid"  # a broken rule without its own code; a non-field validation error
    INVALID_STATE = "invalid_state"
    NOT_PERMITTED = "not_permitted"
    NOT_FOUND = "not_found"  # also DRF's NotFound, Django's Http404 and unknown /api/ URLs
    CONFLICT = "conflict"
    BAD_REQUEST = "bad_request"  # Django refused the request (bad Host, suspicious input)
    PAYLOAD_TOO_LARGE = "payload_too_large"  # the body is over DATA_UPLOAD_MAX_MEMORY_SIZE
    SERVER_ERROR = "server_error"  # 500

    # Gates: onboarding and the clinic-issued temporary password (403).
    ONBOARDING_REQUIRED = "onboarding_required"
    PASSWORD_CHANGE_REQUIRED = "password_change_required"

    # DRF's own exceptions, rendered by the one handler with their default codes.
    PARSE_ERROR = "parse_error"  # malformed JSON / multipart
    AUTHENTICATION_FAILED = "authentication_failed"
    NOT_AUTHENTICATED = "not_authenticated"  # no credentials sent
    PERMISSION_DENIED = "permission_denied"  # wrong role (a permission class said no)
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"  # no renderer for the Accept header
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"  # 429, with Retry-After and `retry_after`

    # Tokens (simplejwt and our session check): 401.
    TOKEN_NOT_VALID = "token_not_valid"  # bad, expired or blacklisted token
    BAD_AUTHORIZATION_HEADER = "bad_authorization_header"
    USER_NOT_FOUND = "user_not_found"
    USER_INACTIVE = "user_inactive"
    PASSWORD_CHANGED = "password_changed"  # the token predates a password change
    SESSION_REVOKED = "session_revoked"  # the login was signed out
    NO_ACTIVE_ACCOUNT = "no_active_account"  # refresh for a deleted or inactive user

    # Users: registration, login, addresses.
    CONTACT_ALREADY_REGISTERED = "contact_already_registered"
    OTP_NOT_REQUESTED = "otp_not_requested"
    OTP_ATTEMPTS_EXCEEDED = "otp_attempts_exceeded"
    OTP_EXPIRED = "otp_expired"
    OTP_INVALID = "otp_invalid"
    INVALID_CREDENTIALS = "invalid_credentials"
    TEMP_PASSWORD_EXPIRED = "temp_password_expired"
    ACCOUNT_INACTIVE = "account_inactive"
    ADDRESS_NOT_FOUND = "address_not_found"
    CURRENT_ADDRESS_CONFLICT = "current_address_conflict"
    # Patient profiles (dependents) and their transfer to their own number.
    PATIENT_PROFILE_NOT_FOUND = "patient_profile_not_found"
    DEPENDENTS_LIMIT = "dependents_limit"  # 409: MAX_DEPENDENTS_PER_ACCOUNT reached
    PROFILE_HAS_HISTORY = "profile_has_history"  # 409: a dependent with records is not deleted
    TRANSFER_TARGET_HAS_HISTORY = "transfer_target_has_history"  # 409
    TRANSFER_TO_SELF = "transfer_to_self"  # 400: the holder's own number
    TRANSFER_NOT_REQUESTED = "transfer_not_requested"  # 400: no OTP pending for this profile

    # Clinics and members.
    CLINIC_NOT_FOUND = "clinic_not_found"
    CLINIC_INACTIVE = "clinic_inactive"
    NOT_CLINIC_OWNER = "not_clinic_owner"
    SLUG_CONFLICT = "slug_conflict"
    TIME_SLOT_NOT_FOUND = "time_slot_not_found"
    TIME_SLOT_OVERLAP = "time_slot_overlap"
    TIME_SLOTS_OVERLAP = "time_slots_overlap"
    ADMISSION_DOCUMENT_NOT_FOUND = "admission_document_not_found"
    MEMBER_NOT_FOUND = "member_not_found"
    MEMBER_INACTIVE = "member_inactive"
    ALREADY_MEMBER = "already_member"
    ROLE_MISMATCH = "role_mismatch"
    MEMBERSHIP_CONFLICT = "membership_conflict"
    DOCTOR_ALREADY_IN_CLINIC = "doctor_already_in_clinic"
    NOT_STAFF = "not_staff"
    ONBOARDING_ALREADY_COMPLETE = "onboarding_already_complete"

    # Doctors: profile, availability, leave.
    DOCTOR_NOT_FOUND = "doctor_not_found"
    NOT_OWN_PROFILE = "not_own_profile"
    NOT_CLINIC_MEMBER = "not_clinic_member"
    AVAILABILITY_OVERLAP = "availability_overlap"
    LEAVE_OVERLAP = "leave_overlap"

    # Appointments: booking refusals. The seven slot-engine reasons
    # (doctors.slot_engine.HiddenReason) are sent as codes too.
    DOCTOR_NOT_AT_CLINIC = "doctor_not_at_clinic"
    DOCTOR_NOT_IN_CLINIC = "doctor_not_in_clinic"
    VIDEO_NOT_OFFERED = "video_not_offered"
    NOT_ON_GRID = "not_on_grid"
    OUTSIDE_AVAILABILITY = "outside_availability"
    PAST_DATE = "past_date"
    PAST_TIME = "past_time"
    ON_LEAVE = "on_leave"
    BEYOND_HORIZON = "beyond_horizon"
    WINDOW_FULL = "window_full"
    BOOKED = "booked"
    HELD = "held"  # the slot is held for a waiting patient (409)
    PATIENT_ALREADY_BOOKED = "patient_already_booked"
    TOO_MANY_ACTIVE_APPOINTMENTS = "too_many_active_appointments"
    # Appointments: status changes.
    NOT_CANCELLABLE = "not_cancellable"
    APPOINTMENT_STARTED = "appointment_started"
    APPOINTMENT_NOT_STARTED = "appointment_not_started"
    INVALID_TRANSITION = "invalid_transition"  # also a consent's status change
    # Appointments: the OPD queue (walk-ins, tokens, the doctor's calls).
    SESSION_FULL = "session_full"  # 409: no free slot and the doctor does not overbook
    NO_SESSION_TODAY = "no_session_today"  # 409: no session of the doctor left today
    NOT_TODAY = "not_today"  # 400: check-in is for today's appointments only
    APPOINTMENT_NOT_ACTIVE = "appointment_not_active"  # 400: cancelled, completed, no-show
    ALREADY_CHECKED_IN = "already_checked_in"  # 409
    QUEUE_STATE_INVALID = "queue_state_invalid"  # 409: e.g. finishing one never started
    CONSULTATION_IN_PROGRESS = "consultation_in_progress"  # 409: finish it first
    # Reschedule, waitlist and a leave over bookings (issue 14).
    RESCHEDULE_SAME_TIME = "reschedule_same_time"
    WAITLIST_SLOTS_FREE = "waitlist_slots_free"  # 409: book one of them instead
    WAITLIST_ALREADY_JOINED = "waitlist_already_joined"  # 409
    WAITLIST_ENTRY_NOT_FOUND = "waitlist_entry_not_found"
    WAITLIST_NO_OFFER = "waitlist_no_offer"  # accept/decline without a live offer
    WAITLIST_CLOSED = "waitlist_closed"  # leaving an entry that has already ended
    LEAVE_HAS_APPOINTMENTS = "leave_has_appointments"  # 409, lists them; send on_conflict

    # Documents, links and consent.
    DOCUMENT_NOT_FOUND = "document_not_found"
    FILE_TOO_LARGE = "file_too_large"
    FILE_MISSING = "file_missing"
    INVALID_CONTENT_LENGTH = "invalid_content_length"
    INVALID_LINK = "invalid_link"
    LINK_NOT_YOURS = "link_not_yours"
    LINK_EXPIRED = "link_expired"
    CONSENT_NOT_FOUND = "consent_not_found"
    CONSENT_ALREADY_GRANTED = "consent_already_granted"
    CONSENT_REQUEST_PENDING = "consent_request_pending"
    CONSENT_REQUEST_EXPIRED = "consent_request_expired"

    # Notifications: the inbox, devices and provider callbacks.
    NOTIFICATION_NOT_FOUND = "notification_not_found"
    DEVICE_NOT_FOUND = "device_not_found"
    WEBHOOK_REFUSED = "webhook_refused"  # unknown provider, or a missing or bad signature
    # Trust layer: break-glass and DPDP rights.
    EMERGENCY_ACCESS_REVIEW_PENDING = "emergency_access_review_pending"  # 409
    EMERGENCY_ACCESS_NOT_FOUND = "emergency_access_not_found"
    PATIENT_NOT_FOUND = "patient_not_found"
    ERASURE_ALREADY_REQUESTED = "erasure_already_requested"  # 409


# The schema's `ErrorCodeEnum` (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] names it
# by this choice set, and core.schema's ErrorOutputSerializer.code uses it).
ERROR_CODE_CHOICES: list[tuple[str, str]] = [(code.value, code.value) for code in ErrorCode]
