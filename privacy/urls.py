"""Routes of this app (mounted under /api/users/ in quickcare/urls.py)."""

from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("me/export/", views.MyExportView.as_view(), name="my-export"),
    path("me/erasure-request/", views.MyErasureRequestView.as_view(), name="my-erasure-request"),
]
