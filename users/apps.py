"""Accounts and identity."""

from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"

    def ready(self) -> None:
        from users import cache_receivers

        cache_receivers.connect()
        from users.services.profiles import connect_receivers

        connect_receivers()
        from users import auth_cache

        auth_cache.connect()
