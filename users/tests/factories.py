"""Factories that build valid users in each role."""

import factory
from factory.django import DjangoModelFactory

from core.roles import RoleId
from users.models import MedicalProfile, User, UserAddress

DEFAULT_PASSWORD = "Quick@Care2026"


def _contact(n: int) -> str:
    # 9xxxxxxxxx numbers are valid Indian mobiles.
    return f"+9197{n:08d}"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    contact = factory.Sequence(_contact)
    name = factory.Faker("name", locale="en_IN")
    role_id = RoleId.PATIENT
    gender = "male"
    age = 30
    is_partial_onboarding = False
    is_complete_onboarding = True
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PatientFactory(UserFactory):
    role_id = RoleId.PATIENT


class ClinicOwnerFactory(UserFactory):
    role_id = RoleId.CLINIC_OWNER


class DoctorUserFactory(UserFactory):
    role_id = RoleId.DOCTOR


class ReceptionistFactory(UserFactory):
    role_id = RoleId.RECEPTIONIST


class LabMemberFactory(UserFactory):
    role_id = RoleId.LAB_MEMBER


class MedicalProfileFactory(DjangoModelFactory):
    class Meta:
        model = MedicalProfile

    user = factory.SubFactory(PatientFactory)
    allergies = "None"


class UserAddressFactory(DjangoModelFactory):
    class Meta:
        model = UserAddress

    user = factory.SubFactory(PatientFactory)
    area = "MG Road"
    house_no = "12A"
    town = "Jaipur"
    state = "Rajasthan"
    pincode = "302001"
    address_type = "home"
    is_current = False
