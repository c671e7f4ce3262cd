"""Query filters of the clinic lists."""

import django_filters

from clinic.models import Clinic, ClinicMember, ClinicType, MemberRole, MemberStatus


class ClinicPublicFilterSet(django_filters.FilterSet):
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact", max_length=100)
    type = django_filters.ChoiceFilter(field_name="clinic_type", choices=ClinicType.choices)

    class Meta:
        model = Clinic
        fields = ("city", "type")


class ClinicMemberFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(field_name="member_role", choices=MemberRole.choices)
    status = django_filters.ChoiceFilter(field_name="status", choices=MemberStatus.choices)

    class Meta:
        model = ClinicMember
        fields = ("role", "status")


class MyMembershipFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(field_name="status", choices=MemberStatus.choices)

    class Meta:
        model = ClinicMember
        fields = ("status",)
