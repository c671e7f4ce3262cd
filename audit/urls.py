"""Routes of this app (mounted at /api/audit/ in quickcare/urls.py)."""

from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("my/", views.MyChainView.as_view(), name="my-chain"),
    path("my/verify/", views.MyChainVerifyView.as_view(), name="my-chain-verify"),
]
