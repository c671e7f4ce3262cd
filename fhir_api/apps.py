from django.apps import AppConfig


class FhirConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fhir_api"
    verbose_name = "FHIR R4 export"
