"""Waitlist routes, included by `appointments.urls` under /api/appointments/waitlist/."""

from django.urls import path

from appointments.waitlist import views

urlpatterns = [
    path("", views.WaitlistListCreateView.as_view(), name="waitlist-list"),
    path("<id:entry_id>/", views.WaitlistDetailView.as_view(), name="waitlist-detail"),
    path("<id:entry_id>/accept/", views.WaitlistAcceptView.as_view(), name="waitlist-accept"),
    path("<id:entry_id>/decline/", views.WaitlistDeclineView.as_view(), name="waitlist-decline"),
]
