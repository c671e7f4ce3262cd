"""Top-level routes: the API under /api/, docs, admin and health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from health_check.views import HealthCheckView

from clinic.urls import member_onboarding_urlpatterns

health_view = HealthCheckView.as_view(
    checks=[
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "health_check.checks.Storage",
    ]
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health_view, name="health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    # Member completion is a users URL; its rules (doctor profile, temp password) live in clinic.
    path("api/users/", include(member_onboarding_urlpatterns)),
    path("api/users/", include("users.urls")),
    path("api/clinics/", include("clinic.urls")),
    path("api/doctors/", include("doctors.urls")),
    path("api/appointments/", include("appointments.urls")),
    path("api/documents/", include("documents.urls")),
]

admin.site.site_header = "QuickCare administration"
admin.site.site_title = "QuickCare admin"

handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
