"""Routes of this app (mounted at /api/fhir/ in quickcare/urls.py)."""

from django.urls import path

from fhir_api import views

app_name = "fhir_api"

urlpatterns = [
    path("metadata", views.MetadataView.as_view(), name="metadata"),
    path("Patient/$everything", views.PatientEverythingView.as_view(), name="patient-everything"),
    path(
        "DocumentReference", views.DocumentReferenceSearchView.as_view(), name="document-references"
    ),
]
