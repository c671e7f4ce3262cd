"""Medical documents, consent and the access log."""

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"

    def ready(self) -> None:
        from documents import cache_receivers

        cache_receivers.connect()
