"""Erasure requests (DPDP Act 2023, s. 12): the account closes at once, the data goes later."""

from django.conf import settings
from django.db import models


class ErasureRequest(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="erasure_request"
    )
    requested_at = models.DateTimeField()
    erase_after = models.DateTimeField(db_index=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("erase_after", "id")

    def __str__(self) -> str:
        return f"Erasure of {self.user_id} after {self.erase_after:%Y-%m-%d}"
