"""Accounts, roles, patient profiles, medical profiles, addresses, registrations, OTP and
temp-password logs.

An account (`User`) is a login: a contact number and a password. Care is given to a
`PatientProfile`: every account holds exactly one `relation=self` profile (the person who
signs in) and may hold dependents (a child, a parent). The self profile's id equals its
account's id when it is created, so every id keyed by "the patient" before profiles existed
(audit chains, FHIR Patient ids) is the profile's id too.
"""

import datetime
import uuid
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from core.fields import IndianMobileNumberField
from core.models import TimeStampedModel
from core.records import RecordsManager, RecordsQuerySet
from core.roles import RoleId


class Role(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=32, unique=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class BloodGroup(models.TextChoices):
    A_POS = "A+"
    A_NEG = "A-"
    B_POS = "B+"
    B_NEG = "B-"
    AB_POS = "AB+"
    AB_NEG = "AB-"
    O_POS = "O+"
    O_NEG = "O-"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> RecordsQuerySet["User"]:
        # bulk writes end the cached private answers (core/records.py)
        return RecordsQuerySet(self.model, using=self._db)

    def create_user(self, contact: Any, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("role_id", RoleId.PATIENT)
        user = self.model(contact=contact, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, contact: Any, password: str | None = None, **extra: Any) -> "User":
        extra.update(
            role_id=RoleId.SUPERADMIN,
            is_staff=True,
            is_superuser=True,
            is_partial_onboarding=False,
            is_complete_onboarding=True,
        )
        return self.create_user(contact, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contact = IndianMobileNumberField(region="IN", unique=True)
    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(150)]
    )
    blood_group = models.CharField(max_length=3, choices=BloodGroup.choices, blank=True)
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="users")
    is_partial_onboarding = models.BooleanField(default=True)
    is_complete_onboarding = models.BooleanField(default=False)
    # The password in use was issued by a clinic (a temporary password): until the user
    # chooses their own, their tokens reach only password change, `me` and token refresh.
    password_change_required = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "contact"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    class Meta:
        ordering = ("date_joined", "id")
        indexes = [
            # The public doctor directory's order (doctors.public_queries: by name, then id),
            # over active doctors only: a page walks this index and stops after LIMIT rows,
            # whatever the number of patients or doctors.
            models.Index(
                fields=["name", "id"],
                name="user_doctor_name_idx",
                condition=models.Q(role_id=RoleId.DOCTOR, is_active=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or 'Unnamed'} ({self.contact})"

    # Capabilities, asked by `core.permissions` (which may not import this app) and the
    # policies above: see users/acting.py for the rules.
    def can_act_as_patient(self) -> bool:
        from users.acting import can_act_as_patient

        return can_act_as_patient(self)

    def act_for(self, profile_id: Any) -> None:
        from users.acting import act_for

        act_for(self, profile_id)

    def patient_chain_id(self) -> Any:
        """The audit chain of the profile this request acts for (None: not as a patient)."""
        from users.acting import acting_profile_id

        return acting_profile_id(self)


# The medical profile's own fields: what the patient writes (services) and reads (serializers).
MEDICAL_PROFILE_FIELDS = (
    "allergies",
    "chronic_conditions",
    "current_medications",
    "past_surgeries",
    "family_history",
    "height_cm",
    "weight_kg",
    "emergency_contact_name",
    "emergency_contact_number",
)


class MedicalFields(models.Model):
    """The medical profile's fields, shared by the account's `MedicalProfile` and every
    `PatientProfile` (a dependent has no account of their own)."""

    allergies = models.TextField(blank=True)
    chronic_conditions = models.TextField(blank=True)
    current_medications = models.TextField(blank=True)
    past_surgeries = models.TextField(blank=True)
    family_history = models.TextField(blank=True)
    height_cm = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(20), MaxValueValidator(300)]
    )
    weight_kg = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(700)],
    )
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_number = IndianMobileNumberField(region="IN", blank=True)

    class Meta:
        abstract = True


class MedicalProfile(MedicalFields):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="medical_profile")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Medical profile of {self.user}"


class AddressType(models.TextChoices):
    HOME = "home"
    WORK = "work"


class AddressFields(models.Model):
    """An address's fields, shared by `UserAddress` and `PatientProfile`."""

    area = models.CharField(max_length=255, blank=True)
    house_no = models.CharField(max_length=50, blank=True)
    town = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    pincode = models.CharField(max_length=6, blank=True)
    landmark = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True


