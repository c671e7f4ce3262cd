"""Top-level routes: the API under /api/, docs, admin and health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from appointments.urls import doctor_slots_urlpatterns
from clinic.urls import member_onboarding_urlpatterns
from core.health import HealthView, health_live
from doctors import urls as doctors_urls
from documents.urls import clinic_emergency_urlpatterns
from documents.urls import me_urlpatterns as documents_me_urlpatterns
from notifications.urls import user_me_urlpatterns as notification_user_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", HealthView.as_view(), name="health"),
    path("health/live/", health_live, name="health-live"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    # Two apps under one prefix: the busier routes first (each include walked is a resolver
    # level), or one list where neither is namespaced.
    path("api/users/", include("users.urls")),
    # Member completion is a users URL; its rules (doctor profile, temp password) live in clinic.
    path("api/users/", include(member_onboarding_urlpatterns)),
    # Notification preferences and push devices are users URLs served by notifications.
    path("api/users/", include(notification_user_urlpatterns)),
    path("api/clinics/", include("clinic.urls")),
    # A doctor's free slots are served by appointments, where the taken times are.
    path("api/doctors/", include([*doctors_urls.urlpatterns, *doctor_slots_urlpatterns])),
    path("api/appointments/", include("appointments.urls")),
    path("api/documents/", include("documents.urls")),
    path("api/notifications/", include("notifications.urls")),
    # Trust layer (issue 15): the audit chain; a patient's consents (served by documents).
    path("api/audit/", include("audit.urls")),
    path("api/fhir/", include("fhir_api.urls")),
    path("api/users/", include("privacy.urls")),
    # Issue 13: patient profiles (dependents, transfer) are users', in their own module.
    path("api/users/", include("users.urls_profiles")),
    path("api/clinics/", include((clinic_emergency_urlpatterns, "documents-clinic"))),
    path("api/users/", include((documents_me_urlpatterns, "documents-me"))),
]

admin.site.site_header = "QuickCare administration"
admin.site.site_title = "QuickCare admin"

handler400 = "core.views.bad_request"
handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
