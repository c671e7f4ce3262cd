"""Query filters of the appointment lists (malformed values answer 400)."""

import django_filters

from appointments.models import Appointment, AppointmentStatus


class PatientAppointmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AppointmentStatus.choices)

    class Meta:
        model = Appointment
        fields = ("status",)


class DoctorAppointmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AppointmentStatus.choices)
    date = django_filters.DateFilter(field_name="appointment_date")
    from_date = django_filters.DateFilter(field_name="appointment_date", lookup_expr="gte")
    to_date = django_filters.DateFilter(field_name="appointment_date", lookup_expr="lte")

    class Meta:
        model = Appointment
        fields = ("status", "date", "from_date", "to_date")