class UserAddress(AddressFields, TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    address_type = models.CharField(
        max_length=10, choices=AddressType.choices, default=AddressType.HOME
    )
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ("-is_current", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_current=True), name="one_current_address_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.address_type} address of {self.user_id}"


class Relation(models.TextChoices):
    SELF = "self"
    CHILD = "child"
    PARENT = "parent"
    SPOUSE = "spouse"
    OTHER = "other"


DEPENDENT_RELATIONS = tuple(value for value in Relation.values if value != Relation.SELF)


class PatientProfile(MedicalFields, AddressFields, TimeStampedModel):
    """A person who receives care, held by an account (`account`): its own person (`self`)
    or a dependent. A self profile mirrors its account's name, gender, age, blood group,
    medical profile and current address (written only by `users.services.profiles`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="patient_profiles")
    relation = models.CharField(max_length=10, choices=Relation.choices)
    name = models.CharField(max_length=150, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # What was stated instead of a date of birth (the account's `age`, for migrated users).
    stated_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(150)]
    )
    blood_group = models.CharField(max_length=3, choices=BloodGroup.choices, blank=True)
    # The self profile's "acts as a patient" capability: on for patients (and for staff who
    # registered as patients, or turned it on); dependents always receive care.
    patient_enabled = models.BooleanField(default=True)

    # bulk writes end the cached private answers (core/records.py)
    objects = RecordsManager["PatientProfile"]()

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(relation="self"),
                name="one_self_profile_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or 'Unnamed'} ({self.relation} of {self.account_id})"

    @property
    def age(self) -> int | None:
        """Derived from the date of birth; else the stated age."""
        return profile_age(self.date_of_birth, self.stated_age)


def profile_age(date_of_birth: datetime.date | None, stated_age: int | None) -> int | None:
    """A profile's age: from the date of birth (today, in whole years), else the stated age.
    `PatientProfile.age`, and the appointment lists' row reader (`appointments/rows.py`),
    which reads the two columns without building the model."""
    if date_of_birth is None:
        return stated_age
    today = datetime.date.today()
    born = date_of_birth
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class RegistrationPurpose(models.TextChoices):
    PATIENT = "patient"
    CLINIC_OWNER = "clinic_owner"
    # The OTP that proves a dependent's own number before their profile moves to it.
    PROFILE_TRANSFER = "profile_transfer"


class OTPLog(models.Model):
    """One row per OTP issued. Never holds the code."""

    contact = IndianMobileNumberField(region="IN", db_index=True)
    purpose = models.CharField(max_length=20, choices=RegistrationPurpose.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    is_used = models.BooleanField(default=False)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "OTP log"

    def __str__(self) -> str:
        return f"OTP for {self.contact} ({self.purpose})"


class PendingRegistration(models.Model):
    """Step 1 of a registration, waiting for its OTP: name, hashed password, and the random
    secret the current code is derived from (so the SMS task renders it from this row's id,
    and no code sits in the task queue)."""

    contact = IndianMobileNumberField(region="IN")
    purpose = models.CharField(max_length=20, choices=RegistrationPurpose.choices)
    name = models.CharField(max_length=150)
    password_hash = models.CharField(max_length=255)
    otp_secret = models.CharField(max_length=64)
    otp_log = models.ForeignKey(OTPLog, on_delete=models.SET_NULL, null=True, blank=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    # A profile transfer's OTP: the profile that moves to `contact` once it is verified.
    profile = models.ForeignKey(
        "PatientProfile", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "purpose"], name="one_pending_registration_per_contact"
            )
        ]

    def __str__(self) -> str:
        return f"Pending {self.purpose} registration for {self.contact}"


class RevokedSession(models.Model):
    """A signed-out session (`sid` claim of a login's tokens): its access tokens stop working
    at once. Kept only as long as an access token can live."""

    sid = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Revoked session {self.sid}"


class TempPasswordLog(models.Model):
    """A temporary password issued to auto-registered staff; erased once onboarding completes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="temp_password_logs")
    temp_password = models.CharField(max_length=64, blank=True)
    issued_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    is_used = models.BooleanField(default=False)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "temp password log"

    def __str__(self) -> str:
        return f"Temp password for {self.user}"


class ProfileTransfer(models.Model):
    """A dependent's profile moved to the account of their own number: who held it before
    (that holder lost access at `transferred_at`), and whether the account was created for it
    (such an account has no password until its owner finishes registering with an OTP)."""

    profile = models.ForeignKey(PatientProfile, on_delete=models.CASCADE, related_name="transfers")
    from_account = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    to_account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    account_created = models.BooleanField(default=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    transferred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-transferred_at", "-id")

    def __str__(self) -> str:
        return f"Profile {self.profile_id} to {self.to_account_id}"
