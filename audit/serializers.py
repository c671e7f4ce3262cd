"""Output shapes of the chain: each event as stored, hashes included, so a patient can recheck."""

from typing import Any

from rest_framework import serializers

from audit.models import AuditEvent


class AuditEventOutputSerializer(serializers.ModelSerializer):
    actor = serializers.UUIDField(source="actor_id", allow_null=True)
    document = serializers.UUIDField(source="document_id", allow_null=True)

    class Meta:
        model = AuditEvent
        fields = (
            "seq",
            "occurred_at",
            "category",
            "action",
            "actor",
            "document",
            "detail",
            "emergency",
            "data",
            "body",
            "prev_hash",
            "hash",
        )


class ChainReportOutputSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    events = serializers.IntegerField()
    head = serializers.CharField()
    first_broken = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    checkpoints = serializers.IntegerField()
    public_key = serializers.CharField(help_text="Ed25519 key signing the checkpoints (base64).")

    def to_representation(self, instance: Any) -> Any:
        return instance
