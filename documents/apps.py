"""Medical documents, consent and the access log."""

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
