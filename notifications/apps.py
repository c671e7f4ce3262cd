from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications import checks, receivers  # noqa: F401 (checks register on import)

        receivers.connect()
        from core import riders
        from notifications.services import (
            PREFERENCES_RIDER,
            preferences_params,
            preferences_sql,
        )

        # The booking's day statement reads the recipients' preferences (core.riders).
        riders.register(PREFERENCES_RIDER, riders.Rider(preferences_sql, preferences_params))
