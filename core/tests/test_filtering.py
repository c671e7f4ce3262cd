"""The list filter backend builds no FilterSet when no parameter could feed one, and filters
(and refuses bad values) exactly as django-filter does when one could."""

import pytest

from core.filtering import may_filter
from documents.filters import DocumentFilter
from documents.tests.factories import MedicalDocumentFactory

DOCUMENTS_URL = "/api/documents/"


def test_a_parameter_may_feed_a_filter_it_starts_with():
    assert may_filter(["type"], ["document_type", "type"])
    assert may_filter(["date_after"], ["date"])  # a range widget's suffixed field
    assert not may_filter(["page", "page_size"], ["document_type", "type", "appointment"])
    assert not may_filter([], ["type"])


@pytest.fixture
def built(monkeypatch) -> list[object]:
    """Every DocumentFilter built during the test."""
    seen: list[object] = []
    init = DocumentFilter.__init__

    def spy(self, *args, **kwargs):
        seen.append(self)
        init(self, *args, **kwargs)

    monkeypatch.setattr(DocumentFilter, "__init__", spy)
    return seen


@pytest.mark.django_db
def test_a_page_without_filters_builds_no_filterset(client_for, patient, built):
    MedicalDocumentFactory.create_batch(2, patient=patient, patient_profile_id=patient.pk)
    response = client_for(patient).get(DOCUMENTS_URL, {"page": 1})
    assert response.status_code == 200
    assert len(response.json()) == 2
    assert built == []


@pytest.mark.django_db
def test_a_filter_parameter_filters_and_a_bad_value_is_refused(client_for, patient, built):
    MedicalDocumentFactory(patient=patient, patient_profile_id=patient.pk, document_type="other")
    lab = MedicalDocumentFactory(
        patient=patient, patient_profile_id=patient.pk, document_type="lab_report"
    )
    client = client_for(patient)
    response = client.get(DOCUMENTS_URL, {"type": "lab_report", "page": 1})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [str(lab.pk)]
    assert len(built) == 1
    refused = client.get(DOCUMENTS_URL, {"type": "xray"})
    assert refused.status_code == 400
    assert "type" in str(refused.json())
