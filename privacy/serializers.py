"""Output shapes of the data-principal rights."""

from rest_framework import serializers

from privacy.models import ErasureRequest


class ErasureRequestOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ErasureRequest
        fields = ("requested_at", "erase_after", "erased_at")
