"""Doctor profiles, availability, leaves and the slot engine."""

from django.apps import AppConfig


class DoctorsConfig(AppConfig):
    name = "doctors"

    def ready(self) -> None:
        from clinic.signals import doctor_member_added, doctor_onboarding_completed
        from doctors import cache_receivers, receivers

        cache_receivers.connect()

        doctor_member_added.connect(
            receivers.doctor_profile_for_new_member, dispatch_uid="doctors.profile_for_new_member"
        )
        doctor_onboarding_completed.connect(
            receivers.doctor_profile_from_onboarding,
            dispatch_uid="doctors.profile_from_onboarding",
        )
