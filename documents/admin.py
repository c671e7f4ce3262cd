"""Admin: read-only views of documents, consents and the access log.

Nothing here adds, changes or deletes: uploads go through the API (content checks, random
names), consent is the patient's decision, the access log is append-only, and deleting a
document would erase its history. Files are shown by stored name only, never as a link.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from documents.models import DocumentAccessLog, DocumentConsent, MedicalDocument


@admin.register(MedicalDocument)
class MedicalDocumentAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "document_type",
        "patient",
        "uploaded_by_role",
        "content_type",
        "size_bytes",
        "is_deleted",
        "created_at",
    )
    list_filter = ("document_type", "is_deleted", "uploaded_by_role")
    search_fields = ("title", "patient__name", "=id")
    list_select_related = ("patient",)
    exclude = ("file",)
    readonly_fields = ("stored_name",)
    date_hierarchy = "created_at"

    @admin.display(description="stored file")
    def stored_name(self, document: MedicalDocument) -> str:
        return str(document.file.name)


@admin.register(DocumentConsent)
class DocumentConsentAdmin(ReadOnlyAdmin):
    list_display = ("document", "doctor", "status", "expires_at", "actioned_at", "created_at")
    list_filter = ("status",)
    search_fields = ("document__title", "doctor__user__name", "=id")
    list_select_related = ("document", "doctor__user")


@admin.register(DocumentAccessLog)
class DocumentAccessLogAdmin(ReadOnlyAdmin):
    list_display = ("accessed_at", "action", "document", "actor", "ip_address", "detail")
    list_filter = ("action",)
    search_fields = (
        "document__title",
        "document__patient__name",
        "actor__name",
        "=document__id",
        "ip_address",
    )
    list_select_related = ("document", "actor")
    date_hierarchy = "accessed_at"
