"""Routes of this app (mounted at /api/documents/ in quickcare/urls.py)."""

from django.urls import path

from documents import consent_views, emergency_views, views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListCreateView.as_view(), name="list"),
    path("access-log/", views.AccessLogListView.as_view(), name="access-log"),
    path("consent/request/", consent_views.ConsentRequestView.as_view(), name="consent-request"),
    path(
        "consent/requestable/",
        consent_views.ConsentRequestableListView.as_view(),
        name="consent-requestable",
    ),
    path("consent/mine/", consent_views.ConsentMineListView.as_view(), name="consent-mine"),
    path("consent/doctor/", consent_views.ConsentDoctorListView.as_view(), name="consent-doctor"),
    path(
        "consent/<uuid:consent_id>/action/",
        consent_views.ConsentActionView.as_view(),
        name="consent-action",
    ),
    path(
        "consent/<uuid:consent_id>/artefact/",
        consent_views.ConsentArtefactView.as_view(),
        name="consent-artefact",
    ),
    path(
        "emergency-access/",
        emergency_views.EmergencyAccessOpenView.as_view(),
        name="emergency-access",
    ),
    path(
        "emergency-access/<uuid:access_id>/",
        emergency_views.EmergencyAccessDetailView.as_view(),
        name="emergency-access-detail",
    ),
    path("<uuid:document_id>/", views.DocumentDetailView.as_view(), name="detail"),
    path("<uuid:document_id>/file/", views.DocumentFileView.as_view(), name="file"),
    path(
        "<uuid:document_id>/access-log/",
        views.DocumentAccessLogView.as_view(),
        name="document-access-log",
    ),
]

# Mounted under /api/users/ in quickcare/urls.py: a patient's own consents, served here.
me_urlpatterns = [
    path("me/consents/", consent_views.ConsentsGivenListView.as_view(), name="my-consents"),
]

# Mounted under /api/clinics/ in quickcare/urls.py: the owner reviews break-glass openings.
clinic_emergency_urlpatterns = [
    path(
        "<uuid:clinic_id>/emergency-access/",
        emergency_views.ClinicEmergencyAccessListView.as_view(),
        name="clinic-emergency-access",
    ),
    path(
        "<uuid:clinic_id>/emergency-access/<uuid:access_id>/",
        emergency_views.ClinicEmergencyAccessReviewView.as_view(),
        name="clinic-emergency-access-review",
    ),
]
