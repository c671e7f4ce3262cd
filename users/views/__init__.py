"""HTTP layer of the users API: parse, call one service or selector, serialize.

One module per room: `auth` (login, tokens, logout, password), `registration` (OTP sign-up
and the patient's step 3), `account` (me, medical profile, addresses).
"""

from users.views.account import (
    AddressDetailView,
    AddressListCreateView,
    MedicalProfileView,
    UserMeView,
)
from users.views.auth import (
    ContactCheckView,
    PasswordChangeView,
    UserLoginView,
    UserLogoutView,
    UserTokenRefreshView,
)
from users.views.registration import (
    ClinicOwnerRegistrationStartView,
    ClinicOwnerRegistrationVerifyView,
    PatientOnboardingCompleteView,
    PatientRegistrationStartView,
    PatientRegistrationVerifyView,
)

__all__ = [
    "AddressDetailView",
    "AddressListCreateView",
    "ClinicOwnerRegistrationStartView",
    "ClinicOwnerRegistrationVerifyView",
    "ContactCheckView",
    "MedicalProfileView",
    "PasswordChangeView",
    "PatientOnboardingCompleteView",
    "PatientRegistrationStartView",
    "PatientRegistrationVerifyView",
    "UserLoginView",
    "UserLogoutView",
    "UserMeView",
    "UserTokenRefreshView",
]
