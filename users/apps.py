"""Accounts and identity."""

from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "users"
