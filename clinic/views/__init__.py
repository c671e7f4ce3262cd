"""Thin HTTP layer of the clinic app: parse, call one service or selector, serialize."""

from clinic.views.clinics import (
    ClinicDetailView,
    ClinicListCreateView,
    ClinicOnboardingStep3View,
    ClinicPublicListView,
)
from clinic.views.members import (
    ClinicMemberDetailView,
    ClinicMemberListCreateView,
    ClinicMemberTempPasswordView,
    MemberOnboardingCompleteView,
    MyMembershipListView,
)
from clinic.views.schedule import (
    AdmissionDocumentDetailView,
    AdmissionDocumentListCreateView,
    TimeSlotDetailView,
    TimeSlotListCreateView,
)

__all__ = [
    "AdmissionDocumentDetailView",
    "AdmissionDocumentListCreateView",
    "ClinicDetailView",
    "ClinicListCreateView",
    "ClinicMemberDetailView",
    "ClinicMemberListCreateView",
    "ClinicMemberTempPasswordView",
    "ClinicOnboardingStep3View",
    "ClinicPublicListView",
    "MemberOnboardingCompleteView",
    "MyMembershipListView",
    "TimeSlotDetailView",
    "TimeSlotListCreateView",
]
