"""Routes under /api/notifications/, and the preference and device routes mounted under
/api/users/me/ (served here, where the rows are)."""

from django.urls import path

from notifications import views, webhooks

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification-list"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="notification-read-all"),
    path(
        "webhooks/<str:provider>/",
        webhooks.DeliveryWebhookView.as_view(),
        name="notification-webhook",
    ),
    path(
        "<id:notification_id>/",
        views.NotificationDetailView.as_view(),
        name="notification-detail",
    ),
]

user_me_urlpatterns = [
    path(
        "me/notification-preferences/",
        views.NotificationPreferenceView.as_view(),
        name="notification-preferences",
    ),
    path("me/devices/", views.DeviceListView.as_view(), name="device-list"),
    path("me/devices/<id:device_id>/", views.DeviceDetailView.as_view(), name="device-detail"),
]
