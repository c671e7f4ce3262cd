"""Inputs that once answered 500 (found by `make fuzz`); each must now get a 2xx/4xx."""

import pytest

from documents.models import AccessAction, DocumentAccessLog
from documents.tests.conftest import detail_url

pytestmark = pytest.mark.django_db


def test_a_nul_byte_in_the_user_agent_is_dropped_from_the_access_log(client_for, patient, document):
    # PostgreSQL refuses NUL in text columns: the access-log insert answered 500.
    response = client_for(patient).get(detail_url(document.pk), HTTP_USER_AGENT="curl\x00/8.5")

    assert response.status_code == 200
    entry = DocumentAccessLog.objects.get(document=document, action=AccessAction.VIEW)
    assert entry.user_agent == "curl/8.5"
