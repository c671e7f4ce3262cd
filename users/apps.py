"""Accounts and identity."""

from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"

    def ready(self) -> None:
        from users import auth_cache

        auth_cache.connect()
