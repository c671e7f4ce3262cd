from django.contrib import admin

from core.admin import ReadOnlyAdmin
from privacy.models import ErasureRequest


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = ("user", "requested_at", "erase_after", "erased_at")
